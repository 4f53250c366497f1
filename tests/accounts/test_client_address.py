"""The client's address behind reverse proxies: X-Forwarded-For is believed only from a peer
in SUNSHINE_TRUSTED_PROXIES, and then only up to the right-most hop that is not a proxy."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from sunshine.accounts.ratelimit import client_address

CLIENT = "198.51.100.7"


def _address(remote: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers))


def test_without_trusted_proxies_the_header_is_ignored(settings: Settings) -> None:
    settings.SUNSHINE_TRUSTED_PROXIES = []
    assert _address("10.0.0.2", "203.0.113.9") == "10.0.0.2"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings: Settings) -> None:
    settings.SUNSHINE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _address(CLIENT, "203.0.113.9") == CLIENT


def test_the_header_is_honoured_from_a_trusted_proxy(settings: Settings) -> None:
    settings.SUNSHINE_TRUSTED_PROXIES = ["10.0.0.2"]
    assert _address("10.0.0.2", CLIENT) == CLIENT
    assert _address("10.0.0.2") == "10.0.0.2"  # no header: the proxy itself


def test_several_hops_give_the_right_most_untrusted_address(settings: Settings) -> None:
    settings.SUNSHINE_TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::/32"]
    # the client spoofed 203.0.113.9 in its own header; two proxies appended after it
    forwarded = f"203.0.113.9, {CLIENT}, 10.1.2.3, 2001:db8::1"
    assert _address("10.0.0.2", forwarded) == CLIENT
    # a chain of nothing but proxies: the left-most of them
    assert _address("10.0.0.2", "10.9.9.9, 10.1.2.3") == "10.9.9.9"


def test_garbage_in_the_header_is_not_taken_for_the_client(settings: Settings) -> None:
    settings.SUNSHINE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _address("10.0.0.2", f"{CLIENT}, not-an-address") == "10.0.0.2"
    assert _address("10.0.0.2", f"not-an-address, {CLIENT}") == CLIENT


@pytest.mark.django_db
def test_open311_counts_the_forwarded_client_not_the_proxy(settings: Settings) -> None:
    settings.SUNSHINE_TRUSTED_PROXIES = ["10.0.0.2"]
    settings.SUNSHINE_OPEN311_MAX_POSTS = 1
    client = Client(REMOTE_ADDR="10.0.0.2")
    url = "/open311/v2/requests.json"

    def post(forwarded: str) -> int:
        return client.post(url, {}, headers={"X-Forwarded-For": forwarded}).status_code

    assert post("203.0.113.1") != 429
    assert post("203.0.113.1") == 429
    assert post("203.0.113.2") != 429  # another client behind the same proxy
