"""Sign-in is limited like co-signing: after too many wrong passwords for one username in the
window, that username is refused (429) even with the right password, until the window has
passed; unknown names alike; the right password clears the count; and the count is the one
co-signing keeps, so a guesser gets five tries in all, not five on each form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from pytest_django.fixtures import Settings

from sunshine.accounts.models import RateLimitHit, Role
from sunshine.audit.models import AuditEvent
from sunshine.errors import Invalid, RateLimited
from sunshine.planning.cosign import cosigner
from tests.portal.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"
WINDOW = dt.timedelta(minutes=15)  # the default


def _login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = _login(client, username, "wrong")
        assert response.status_code == 200


def _alert(response: Any) -> str:
    html = response.content.decode()
    start = html.index('role="alert"')
    return html[start : html.index("</ul>", start)]


def _age_failures(by: dt.timedelta) -> None:
    """Move every counted failure back in time, as if ``by`` had passed."""
    RateLimitHit.objects.update(at=F("at") - by)


def test_five_wrong_passwords_lock_the_username_even_against_the_right_one(
    client: Client,
) -> None:
    user = make_user(Role.BUREAU_ADMIN, "admin", region_code="330110")
    _fail(client, "admin", 5)
    refused = client.post("/accounts/login/", {"username": "admin", "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= WINDOW.total_seconds()
    html = refused.content.decode()
    assert 'role="alert"' in html
    assert "密码错误次数过多" in html
    assert "_auth_user_id" not in client.session

    events = AuditEvent.objects.filter(object_type="user", object_id=str(user.pk))
    actions = list(events.values_list("action", flat=True))
    assert actions == [*["login.failed"] * 5, "login.locked"]  # refusals are not audited
    assert {e.actor for e in events} == {"public:web"}
    assert '"failures":5' in events.get(action="login.locked").canonical
    assert "127.0.0.1" not in "".join(e.canonical for e in events)  # the client only salted


def test_the_lock_lifts_when_the_window_has_passed(client: Client) -> None:
    make_user(Role.PARENT, "parent")
    _fail(client, "parent", 5)
    assert _login(client, "parent", PASSWORD).status_code == 429
    _age_failures(WINDOW)
    response = _login(client, "parent", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_another_username_is_not_affected(client: Client) -> None:
    make_user(Role.PARENT, "parent")
    make_user(Role.PARENT, "other")
    _fail(client, "parent", 5)
    assert _login(client, "other", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_count(client: Client) -> None:
    make_user(Role.PARENT, "parent")
    _fail(client, "parent", 4)
    assert _login(client, "parent", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    _fail(client, "parent", 4)
    assert _login(client, "parent", PASSWORD).status_code == 302
    assert not RateLimitHit.objects.exists()


def test_an_unknown_username_is_locked_alike_and_the_message_does_not_tell(
    client: Client,
) -> None:
    make_user(Role.PARENT, "parent")
    _fail(client, "nobody", 5)
    _fail(client, "parent", 5)
    unknown = _login(client, "nobody", "wrong")
    known = _login(client, "parent", "wrong")
    assert unknown.status_code == known.status_code == 429
    assert _alert(unknown) == _alert(known)
    assert "密码错误次数过多" in _alert(known)
    # Made-up names write nothing to the audit log (a spray of them must not grow it); the
    # real account's failures and lock are there.
    assert not AuditEvent.objects.filter(object_type="username").exists()
    assert AuditEvent.objects.filter(object_type="user", action="login.locked").count() == 1


def test_the_limit_follows_the_settings(client: Client, settings: Settings) -> None:
    settings.SUNSHINE_LOGIN_MAX_FAILURES = 2
    make_user(Role.PARENT, "parent")
    _fail(client, "parent", 2)
    assert _login(client, "parent", PASSWORD).status_code == 429
    settings.SUNSHINE_LOGIN_MAX_FAILURES = 0  # no limit
    _fail(client, "parent", 6)
    assert _login(client, "parent", PASSWORD).status_code == 302


def test_sign_in_and_cosign_share_one_count_per_account(client: Client) -> None:
    reviewer = make_user(Role.BUREAU_REVIEWER, "reviewer", region_code="330110")
    make_user(Role.BUREAU_ADMIN, "admin", region_code="330110")

    def cosign(password: str) -> Any:
        return cosigner(
            None, actor=reviewer, username="admin", password=password, roles={Role.BUREAU_ADMIN}
        )

    _fail(client, "admin", 3)
    for _ in range(2):
        with pytest.raises(Invalid):
            cosign("wrong")
    # five in all: both places now refuse the right password
    with pytest.raises(RateLimited):
        cosign(PASSWORD)
    assert _login(client, "admin", PASSWORD).status_code == 429
    _age_failures(WINDOW)
    assert _login(client, "admin", PASSWORD).status_code == 302
