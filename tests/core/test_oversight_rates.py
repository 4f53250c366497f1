"""The three rates (三率) per county from case events: exact figures on hand-built cases, and
properties on random ones (rates in [0, 1], rankings are permutations, order never matters)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.oversight_rates import (
    ACCEPTED,
    CASE_ACTIONS,
    CLOCK_WARNING,
    CLOSED,
    DECLINED,
    ESCALATED,
    RATE_KEYS,
    RECEIVED,
    REOPENED,
    CaseEvent,
    CountyRates,
    calendar_days,
    county_rates,
    empty_rates,
    ranking,
    rankings,
)

pytestmark = pytest.mark.no_postgres_rerun

T0 = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
AS_OF = T0 + dt.timedelta(days=90)


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def case(
    cid: str,
    region: str,
    *,
    decided: tuple[str, float] | None = None,
    closed: tuple[float, bool, str | None] | None = None,
    received: float = 0,
) -> list[CaseEvent]:
    events = [CaseEvent(cid, RECEIVED, day(received), region_code=region)]
    if decided is not None:
        events.append(CaseEvent(cid, decided[0], day(decided[1])))
    if closed is not None:
        at, on_time, satisfaction = closed
        events.append(
            CaseEvent(
                cid, CLOSED, day(at), region_code=region, on_time=on_time, satisfaction=satisfaction
            )
        )
    return events


def by_region(rows: list[CountyRates]) -> dict[str, CountyRates]:
    return {r.region_code: r for r in rows}


def test_exact_counts_and_rates_of_one_county() -> None:
    events = [
        # accepted on day 3, closed on time, satisfied
        *case("a", "330110", decided=(ACCEPTED, 3), closed=(20, True, "satisfied")),
        # accepted on day 16: one day past the 15-day clock; closed late, unsatisfied
        *case("b", "330110", decided=(ACCEPTED, 16), closed=(80, False, "unsatisfied")),
        # declined on day 2: a timely response, never accepted
        *case("c", "330110", decided=(DECLINED, 2)),
        # accepted, still open, rated nothing
        *case("d", "330110", decided=(ACCEPTED, 1)),
        # accepted and closed "basically" satisfied
        *case("e", "330110", decided=(ACCEPTED, 5), closed=(30, True, "basically")),
        # closed without a rating
        *case("f", "330110", decided=(ACCEPTED, 5), closed=(30, True, None)),
        # never decided, received 85 days before as_of: its clock ran out
        *case("g", "330110", received=5),
        # never decided, received yesterday: still inside its clock
        *case("h", "330110", received=89),
        CaseEvent("d", CLOCK_WARNING, day(40)),
        CaseEvent("d", CLOCK_WARNING, day(55)),
        CaseEvent("d", ESCALATED, day(70)),
    ]
    (row,) = county_rates(events, as_of=AS_OF)
    assert row.region_code == "330110"
    assert (row.received, row.accepted, row.declined, row.closed) == (8, 5, 1, 4)
    assert row.open == 3  # d, g, h
    assert row.response_due == 7  # all but h
    assert row.responded_on_time == 5  # a, c, d, e, f
    assert row.response_rate == 5 / 7
    assert row.resolved == 4
    assert row.resolution_rate == 4 / 5
    assert (row.rated, row.content) == (3, 2)
    assert row.satisfaction_rate == 2 / 3
    assert row.warnings == 2
    assert row.escalated == 1
    assert row.overdue == 3  # b (late response and late close), d (escalated), g (no decision)


def test_an_on_time_flag_on_the_decision_overrides_the_clock() -> None:
    events = [
        CaseEvent("a", RECEIVED, day(0), region_code="330110"),
        CaseEvent("a", ACCEPTED, day(20), on_time=True),  # e.g. a working-day clock said so
        CaseEvent("b", RECEIVED, day(0), region_code="330110"),
        CaseEvent("b", ACCEPTED, day(1), on_time=False),
    ]
    (row,) = county_rates(events, as_of=AS_OF)
    assert (row.responded_on_time, row.response_due) == (1, 2)


def test_a_custom_response_clock() -> None:
    events = case("a", "330110", decided=(ACCEPTED, 4))
    assert county_rates(events, as_of=AS_OF, response_due=calendar_days(3))[0].response_rate == 0
    assert county_rates(events, as_of=AS_OF, response_due=calendar_days(4))[0].response_rate == 1


def test_events_after_as_of_are_not_seen() -> None:
    events = case("a", "330110", decided=(ACCEPTED, 3), closed=(20, True, "satisfied"))
    (row,) = county_rates(events, as_of=day(10))
    assert (row.accepted, row.closed, row.rated) == (1, 0, 0)
    assert row.satisfaction_rate is None
    assert row.resolution_rate == 0


def test_the_latest_closure_counts_after_a_reopening() -> None:
    events = [
        *case("a", "330110", decided=(ACCEPTED, 1), closed=(10, True, "unsatisfied")),
        CaseEvent("a", REOPENED, day(12), region_code="330110"),
        CaseEvent(
            "a", CLOSED, day(30), region_code="330110", on_time=True, satisfaction="satisfied"
        ),
    ]
    (row,) = county_rates(events, as_of=AS_OF)
    assert (row.closed, row.rated, row.content, row.reopened) == (1, 1, 1, 1)
    (before_second_close,) = county_rates(events, as_of=day(20))
    assert (before_second_close.closed, before_second_close.open) == (0, 1)
    assert before_second_close.resolution_rate == 0


def test_a_reopened_refusal_is_open_again() -> None:
    events = [
        *case("a", "330110", decided=(DECLINED, 1)),
        CaseEvent("a", REOPENED, day(5), region_code="330110"),
    ]
    (row,) = county_rates(events, as_of=AS_OF)
    assert (row.declined, row.open, row.reopened, row.responded_on_time) == (0, 1, 1, 1)


def test_counties_are_separate_and_a_case_belongs_to_its_first_region() -> None:
    events = [
        *case("a", "330110", decided=(ACCEPTED, 1), closed=(9, True, "satisfied")),
        *case("b", "330122", decided=(ACCEPTED, 1)),
        CaseEvent("c", ACCEPTED, day(1)),  # no region anywhere: left out
    ]
    rows = by_region(county_rates(events, as_of=AS_OF))
    assert set(rows) == {"330110", "330122"}
    assert rows["330110"].resolution_rate == 1
    assert rows["330122"].resolution_rate == 0
    assert rows["330122"].satisfaction_rate is None


def test_no_cases_means_no_rate_not_zero() -> None:
    row = empty_rates("330199")
    assert row.received == 0
    assert all(row.rate(k) is None for k in RATE_KEYS)
    with pytest.raises(ValueError, match="unknown rate"):
        row.rate("happiness")


def test_ranking_best_first_none_last_ties_by_code() -> None:
    events = [
        *case("a1", "330110", decided=(ACCEPTED, 1), closed=(5, True, "satisfied")),
        *case("b1", "330122", decided=(ACCEPTED, 1), closed=(5, True, "unsatisfied")),
        *case("c1", "330102", decided=(ACCEPTED, 1), closed=(5, True, "satisfied")),
    ]
    rows = [*county_rates(events, as_of=AS_OF), empty_rates("330101")]
    assert ranking(rows, "satisfaction_rate") == ["330102", "330110", "330122", "330101"]
    assert rankings(rows)["satisfaction_rate"] == {
        "330102": 1,
        "330110": 2,
        "330122": 3,
        "330101": 4,
    }
    assert ranking(rows, "response_rate")[-1] == "330101"


def test_a_negative_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        calendar_days(-1)


# --- properties on random event streams ----------------------------------------------------

REGIONS = ["330102", "330110", "330122", "330183"]


@st.composite
def event_streams(draw: st.DrawFn) -> list[CaseEvent]:
    events = []
    for n in range(draw(st.integers(0, 25))):
        cid = f"c{n}"
        region = draw(st.sampled_from(REGIONS))
        for _ in range(draw(st.integers(1, 5))):
            action = draw(st.sampled_from(CASE_ACTIONS))
            events.append(
                CaseEvent(
                    cid,
                    action,
                    day(draw(st.floats(0, 120, allow_nan=False))),
                    region_code=region if action in (RECEIVED, CLOSED) else "",
                    on_time=draw(st.sampled_from([None, True, False])),
                    satisfaction=draw(
                        st.sampled_from([None, "satisfied", "basically", "unsatisfied"])
                    ),
                )
            )
    return events


@settings(max_examples=150, deadline=None)
@given(event_streams())
def test_rates_lie_in_zero_one_and_counts_are_consistent(events: list[CaseEvent]) -> None:
    for row in county_rates(events, as_of=AS_OF):
        for key in RATE_KEYS:
            value = row.rate(key)
            assert value is None or 0 <= value <= 1
        assert row.responded_on_time <= row.response_due <= row.received
        assert row.resolved <= min(row.accepted, row.closed)
        assert row.content <= row.rated <= row.closed
        assert row.open <= row.received


@settings(max_examples=150, deadline=None)
@given(event_streams(), st.randoms(use_true_random=False))
def test_rankings_are_permutations_independent_of_input_order(
    events: list[CaseEvent], rnd: random.Random
) -> None:
    rows = county_rates(events, as_of=AS_OF)
    shuffled = list(events)
    rnd.shuffle(shuffled)
    assert county_rates(shuffled, as_of=AS_OF) == rows
    codes = sorted(r.region_code for r in rows)
    for key in RATE_KEYS:
        order = ranking(rows, key)
        assert sorted(order) == codes
        assert ranking(list(reversed(rows)), key) == order
        known = [r for r in rows if r.rate(key) is not None]
        values = [by_region(rows)[c].rate(key) for c in order[: len(known)]]
        assert values == sorted(values, reverse=True)


def test_since_keeps_the_cohort_received_in_the_window() -> None:
    events = [
        *case("old", "330110", decided=(ACCEPTED, 1), closed=(40, True, "satisfied")),
        *case("new", "330110", received=30, decided=(ACCEPTED, 31)),
    ]
    (row,) = county_rates(events, as_of=AS_OF, since=day(30))
    assert (row.received, row.accepted, row.closed, row.rated) == (1, 1, 0, 0)
