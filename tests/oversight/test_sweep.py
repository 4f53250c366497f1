"""The clock sweep records each warning and each escalation once, however often it runs."""

from __future__ import annotations

import datetime as dt
import json

from sunshine.audit.models import AuditEvent
from sunshine.oversight import config, services
from sunshine.oversight.models import Case, CaseClock
from sunshine.oversight.sweep import SweepResult, sweep_clocks
from tests.oversight.conftest import REGION, People, at, new_case


def _clock_events(case: Case) -> list[tuple[str, dict[str, object]]]:
    events = AuditEvent.objects.filter(
        object_id=case.code, action__in=("case.clock_warning", "case.escalated")
    ).order_by("seq")
    return [(e.action, json.loads(e.canonical)["detail"]) for e in events]


def _working_day_county(people: People) -> None:
    config.set_clock_policy(
        actor=people.supervisor,
        region_prefix="3301",
        acceptance_days=15,
        acceptance_unit="working_days",
        handling_days=60,
        handling_unit="calendar_days",
        extension_max_days=30,
        feedback_days=15,
        feedback_unit="working_days",
        source="纪检监察机关处理检举控告工作规则：15个工作日内告知是否受理",
    )


def test_warnings_at_70_and_90_per_cent_then_escalation_each_once(people: People) -> None:
    _working_day_county(people)
    case = new_case(actor=people.admin, channel="hotline", received_at=at(2025, 1, 24, 10))
    clock = CaseClock.objects.get(case=case, name="acceptance")
    # 15 working days from Fri 2025-01-24 across 春节: due Thu Feb 20 (see tests/core).
    assert (clock.due_date, clock.unit, clock.length) == (dt.date(2025, 2, 20), "working_days", 15)
    assert (clock.warn_70_at, clock.warn_90_at) == (at(2025, 2, 14), at(2025, 2, 19))
    assert "3301" in clock.source

    assert sweep_clocks(at(2025, 2, 13, 23), actor="system") == SweepResult(0, 0)
    assert sweep_clocks(at(2025, 2, 14, 1), actor="system") == SweepResult(1, 0)
    assert sweep_clocks(at(2025, 2, 14, 2), actor="system") == SweepResult(0, 0)
    assert sweep_clocks(at(2025, 2, 19, 9), actor=people.admin) == SweepResult(1, 0)
    assert sweep_clocks(at(2025, 2, 21, 0), actor=people.supervisor) == SweepResult(0, 1)
    assert sweep_clocks(at(2025, 3, 1), actor="system") == SweepResult(0, 0)
    assert _clock_events(case) == [
        ("case.clock_warning", {"region_code": REGION, "clock": "acceptance", "level": 70}),
        ("case.clock_warning", {"region_code": REGION, "clock": "acceptance", "level": 90}),
        ("case.escalated", {"region_code": REGION, "clock": "acceptance"}),
    ]


def test_a_late_sweep_records_every_level_passed_and_stopped_clocks_are_quiet(
    people: People,
) -> None:
    late = new_case(actor=people.admin, channel="hotline", received_at=at(2025, 3, 3, 9))
    done = new_case(actor=people.admin, channel="hotline", received_at=at(2025, 3, 3, 9))
    services.decide_case(done, actor=people.admin, accept=False, reason="重复件", at=at(2025, 3, 4))
    assert sweep_clocks(at(2025, 3, 20), actor="system") == SweepResult(2, 1)
    assert [a for a, _ in _clock_events(late)] == [
        "case.clock_warning",
        "case.clock_warning",
        "case.escalated",
    ]
    assert _clock_events(done) == []


def test_a_user_sweeps_only_its_own_scope(people: People) -> None:
    new_case(actor=people.admin, channel="hotline", received_at=at(2025, 3, 3, 9))
    assert sweep_clocks(at(2025, 3, 20), actor=people.other_admin) == SweepResult(0, 0)
    assert sweep_clocks(at(2025, 3, 20), actor=people.other_supervisor) == SweepResult(0, 0)
    assert sweep_clocks(at(2025, 3, 20), actor=people.supervisor) == SweepResult(2, 1)
