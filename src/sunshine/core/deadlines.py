"""Legal clocks on working days: a holiday calendar kept as data, working-day arithmetic, clock
rules with their sources, deadlines, warnings and overdue.

Counting follows the Civil Code (民法典): the day a complaint *arrives* is not counted, counting
starts the next day (第二百零一条), and a period whose last day is a non-working day ends on the
next working day (第二百零三条). A working-day clock counts only working days. The clock starts
when the complaint arrives, never when a unit signs for it, so bouncing a complaint between
units ("退单拉锯") buys no time.

The calendar is data: official holidays and make-up working days (调休上班) per year, as the
State Council announces them each November or December. A year the calendar does not hold
falls back to "Saturdays and Sundays off"; every result that touched such a year is marked
``provisional`` so the user is warned, and nothing crashes.

Warnings fire at 70 % and 90 % of a clock's counting days, ``overdue`` after its end. Pauses
exist only for a rule that says it may pause; none of the default rules does.

Pure: no Django, no I/O, no clock (``now`` and the time zone are arguments).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, NamedTuple

MAX_EXTENSION_DAYS: Final = 30  # 信访工作条例: one extension, never more than 30 days
WARNING_LEVELS: Final = (70, 90)  # per cent of a clock's counting days
_ONE_DAY: Final = dt.timedelta(days=1)
_MAX_COUNT: Final = 3660  # ten years of days: a guard against absurd inputs


class CalendarError(ValueError):
    """The calendar data is malformed (a bad date, a make-up day that is not a weekend...)."""


class ClockError(ValueError):
    """A clock cannot be computed as asked (naive time, an extension the rule forbids...)."""


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


class Level(StrEnum):
    OK = "ok"
    WARNING_70 = "warning_70"
    WARNING_90 = "warning_90"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Holiday:
    name: str
    first: dt.date
    last: dt.date

    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """One year as one State Council notice announced it."""

    year: int
    source: str
    holidays: tuple[Holiday, ...]
    workdays: tuple[dt.date, ...]  # make-up working days on a Saturday or Sunday


@dataclass(frozen=True)
class Calendar:
    years: Mapping[int, CalendarYear] = field(default_factory=dict)
    _off: frozenset[dt.date] = field(init=False, repr=False)
    _on: frozenset[dt.date] = field(init=False, repr=False)
    _names: Mapping[dt.date, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        off: set[dt.date] = set()
        on: set[dt.date] = set()
        names: dict[dt.date, str] = {}
        for year in self.years.values():
            for holiday in year.holidays:
                for day in holiday.days():
                    off.add(day)
                    names[day] = holiday.name
            on.update(year.workdays)
        clash = off & on
        if clash:
            raise CalendarError(f"days both off and working: {sorted(clash)}")
        object.__setattr__(self, "_off", frozenset(off))
        object.__setattr__(self, "_on", frozenset(on))
        object.__setattr__(self, "_names", names)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Calendar:
        """Build from parsed TOML: ``{"years": {"2025": {"source", "holidays", "workdays"}}}``."""
        raw_years = data.get("years")
        if not isinstance(raw_years, Mapping) or not raw_years:
            raise CalendarError("the calendar needs a [years.YYYY] table for at least one year")
        years = {}
        for key, body in raw_years.items():
            year = _parse_year(key, body)
            years[year.year] = year
        return cls(years)

    def covers(self, day: dt.date) -> bool:
        """Whether ``day``'s year is announced (otherwise it is counted provisionally)."""
        return day.year in self.years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._on:
            return True
        if day in self._off:
            return False
        return day.weekday() < 5

    def holiday_name(self, day: dt.date) -> str | None:
        return self._names.get(day)

    def sources(self) -> dict[int, str]:
        return {y: self.years[y].source for y in sorted(self.years)}


def _date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise CalendarError(f"{what}: expected a date like 2025-01-28, got {value!r}")
    return value


def _parse_year(key: Any, body: Any) -> CalendarYear:
    try:
        year = int(key)
    except (TypeError, ValueError):
        raise CalendarError(f"year key {key!r} is not a year") from None
    if not isinstance(body, Mapping):
        raise CalendarError(f"[years.{year}] must be a table")
    source = body.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CalendarError(f"[years.{year}] must say which notice it comes from (source)")
    # A notice may reach back into December of the year before (e.g. a make-up Saturday).
    earliest = dt.date(year - 1, 12, 1)
    latest = dt.date(year, 12, 31)

    def within(day: dt.date, what: str) -> dt.date:
        if not earliest <= day <= latest:
            raise CalendarError(f"{what} {day} lies outside the {year} notice")
        return day

    holidays = []
    for i, entry in enumerate(body.get("holidays", [])):
        where = f"[years.{year}] holiday {i + 1}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise CalendarError(f"{where}: needs name, from and to")
        first = within(_date(entry.get("from"), where), where)
        last = within(_date(entry.get("to", entry.get("from")), where), where)
        if last < first:
            raise CalendarError(f"{where}: ends before it starts")
        holidays.append(Holiday(entry["name"], first, last))
    workdays = []
    for value in body.get("workdays", []):
        day = within(_date(value, f"[years.{year}] workday"), "make-up working day")
        if day.weekday() < 5:
            raise CalendarError(f"make-up working day {day} is not a Saturday or Sunday")
        workdays.append(day)
    return CalendarYear(year, source.strip(), tuple(holidays), tuple(sorted(workdays)))


class Counted(NamedTuple):
    day: dt.date
    provisional: bool  # a day in a year the calendar does not hold was counted


def add_working_days(calendar: Calendar, start: dt.date, n: int) -> Counted:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted; n=0 gives
    ``start``)."""
    days, provisional = _counting_days(calendar, start, n, Unit.WORKING_DAYS)
    return Counted(days[-1] if days else start, provisional)


def next_working_day(calendar: Calendar, day: dt.date) -> Counted:
    """``day`` if it is a working day, otherwise the first working day after it."""
    provisional = not calendar.covers(day)
    while not calendar.is_working_day(day):
        day += _ONE_DAY
        provisional = provisional or not calendar.covers(day)
    return Counted(day, provisional)


def _counting_days(
    calendar: Calendar, after: dt.date, n: int, unit: Unit
) -> tuple[list[dt.date], bool]:
    if n < 0 or n > _MAX_COUNT:
        raise ClockError(f"a count of days must be between 0 and {_MAX_COUNT}, got {n}")
    days: list[dt.date] = []
    provisional = False
    day = after
    while len(days) < n:
        day += _ONE_DAY
        provisional = provisional or not calendar.covers(day)
        if unit is Unit.CALENDAR_DAYS or calendar.is_working_day(day):
            days.append(day)
    return days, provisional


@dataclass(frozen=True, slots=True)
class ClockRule:
    """One legal duty with its time limit and the text that sets it."""

    name: str
    length: int
    unit: Unit
    source: str
    max_extension: int = 0  # days (in extension_unit) one extension may add; 0 = none
    extension_unit: Unit = Unit.CALENDAR_DAYS
    pausable: bool = False

    def __post_init__(self) -> None:
        if not self.name:
            raise ClockError("a clock rule needs a name")
        if not 1 <= self.length <= 366:
            raise ClockError(f"clock {self.name}: length must be 1..366 days, got {self.length}")
        if not 0 <= self.max_extension <= MAX_EXTENSION_DAYS:
            raise ClockError(
                f"clock {self.name}: an extension may add at most {MAX_EXTENSION_DAYS} days"
            )
        if not self.source.strip():
            raise ClockError(f"clock {self.name}: cite the rule's source")


@dataclass(frozen=True, slots=True)
class Deadline:
    """A clock computed from its start. ``due_at`` is the end (exclusive) of ``due_date``."""

    rule: ClockRule
    start: dt.datetime
    counting_days: tuple[dt.date, ...]
    due_date: dt.date
    due_at: dt.datetime
    warnings: tuple[tuple[int, dt.datetime], ...]  # (per cent, moment it is reached)
    extended_by: int
    paused_days: int
    provisional: bool

    @property
    def total(self) -> int:
        return len(self.counting_days)

    def days_used(self, now: dt.datetime) -> int:
        """Counting days that have fully passed by ``now``."""
        _aware(now, "now")
        tz = self.due_at.tzinfo
        return sum(1 for day in self.counting_days if _end_of(day, tz) <= now)

    def level(self, now: dt.datetime) -> Level:
        _aware(now, "now")
        if now >= self.due_at:
            return Level.OVERDUE
        reached = [pct for pct, at in self.warnings if now >= at]
        if 90 in reached:
            return Level.WARNING_90
        if 70 in reached:
            return Level.WARNING_70
        return Level.OK

    def met_by(self, done_at: dt.datetime) -> bool:
        """Whether an act at ``done_at`` was in time."""
        _aware(done_at, "done_at")
        return done_at < self.due_at


def _aware(value: dt.datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ClockError(f"{what} must carry a time zone")


def _end_of(day: dt.date, tz: dt.tzinfo | None) -> dt.datetime:
    return dt.datetime.combine(day + _ONE_DAY, dt.time(0), tzinfo=tz)


def compute_deadline(
    rule: ClockRule,
    start: dt.datetime,
    calendar: Calendar,
    tz: dt.tzinfo,
    *,
    extension: int = 0,
    paused_days: int = 0,
) -> Deadline:
    """The deadline of ``rule`` for something that arrived at ``start``.

    ``extension`` adds days in the rule's extension unit after the original end (at most the
    rule's ``max_extension``); ``paused_days`` adds counting days, and only for a pausable
    rule. The due date is always a working day: a period ending on a day off runs on to the
    next working day. A warning of ``p`` per cent is reached at the end of the
    ``floor(p * total / 100)``-th counting day (at ``start`` when that is zero).
    """
    _aware(start, "start")
    if extension < 0 or extension > rule.max_extension:
        allowed = rule.max_extension
        raise ClockError(
            f"clock {rule.name} may be extended by at most {allowed} days, asked {extension}"
        )
    if paused_days and not rule.pausable:
        raise ClockError(f"clock {rule.name} cannot be paused")
    if paused_days < 0:
        raise ClockError("paused days cannot be negative")
    arrival = start.astimezone(tz).date()
    days, provisional = _counting_days(calendar, arrival, rule.length, rule.unit)
    if paused_days:
        more, p = _counting_days(calendar, days[-1], paused_days, rule.unit)
        days += more
        provisional = provisional or p
    if extension:
        # An extension runs on from the original end of the period, not from the roll-over.
        more, p = _counting_days(calendar, days[-1], extension, rule.extension_unit)
        days += more
        provisional = provisional or p
    due, p = next_working_day(calendar, days[-1])
    provisional = provisional or p
    warnings = []
    for pct in WARNING_LEVELS:
        k = math.floor(pct * len(days) / 100)
        warnings.append((pct, start if k == 0 else _end_of(days[k - 1], tz)))
    return Deadline(
        rule=rule,
        start=start,
        counting_days=tuple(days),
        due_date=due,
        due_at=_end_of(due, tz),
        warnings=tuple(warnings),
        extended_by=extension,
        paused_days=paused_days,
        provisional=provisional,
    )
