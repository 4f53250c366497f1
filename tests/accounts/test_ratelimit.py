"""The database rate limiter: a sliding window per key, 429 when full, refusals not counted,
old rows forgotten, the lockout audited once."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.accounts import ratelimit
from sunshine.accounts.models import RateLimitHit
from sunshine.audit.models import AuditEvent
from sunshine.errors import DomainError, RateLimited

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
LIMIT = ratelimit.Limit(3, dt.timedelta(minutes=10))


def _take(value: str, at: dt.datetime, limit: ratelimit.Limit = LIMIT) -> None:
    ratelimit.take("test", value, limit, actor="test", action="test.locked", at=at)


def test_the_window_fills_refuses_and_reopens() -> None:
    for minute in (0, 1, 2):
        _take("10.0.0.1", T0 + dt.timedelta(minutes=minute))
    with pytest.raises(RateLimited) as refused:
        _take("10.0.0.1", T0 + dt.timedelta(minutes=5))
    assert isinstance(refused.value, DomainError)
    assert (refused.value.http_status, refused.value.code) == (429, "rate_limited")
    assert refused.value.retry_after == 5 * 60  # the first attempt leaves the window at 10:00
    _take("10.0.0.2", T0 + dt.timedelta(minutes=5))  # another key is not affected
    _take("10.0.0.1", T0 + dt.timedelta(minutes=10, seconds=1))  # the first one has left


def test_refusals_are_not_counted() -> None:
    for minute in (0, 1, 2):
        _take("10.0.0.1", T0 + dt.timedelta(minutes=minute))
    for second in range(30):
        with pytest.raises(RateLimited):
            _take("10.0.0.1", T0 + dt.timedelta(minutes=9, seconds=second))
    assert RateLimitHit.objects.count() == 3
    _take("10.0.0.1", T0 + dt.timedelta(minutes=10, seconds=1))


def test_the_lockout_is_audited_once_with_the_key_only_as_a_reference() -> None:
    for minute in (0, 1, 2):
        _take("10.0.0.1", T0 + dt.timedelta(minutes=minute))
    for _ in range(5):
        with pytest.raises(RateLimited):
            _take("10.0.0.1", T0 + dt.timedelta(minutes=3))
    [event] = AuditEvent.objects.filter(action="test.locked")
    assert event.object_type == "client"
    assert event.object_id.startswith("sha256:")
    assert "10.0.0.1" not in event.canonical
    assert '"limit":3' in event.canonical
    assert "10.0.0.1" not in "".join(RateLimitHit.objects.values_list("key", flat=True))


def test_rows_that_left_the_window_are_deleted() -> None:
    _take("10.0.0.1", T0)
    _take("10.0.0.2", T0 + dt.timedelta(minutes=1))
    _take("10.0.0.3", T0 + dt.timedelta(minutes=10, seconds=30))  # 10.0.0.1's row is gone
    assert RateLimitHit.objects.count() == 2


def test_no_limit_counts_nothing() -> None:
    off = ratelimit.Limit(0, dt.timedelta(minutes=10))
    for _ in range(10):
        _take("10.0.0.1", T0, off)
    assert not RateLimitHit.objects.exists()


def test_the_default_open311_limit_is_twenty_an_hour() -> None:
    limit = ratelimit.Limit.from_settings(
        "SUNSHINE_OPEN311_MAX_POSTS", "SUNSHINE_OPEN311_WINDOW_MINUTES"
    )
    assert limit == ratelimit.Limit(20, dt.timedelta(hours=1))
