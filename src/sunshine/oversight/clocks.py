"""The legal clocks of a case: the default rules and their sources, per-region overrides, the
holiday calendar file, and starting/stopping a clock inside a service's transaction.

The arithmetic is :mod:`sunshine.core.deadlines`; this module only feeds it the calendar and
the rules that apply to a region, and stores the result as :class:`CaseClock` rows.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from sunshine.core.deadlines import (
    MAX_EXTENSION_DAYS,
    Calendar,
    ClockRule,
    Deadline,
    Unit,
    compute_deadline,
)
from sunshine.oversight.models import Case, CaseClock, ClockPolicy

CALENDAR_FILE = Path(__file__).resolve().parent / "calendars" / "cn.toml"

XINFANG = "《信访工作条例》（2022年）"
JIANJU = "《纪检监察机关处理检举控告工作规则》（2020年）"

# The defaults, each with the text that sets it. A region overrides them with a ClockPolicy.
DEFAULT_RULES: dict[str, ClockRule] = {
    CaseClock.Name.ACCEPTANCE: ClockRule(
        CaseClock.Name.ACCEPTANCE,
        15,
        Unit.CALENDAR_DAYS,
        f"{XINFANG}：自收到信访事项之日起15日内决定是否受理并告知信访人",
    ),
    CaseClock.Name.HANDLING: ClockRule(
        CaseClock.Name.HANDLING,
        60,
        Unit.CALENDAR_DAYS,
        f"{XINFANG}：自受理之日起60日内办结；情况复杂的，经本机关、单位负责人批准，"
        "可以适当延长办理期限，但延长期限不得超过30日，并告知信访人延期理由",
        max_extension=30,
    ),
    CaseClock.Name.FEEDBACK: ClockRule(
        CaseClock.Name.FEEDBACK,
        15,
        Unit.WORKING_DAYS,
        f"{JIANJU}：实名检举控告，办结后15个工作日内将处理结果反馈检举控告人",
    ),
}


@functools.cache
def _calendar_at(path: str, mtime: float) -> Calendar:
    with open(path, "rb") as f:
        return Calendar.from_mapping(tomllib.load(f))


def calendar() -> Calendar:
    """The holiday calendar from the data file (re-read when the file changes)."""
    path = Path(getattr(settings, "SUNSHINE_HOLIDAY_CALENDAR", CALENDAR_FILE))
    return _calendar_at(str(path), path.stat().st_mtime)


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def policy_for(region_code: str) -> ClockPolicy | None:
    """The override with the longest region prefix of ``region_code``, if any."""
    prefixes = [region_code[:n] for n in range(len(region_code), 1, -1)]
    found = {p.region_prefix: p for p in ClockPolicy.objects.filter(region_prefix__in=prefixes)}
    return next((found[p] for p in prefixes if p in found), None)


def rules_for(region_code: str) -> dict[str, ClockRule]:
    policy = policy_for(region_code)
    if policy is None:
        return dict(DEFAULT_RULES)
    source = f"{policy.source}（{policy.region_prefix}）"
    return {
        CaseClock.Name.ACCEPTANCE: ClockRule(
            CaseClock.Name.ACCEPTANCE,
            policy.acceptance_days,
            Unit(policy.acceptance_unit),
            source,
        ),
        CaseClock.Name.HANDLING: ClockRule(
            CaseClock.Name.HANDLING,
            policy.handling_days,
            Unit(policy.handling_unit),
            source,
            max_extension=policy.extension_max_days,
        ),
        CaseClock.Name.FEEDBACK: ClockRule(
            CaseClock.Name.FEEDBACK, policy.feedback_days, Unit(policy.feedback_unit), source
        ),
    }


def rule_of(clock: CaseClock) -> ClockRule:
    """The rule a stored clock was started under (the region's policy may change later).
    Its extension was checked against the policy when it was granted."""
    return ClockRule(
        clock.name, clock.length, Unit(clock.unit), clock.source, max_extension=MAX_EXTENSION_DAYS
    )


def deadline_of(clock: CaseClock) -> Deadline:
    return compute_deadline(
        rule_of(clock), clock.started_at, calendar(), local_tz(), extension=clock.extended_by
    )


def _store(clock: CaseClock, deadline: Deadline) -> None:
    clock.due_date = deadline.due_date
    clock.due_at = deadline.due_at
    warnings = dict(deadline.warnings)
    clock.warn_70_at = warnings[70]
    clock.warn_90_at = warnings[90]
    clock.extended_by = deadline.extended_by
    clock.provisional = deadline.provisional


def start_clock(case: Case, name: str, started_at: dt.datetime) -> CaseClock:
    """Start clock ``name`` of ``case`` at ``started_at`` (a new round after a reopening)."""
    rule = rules_for(case.region_code)[name]
    last = case.clocks.filter(name=name).order_by("-round").first()
    clock = CaseClock(
        case=case,
        name=name,
        round=(last.round + 1) if last else 1,
        length=rule.length,
        unit=rule.unit.value,
        source=rule.source,
        started_at=started_at,
    )
    _store(clock, compute_deadline(rule, started_at, calendar(), local_tz()))
    clock.save()
    return clock


def running_clock(case: Case, name: str) -> CaseClock | None:
    return case.clocks.filter(name=name, stopped_at__isnull=True).order_by("-round").first()


def stop_clock(case: Case, name: str, at: dt.datetime) -> CaseClock | None:
    """Stop the running clock ``name``; returns it with ``met`` set, or None if none runs."""
    clock = running_clock(case, name)
    if clock is None:
        return None
    clock.stopped_at = at
    clock.met = at < clock.due_at
    clock.save(update_fields=["stopped_at", "met"])
    return clock


def extend_clock(clock: CaseClock, days: int) -> CaseClock:
    clock.extended_by = days
    _store(
        clock,
        compute_deadline(rule_of(clock), clock.started_at, calendar(), local_tz(), extension=days),
    )
    # A warning already recorded stays recorded; the later deadline may warn again.
    clock.save()
    return clock


@dataclass(frozen=True, slots=True)
class ClockView:
    """What a page shows of a clock: a progress bar with its dates."""

    clock: CaseClock
    total: int
    used: int
    percent: int
    level: str


def view_of(clock: CaseClock, now: dt.datetime) -> ClockView:
    deadline = deadline_of(clock)
    moment = clock.stopped_at or now
    used = deadline.days_used(moment)
    percent = min(100, round(100 * used / deadline.total)) if deadline.total else 100
    level = "met" if clock.met else "late" if clock.met is False else deadline.level(now).value
    return ClockView(clock, deadline.total, used, percent, level)
