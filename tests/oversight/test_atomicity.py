"""A step that fails part-way leaves nothing half-written: no case, no reporter, no clock,
no audit event."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from sunshine.audit.models import AuditEvent
from sunshine.core.deadlines import CalendarError
from sunshine.oversight import services
from sunshine.oversight.models import Case, CaseClock, Reporter
from tests.oversight.conftest import People, new_case


@pytest.fixture
def broken_calendar(tmp_path: Path) -> Path:
    path = tmp_path / "cn.toml"
    path.write_text('[years.2025]\nsource = "x"\nworkdays = [2025-01-27]\n', encoding="utf-8")
    return path


def test_intake_that_fails_after_the_first_insert_leaves_nothing(
    people: People, settings: Settings, broken_calendar: Path
) -> None:
    settings.SUNSHINE_HOLIDAY_CALENDAR = broken_calendar
    # The case row is inserted before its clock is computed; the calendar then fails.
    with pytest.raises(CalendarError, match="not a Saturday or Sunday"):
        new_case(anonymous=False, reporter_name="王某", reporter_contact="1")
    assert Case.objects.count() == 0
    assert Reporter.objects.count() == 0
    assert CaseClock.objects.count() == 0
    assert not AuditEvent.objects.filter(action="case.received").exists()


def test_a_decision_that_fails_midway_keeps_the_case_as_it_was(
    people: People, settings: Settings, broken_calendar: Path
) -> None:
    case = new_case()
    events = AuditEvent.objects.count()
    settings.SUNSHINE_HOLIDAY_CALENDAR = broken_calendar
    # Accepting stops the acceptance clock and saves the case, then starts the handling clock.
    with pytest.raises(CalendarError):
        services.decide_case(case, actor=people.admin, accept=True)
    case.refresh_from_db()
    assert case.status == Case.Status.RECEIVED
    assert case.decided_at is None
    assert CaseClock.objects.get(case=case).stopped_at is None
    assert not CaseClock.objects.filter(name="handling").exists()
    assert AuditEvent.objects.count() == events
