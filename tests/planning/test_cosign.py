"""Co-signature (会签) passwords are counted per co-signer: after too many wrong ones in the
window, co-signing with that account is refused (429) even with the right password, until the
window has passed. Every failure, lockout and refusal is in the audit log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from sunshine.accounts.models import RateLimitHit, Role, User
from sunshine.audit.models import AuditEvent
from sunshine.errors import Invalid, NotAllowed, RateLimited
from sunshine.planning.cosign import PASSWORD_FIELD, cosigner
from sunshine.planning.models import PlanChange
from tests.planning.conftest import PASSWORD, People
from tests.portal.factories import County

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=15)  # the default


def _cosign(
    people: People, username: str, password: str, at: dt.datetime, actor: User | None = None
) -> User:
    return cosigner(
        None,
        actor=actor or people.reviewer,
        username=username,
        password=password,
        roles={Role.BUREAU_ADMIN},
        at=at,
    )


def _fail(people: People, username: str, times: int, start: dt.datetime = T0) -> None:
    for i in range(times):
        with pytest.raises(Invalid) as wrong:
            _cosign(people, username, "wrong", start + dt.timedelta(seconds=i))
        assert wrong.value.field == PASSWORD_FIELD


def _actions(**where: str) -> list[str]:
    return list(AuditEvent.objects.filter(**where).values_list("action", flat=True))


def test_five_wrong_passwords_lock_the_cosigner_even_against_the_right_one(
    people: People,
) -> None:
    _fail(people, "admin2", 5)
    with pytest.raises(RateLimited) as locked:
        _cosign(people, "admin2", PASSWORD, T0 + dt.timedelta(minutes=1))
    error = locked.value
    assert (error.http_status, error.code, error.field) == (429, "rate_limited", PASSWORD_FIELD)
    # unlocked when the first failure leaves the window: 09:15 in UTC is 17:15 in the county
    assert error.retry_after == (WINDOW - dt.timedelta(minutes=1)).total_seconds()
    assert "17:15" in str(error)

    events = AuditEvent.objects.filter(object_type="user", object_id=str(people.admin2.pk))
    assert list(events.values_list("action", flat=True)) == [
        *["cosign.failed"] * 5,
        "cosign.locked",
        "cosign.refused",
    ]
    assert {e.actor for e in events} == {f"user:{people.reviewer.pk}"}  # who typed them
    assert '"failures":5' in events.get(action="cosign.locked").canonical


def test_the_lock_lifts_when_the_window_has_passed(people: People) -> None:
    _fail(people, "admin2", 5)
    with pytest.raises(RateLimited):
        _cosign(people, "admin2", PASSWORD, T0 + WINDOW - dt.timedelta(seconds=1))
    later = T0 + WINDOW + dt.timedelta(seconds=5)  # every failure has aged out
    assert _cosign(people, "admin2", PASSWORD, later) == people.admin2


def test_the_window_slides(people: People) -> None:
    _fail(people, "admin2", 1)
    _fail(people, "admin2", 4, start=T0 + dt.timedelta(minutes=10))
    with pytest.raises(RateLimited):
        _cosign(people, "admin2", PASSWORD, T0 + dt.timedelta(minutes=14))
    # At 15:01 the first failure is out; four are left, so one more attempt is allowed...
    _fail(people, "admin2", 1, start=T0 + dt.timedelta(minutes=15, seconds=1))
    # ...and, being wrong, fills the window again.
    with pytest.raises(RateLimited):
        _cosign(people, "admin2", PASSWORD, T0 + dt.timedelta(minutes=16))


def test_another_cosigner_is_not_affected(people: People) -> None:
    _fail(people, "admin2", 5)
    # admin co-signs for the reviewer at once: its own count is empty
    assert _cosign(people, "admin", PASSWORD, T0 + dt.timedelta(minutes=1)) == people.admin


def test_the_right_password_clears_the_count(people: People) -> None:
    _fail(people, "admin2", 4)
    assert _cosign(people, "admin2", PASSWORD, T0 + dt.timedelta(minutes=1)) == people.admin2
    _fail(people, "admin2", 4, start=T0 + dt.timedelta(minutes=2))
    assert _cosign(people, "admin2", PASSWORD, T0 + dt.timedelta(minutes=3)) == people.admin2
    assert not RateLimitHit.objects.exists()


def test_an_unknown_username_is_locked_alike_and_the_message_does_not_tell(
    people: People,
) -> None:
    _fail(people, "nobody", 5)
    _fail(people, "admin2", 5)
    with pytest.raises(RateLimited) as unknown:
        _cosign(people, "nobody", "wrong", T0 + dt.timedelta(minutes=1))
    with pytest.raises(RateLimited) as known:
        _cosign(people, "admin2", "wrong", T0 + dt.timedelta(minutes=1))
    assert str(unknown.value) == str(known.value)
    events = AuditEvent.objects.filter(object_type="username")
    assert "nobody" not in "".join(e.canonical for e in events)  # only a salted reference
    assert events.filter(action="cosign.locked").count() == 1


def test_a_refusal_for_another_reason_is_not_a_wrong_password(people: People) -> None:
    for _ in range(6):  # the right password of someone not allowed to co-sign
        with pytest.raises(NotAllowed):
            _cosign(people, "school", PASSWORD, T0)
    assert not RateLimitHit.objects.exists()
    assert _actions(action__startswith="cosign.") == []


def test_the_limit_and_the_window_are_settings(people: People, settings: Settings) -> None:
    settings.SUNSHINE_COSIGN_MAX_FAILURES = 2
    settings.SUNSHINE_COSIGN_WINDOW_MINUTES = 60
    _fail(people, "admin2", 2)
    with pytest.raises(RateLimited):
        _cosign(people, "admin2", PASSWORD, T0 + dt.timedelta(minutes=30))
    assert _cosign(people, "admin2", PASSWORD, T0 + dt.timedelta(minutes=61)) == people.admin2

    settings.SUNSHINE_COSIGN_MAX_FAILURES = 0  # no limit
    _fail(people, "admin", 10)
    assert _cosign(people, "admin", PASSWORD, T0 + dt.timedelta(minutes=1)) == people.admin


# Through the pages and the API (the clock is the real one here).


def _lock_out(people: People, username: str = "admin2") -> None:
    now = timezone.now()
    _fail(people, username, 5, start=now - dt.timedelta(seconds=10))


def test_the_plan_change_page_shows_the_lockout_beside_the_password(
    county: County, people: People
) -> None:
    _lock_out(people)
    client = Client()
    client.force_login(people.reviewer)
    url = f"/staff/planning/seasons/{county.season.pk}/plans/"
    form = {
        "school": str(county.east.pk),
        "plan_seats": "135",
        "effective_from": (timezone.localtime() + dt.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "新建教学楼",
        "cosigner_username": "admin2",
        "cosigner_password": PASSWORD,
    }
    refused = client.post(url, form)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert 'data-testid="error-cosigner_password"' in html
    assert "密码错误次数过多" in html
    assert not PlanChange.objects.exists()
    # another administrator of the county can still co-sign
    done = client.post(url, {**form, "cosigner_username": "admin"})
    assert done.status_code == 302


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_api_answers_429_and_counts_what_it_is_sent(county: County, people: People) -> None:
    client = Client()
    client.force_login(people.reviewer)
    url = f"/api/planning/seasons/{county.season.pk}/plan-changes"
    body = {
        "school": county.east.code,
        "plan_seats": 135,
        "effective_from": (timezone.now() + dt.timedelta(days=30)).isoformat(),
        "reason": "新建教学楼",
        "cosigner_username": "admin2",
        "cosigner_password": "wrong",
    }
    for _ in range(5):
        wrong = _post(client, url, body)
        assert (wrong.status_code, wrong.json()["field"]) == (422, "cosigner_password")
    locked = _post(client, url, {**body, "cosigner_password": PASSWORD})
    assert locked.status_code == 429
    assert (locked.json()["error"], locked.json()["field"]) == ("rate_limited", "cosigner_password")
    assert 0 < int(locked["Retry-After"]) <= WINDOW.total_seconds()
    assert not PlanChange.objects.exists()
    assert _actions(action="cosign.refused", object_id=str(people.admin2.pk)) == ["cosign.refused"]
