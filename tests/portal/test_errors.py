"""A domain error that escapes a page becomes its 4xx page; a rate limit that knows the wait
adds ``Retry-After`` (seconds)."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from pytest_django.fixtures import Settings

from sunshine.errors import Invalid, RateLimited


def _limited(request: HttpRequest) -> HttpResponse:
    raise RateLimited("请求过于频繁，请稍后再试", retry_after=42)


def _limited_for_unknown_time(request: HttpRequest) -> HttpResponse:
    raise RateLimited("请求过于频繁，请稍后再试")


def _invalid(request: HttpRequest) -> HttpResponse:
    raise Invalid("不对")


urlpatterns = [
    path("limited/", _limited),
    path("limited-unknown/", _limited_for_unknown_time),
    path("invalid/", _invalid),
    path("", include("sunshine.config.urls")),
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def these_urls(settings: Settings) -> None:
    settings.ROOT_URLCONF = __name__


def test_a_rate_limited_page_says_when_to_retry(client: Client) -> None:
    response = client.get("/limited/")
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert "请求过于频繁" in response.content.decode()


def test_no_retry_after_without_a_known_wait_or_for_other_errors(client: Client) -> None:
    unknown = client.get("/limited-unknown/")
    assert unknown.status_code == 429
    assert "Retry-After" not in unknown
    invalid = client.get("/invalid/")
    assert invalid.status_code == 422
    assert "Retry-After" not in invalid
