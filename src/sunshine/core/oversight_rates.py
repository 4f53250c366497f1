"""The three rates of complaint handling (三率) per county, computed from case events alone.

An upper level (a city, a prefecture) ranks its counties by how fast they respond, how many
cases they resolve and how satisfied the reporters are. Each figure here is a function of the
audit log's ``case.*`` events, so a county cannot improve its rank by editing its own tables.

Per case (``case_id``), with only the events at or before ``as_of`` taken into account (and,
when ``since`` is given, only the cases received from ``since`` on: a campaign's cohort):

* **county**: the ``region_code`` of the case's first event that names one (``case.received``
  names it; a case is never counted in two counties).
* **received**: the case has a ``case.received`` event; its time starts the response clock.
* **decision**: the first ``case.accepted`` or ``case.declined``. Declining is a response too:
  the clock asks for a decision on acceptance, whichever way it goes.
* **response on time**: the decision's own ``on_time`` if the event gives one, else
  ``decision.at <= response_due(received.at)``. A received case counts in the response rate's
  denominator once it is decided or its clock has run out (``response_due(received.at) <
  as_of``); an undecided case still inside its clock is neither a success nor a failure yet.
* **open**: received, and neither declined nor closed.
* **closed**: the case has a ``case.closed`` event not followed by a ``case.reopened``; the
  latest one carries ``on_time`` and ``satisfaction`` ("satisfied" | "basically" |
  "unsatisfied" | None). A reopening also undoes a refusal to accept. **reopened** counts the
  cases reopened at least once (a sign of closures that did not hold).
* **overdue**: escalated (``case.escalated``), or responded late, or undecided past its
  response clock, or closed late (``on_time`` false).

Rates (None when the denominator is 0, never a made-up 0 or 100 %):

* response rate = responded on time / received cases due for a response;
* resolution rate = accepted cases that are closed / accepted cases;
* satisfaction rate = closed cases rated "satisfied" or "basically" / closed cases rated.

Rankings order counties best first; a county without a rate comes last; ties are broken by
region code, so a ranking is always a permutation of the counties and never depends on input
order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

RECEIVED: Final = "case.received"
ACCEPTED: Final = "case.accepted"
DECLINED: Final = "case.declined"
CLOSED: Final = "case.closed"
ESCALATED: Final = "case.escalated"
CLOCK_WARNING: Final = "case.clock_warning"
REOPENED: Final = "case.reopened"
CASE_ACTIONS: Final = (RECEIVED, ACCEPTED, DECLINED, CLOSED, ESCALATED, CLOCK_WARNING, REOPENED)

SATISFACTIONS: Final = ("satisfied", "basically", "unsatisfied")
CONTENT: Final = frozenset({"satisfied", "basically"})

# 信访工作条例 (2022): decide on acceptance within 15 days. The caller may pass a
# working-day clock instead (see response_due in county_rates).
DEFAULT_RESPONSE_DAYS: Final = 15

RATE_KEYS: Final = ("response_rate", "resolution_rate", "satisfaction_rate")
_COUNTS: Final = (
    "received",
    "accepted",
    "declined",
    "closed",
    "open",
    "overdue",
    "escalated",
    "reopened",
    "warnings",
    "response_due",
    "responded_on_time",
    "resolved",
    "rated",
    "content",
)


@dataclass(frozen=True, slots=True)
class CaseEvent:
    case_id: str
    action: str  # one of CASE_ACTIONS; others are ignored
    at: dt.datetime
    region_code: str = ""
    on_time: bool | None = None
    satisfaction: str | None = None


@dataclass(frozen=True, slots=True)
class CountyRates:
    region_code: str
    received: int
    accepted: int
    declined: int
    closed: int
    open: int  # received, neither declined nor closed
    overdue: int
    escalated: int
    reopened: int  # cases reopened at least once
    warnings: int  # clock warnings (70 % / 90 %) issued
    response_due: int
    responded_on_time: int
    resolved: int  # accepted and closed
    rated: int  # closed with a satisfaction answer
    content: int  # rated "satisfied" or "basically"
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None

    def rate(self, key: str) -> float | None:
        if key not in RATE_KEYS:
            raise ValueError(f"unknown rate {key!r}; one of {', '.join(RATE_KEYS)}")
        value: float | None = getattr(self, key)
        return value


@dataclass(slots=True)
class _Case:
    region_code: str = ""
    received_at: dt.datetime | None = None
    decision: CaseEvent | None = None
    accepted: bool = False
    declined: bool = False
    last_close: CaseEvent | None = None
    escalated: bool = False
    reopened: bool = False
    warnings: int = 0


def calendar_days(days: int = DEFAULT_RESPONSE_DAYS) -> Callable[[dt.datetime], dt.datetime]:
    """A response clock of ``days`` calendar days from receipt."""
    if days < 0:
        raise ValueError(f"a clock cannot be negative: {days}")
    span = dt.timedelta(days=days)
    return lambda received_at: received_at + span


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _cases(events: Iterable[CaseEvent], as_of: dt.datetime) -> dict[str, _Case]:
    cases: dict[str, _Case] = {}

    # Sorting on every field makes the result independent of the input's order.
    def order(e: CaseEvent) -> tuple[dt.datetime, str, str, str, str, str]:
        return (e.at, e.case_id, e.action, e.region_code, str(e.on_time), str(e.satisfaction))

    for event in sorted(events, key=order):
        if event.at > as_of or event.action not in CASE_ACTIONS:
            continue
        case = cases.setdefault(event.case_id, _Case())
        if not case.region_code and event.region_code:
            case.region_code = event.region_code
        if event.action == RECEIVED and case.received_at is None:
            case.received_at = event.at
        elif event.action in (ACCEPTED, DECLINED):
            case.accepted |= event.action == ACCEPTED
            case.declined |= event.action == DECLINED
            if case.decision is None:
                case.decision = event
        elif event.action == CLOSED:
            case.last_close = event
        elif event.action == ESCALATED:
            case.escalated = True
        elif event.action == CLOCK_WARNING:
            case.warnings += 1
        elif event.action == REOPENED:
            case.reopened = True
            case.last_close = None
            case.declined = case.declined and case.accepted
    return cases


def _response(
    case: _Case, as_of: dt.datetime, response_due: Callable[[dt.datetime], dt.datetime]
) -> tuple[bool, bool]:
    """(due for a response, responded on time) of one case."""
    if case.received_at is None:
        return False, False
    due_at = response_due(case.received_at)
    if case.decision is None:
        return due_at < as_of, False
    on_time = case.decision.on_time
    if on_time is None:
        on_time = case.decision.at <= due_at
    return True, on_time


def county_rates(
    events: Iterable[CaseEvent],
    *,
    as_of: dt.datetime,
    since: dt.datetime | None = None,
    response_due: Callable[[dt.datetime], dt.datetime] | None = None,
) -> list[CountyRates]:
    """Counts and rates per county, sorted by region code. Cases with no region are left out;
    with ``since``, so are cases not received in [since, as_of] (a campaign's cohort)."""
    due = response_due or calendar_days()
    totals: dict[str, dict[str, int]] = {}
    for case in _cases(events, as_of).values():
        if not case.region_code:
            continue
        if since is not None and (case.received_at is None or case.received_at < since):
            continue
        t = totals.setdefault(case.region_code, dict.fromkeys(_COUNTS, 0))
        response_due_now, on_time = _response(case, as_of, due)
        closed = case.last_close is not None
        rating = case.last_close.satisfaction if case.last_close is not None else None
        late_close = case.last_close is not None and case.last_close.on_time is False
        t["received"] += case.received_at is not None
        t["accepted"] += case.accepted
        t["declined"] += case.declined
        t["closed"] += closed
        t["open"] += case.received_at is not None and not closed and not case.declined
        t["escalated"] += case.escalated
        t["reopened"] += case.reopened
        t["warnings"] += case.warnings
        t["response_due"] += response_due_now
        t["responded_on_time"] += on_time
        t["resolved"] += case.accepted and closed
        t["rated"] += rating in SATISFACTIONS
        t["content"] += rating in CONTENT
        t["overdue"] += case.escalated or (response_due_now and not on_time) or late_close
    return [
        CountyRates(
            region_code=code,
            **t,
            response_rate=_ratio(t["responded_on_time"], t["response_due"]),
            resolution_rate=_ratio(t["resolved"], t["accepted"]),
            satisfaction_rate=_ratio(t["content"], t["rated"]),
        )
        for code, t in sorted(totals.items())
    ]


def empty_rates(region_code: str) -> CountyRates:
    """The row of a county with no cases: every count 0, every rate None."""
    return CountyRates(
        region_code=region_code,
        **dict.fromkeys(_COUNTS, 0),
        response_rate=None,
        resolution_rate=None,
        satisfaction_rate=None,
    )


def ranking(rows: Sequence[CountyRates], key: str) -> list[str]:
    """Region codes best first by rate ``key``; no rate last; ties by region code."""

    def order(row: CountyRates) -> tuple[bool, float, str]:
        value = row.rate(key)
        return (value is None, -(value or 0.0), row.region_code)

    return [row.region_code for row in sorted(rows, key=order)]


def rankings(rows: Sequence[CountyRates]) -> dict[str, dict[str, int]]:
    """For each rate, each county's place (1 = best)."""
    return {
        key: {code: place for place, code in enumerate(ranking(rows, key), start=1)}
        for key in RATE_KEYS
    }
