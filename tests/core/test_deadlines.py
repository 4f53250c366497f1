"""Legal clocks: exact deadlines across 春节, 国庆 and make-up weekend days, warnings, the
provisional fallback, and properties of working-day arithmetic.

The calendar here is written out from the State Council notices independently of the data
file in the oversight app (tests/oversight/test_calendar_file.py checks that file)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.core.deadlines import (
    Calendar,
    CalendarError,
    ClockError,
    ClockRule,
    Level,
    Unit,
    add_working_days,
    compute_deadline,
    next_working_day,
)

pytestmark = pytest.mark.no_postgres_rerun

TZ = ZoneInfo("Asia/Shanghai")
D = dt.date


def _h(name: str, first: dt.date, last: dt.date | None = None) -> dict[str, object]:
    return {"name": name, "from": first, "to": last or first}


CAL = Calendar.from_mapping(
    {
        "years": {
            "2025": {
                "source": "国办 2025 notice",
                "holidays": [
                    _h("元旦", D(2025, 1, 1)),
                    _h("春节", D(2025, 1, 28), D(2025, 2, 4)),
                    _h("清明节", D(2025, 4, 4), D(2025, 4, 6)),
                    _h("劳动节", D(2025, 5, 1), D(2025, 5, 5)),
                    _h("端午节", D(2025, 5, 31), D(2025, 6, 2)),
                    _h("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8)),
                ],
                "workdays": [
                    D(2025, 1, 26),
                    D(2025, 2, 8),
                    D(2025, 4, 27),
                    D(2025, 9, 28),
                    D(2025, 10, 11),
                ],
            },
            "2026": {
                "source": "国办 2026 notice",
                "holidays": [
                    _h("元旦", D(2026, 1, 1), D(2026, 1, 3)),
                    _h("春节", D(2026, 2, 15), D(2026, 2, 23)),
                    _h("清明节", D(2026, 4, 4), D(2026, 4, 6)),
                    _h("劳动节", D(2026, 5, 1), D(2026, 5, 5)),
                    _h("端午节", D(2026, 6, 19), D(2026, 6, 21)),
                    _h("中秋节", D(2026, 9, 25), D(2026, 9, 27)),
                    _h("国庆节", D(2026, 10, 1), D(2026, 10, 7)),
                ],
                "workdays": [
                    D(2026, 1, 4),
                    D(2026, 2, 14),
                    D(2026, 2, 28),
                    D(2026, 5, 9),
                    D(2026, 9, 20),
                    D(2026, 10, 10),
                ],
            },
        }
    }
)

SRC = "test source"
ACCEPT_15 = ClockRule("acceptance", 15, Unit.CALENDAR_DAYS, SRC)
HANDLE_60 = ClockRule("handling", 60, Unit.CALENDAR_DAYS, SRC, max_extension=30)
WORK_15 = ClockRule("feedback", 15, Unit.WORKING_DAYS, SRC)


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)  # type: ignore[misc]


# --- the calendar ---------------------------------------------------------------------------


def test_make_up_weekend_days_are_working_days_and_holidays_are_not() -> None:
    assert CAL.is_working_day(D(2025, 1, 26))  # Sunday, 春节 make-up day
    assert CAL.is_working_day(D(2026, 2, 28))  # Saturday, 春节 make-up day
    assert CAL.is_working_day(D(2026, 9, 20))  # Sunday, 国庆 make-up day
    assert not CAL.is_working_day(D(2025, 2, 3))  # Monday in 春节
    assert not CAL.is_working_day(D(2025, 10, 8))  # Wednesday in 国庆
    assert not CAL.is_working_day(D(2025, 3, 1))  # an ordinary Saturday
    assert CAL.is_working_day(D(2025, 3, 3))  # an ordinary Monday
    assert CAL.holiday_name(D(2026, 2, 20)) == "春节"
    assert CAL.holiday_name(D(2026, 2, 24)) is None


def test_a_year_missing_from_the_calendar_counts_weekends_only_and_is_provisional() -> None:
    assert not CAL.covers(D(2027, 1, 1))
    assert CAL.is_working_day(D(2027, 1, 1))  # a Friday; its holiday is not announced yet
    assert not CAL.is_working_day(D(2027, 1, 2))  # a Saturday
    # Arrival Sun 2026-12-20: Dec 21-25 (5), Dec 28-31 (9), Jan 1 (10), Jan 4-8 (15).
    assert add_working_days(CAL, D(2026, 12, 20), 15) == (D(2027, 1, 8), True)
    assert add_working_days(CAL, D(2026, 12, 1), 5) == (D(2026, 12, 8), False)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "at least one year"),
        ({"years": {"20x5": {}}}, "not a year"),
        ({"years": {"2025": {"holidays": []}}}, "which notice"),
        ({"years": {"2025": {"source": "s", "workdays": [D(2025, 1, 27)]}}}, "not a Saturday"),
        ({"years": {"2025": {"source": "s", "workdays": ["2025-01-26"]}}}, "expected a date"),
        (
            {"years": {"2025": {"source": "s", "holidays": [_h("x", D(2024, 5, 1))]}}},
            "outside the 2025 notice",
        ),
        (
            {
                "years": {
                    "2025": {"source": "s", "holidays": [_h("x", D(2025, 5, 2), D(2025, 5, 1))]}
                }
            },
            "ends before it starts",
        ),
        (
            {
                "years": {
                    "2025": {
                        "source": "s",
                        "holidays": [_h("x", D(2025, 1, 26))],
                        "workdays": [D(2025, 1, 26)],
                    }
                }
            },
            "both off and working",
        ),
    ],
)
def test_malformed_calendar_data_is_refused_with_a_reason(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(CalendarError, match=message):
        Calendar.from_mapping(data)


def test_a_notice_may_name_a_make_up_day_in_the_previous_december() -> None:
    cal = Calendar.from_mapping({"years": {"2012": {"source": "s", "workdays": [D(2011, 12, 31)]}}})
    assert cal.is_working_day(D(2011, 12, 31))


# --- exact deadlines ------------------------------------------------------------------------


def test_fifteen_working_days_across_the_2025_spring_festival() -> None:
    # Arrival Fri 2025-01-24. Counting starts Sat 25th: Sun 26 (make-up) 1, Mon 27 2, then
    # 春节 Jan 28-Feb 4 off, Feb 5-7 3-5, Sat Feb 8 (make-up) 6, Feb 10-14 7-11,
    # Feb 17-20 12-15.
    d = compute_deadline(WORK_15, at(2025, 1, 24, 10, 0), CAL, TZ)
    assert d.due_date == D(2025, 2, 20)
    assert d.due_at == at(2025, 2, 21)
    assert d.total == 15
    assert d.counting_days[:3] == (D(2025, 1, 26), D(2025, 1, 27), D(2025, 2, 5))
    # 70 % of 15 = 10.5: reached at the end of the 10th counting day (Feb 13);
    # 90 % = 13.5: at the end of the 13th (Feb 18).
    assert dict(d.warnings) == {70: at(2025, 2, 14), 90: at(2025, 2, 19)}
    assert not d.provisional


def test_levels_and_days_used_of_a_working_day_clock() -> None:
    d = compute_deadline(WORK_15, at(2025, 1, 24, 10, 0), CAL, TZ)
    assert d.level(at(2025, 2, 13, 23, 59)) is Level.OK
    assert d.level(at(2025, 2, 14)) is Level.WARNING_70
    assert d.level(at(2025, 2, 19)) is Level.WARNING_90
    assert d.level(at(2025, 2, 20, 23, 59)) is Level.WARNING_90
    assert d.level(at(2025, 2, 21)) is Level.OVERDUE
    assert d.met_by(at(2025, 2, 20, 23, 59))
    assert not d.met_by(at(2025, 2, 21))
    assert d.days_used(at(2025, 1, 30)) == 2  # 春节 days do not count
    assert d.days_used(at(2025, 2, 9, 12)) == 6  # make-up Saturday Feb 8 counted


def test_fifteen_calendar_days_ending_in_national_day_run_on_to_the_next_working_day() -> None:
    # Arrival Sat 2025-09-20; the 15th day is Oct 5, inside 国庆 (Oct 1-8): due Thu Oct 9.
    d = compute_deadline(ACCEPT_15, at(2025, 9, 20, 15, 30), CAL, TZ)
    assert d.counting_days[-1] == D(2025, 10, 5)
    assert d.due_date == D(2025, 10, 9)
    assert d.due_at == at(2025, 10, 10)


def test_sixty_calendar_days_ending_in_the_2026_spring_festival() -> None:
    # 2025-12-18 + 60 days = 2026-02-16 (春节 Feb 15-23): due Tue Feb 24.
    d = compute_deadline(HANDLE_60, at(2025, 12, 18, 9, 0), CAL, TZ)
    assert d.counting_days[-1] == D(2026, 2, 16)
    assert d.due_date == D(2026, 2, 24)
    assert not d.provisional


def test_a_deadline_may_fall_on_a_make_up_saturday_or_sunday() -> None:
    # Wed 2026-02-25 + 3 working days: Thu 26, Fri 27, Sat 28 (make-up day).
    three = ClockRule("x", 3, Unit.WORKING_DAYS, SRC)
    assert compute_deadline(three, at(2026, 2, 25, 9), CAL, TZ).due_date == D(2026, 2, 28)
    # Fri 2026-09-18 + 1 working day: Sun Sep 20 (make-up day for 国庆).
    one = ClockRule("x", 1, Unit.WORKING_DAYS, SRC)
    assert compute_deadline(one, at(2026, 9, 18, 17), CAL, TZ).due_date == D(2026, 9, 20)


def test_the_arrival_day_is_the_local_date_of_the_arrival_moment() -> None:
    # 17:30 UTC on Jan 27 is 01:30 on Jan 28 in China, a 春节 day: the first working day
    # after it is Wed Feb 5.
    one = ClockRule("x", 1, Unit.WORKING_DAYS, SRC)
    start = dt.datetime(2025, 1, 27, 17, 30, tzinfo=dt.UTC)
    assert compute_deadline(one, start, CAL, TZ).due_date == D(2025, 2, 5)


def test_one_extension_of_at_most_thirty_days_runs_on_from_the_original_end() -> None:
    # 2025-08-01 + 60 days = Tue Sep 30; +30 days = Thu Oct 30.
    plain = compute_deadline(HANDLE_60, at(2025, 8, 1, 11), CAL, TZ)
    extended = compute_deadline(HANDLE_60, at(2025, 8, 1, 11), CAL, TZ, extension=30)
    assert plain.due_date == D(2025, 9, 30)
    assert extended.due_date == D(2025, 10, 30)
    assert extended.extended_by == 30
    assert extended.total == 90
    with pytest.raises(ClockError, match="at most 30"):
        compute_deadline(HANDLE_60, at(2025, 8, 1, 11), CAL, TZ, extension=31)
    with pytest.raises(ClockError, match="at most 0"):
        compute_deadline(ACCEPT_15, at(2025, 8, 1, 11), CAL, TZ, extension=5)


def test_clocks_do_not_pause_unless_the_rule_says_so() -> None:
    with pytest.raises(ClockError, match="cannot be paused"):
        compute_deadline(WORK_15, at(2025, 3, 3, 9), CAL, TZ, paused_days=2)
    pausable = ClockRule("x", 5, Unit.WORKING_DAYS, SRC, pausable=True)
    # Mon 2025-03-03 + 5 working days = Mon Mar 10; two paused days: Wed Mar 12.
    assert compute_deadline(pausable, at(2025, 3, 3, 9), CAL, TZ).due_date == D(2025, 3, 10)
    paused = compute_deadline(pausable, at(2025, 3, 3, 9), CAL, TZ, paused_days=2)
    assert paused.due_date == D(2025, 3, 12)


def test_a_deadline_reaching_into_an_unannounced_year_is_provisional() -> None:
    d = compute_deadline(WORK_15, at(2026, 12, 20, 9), CAL, TZ)
    assert d.due_date == D(2027, 1, 8)
    assert d.provisional


def test_bad_clock_inputs_are_refused() -> None:
    with pytest.raises(ClockError, match="time zone"):
        compute_deadline(WORK_15, dt.datetime(2025, 3, 3, 9), CAL, TZ)
    with pytest.raises(ClockError, match="length"):
        ClockRule("x", 0, Unit.WORKING_DAYS, SRC)
    with pytest.raises(ClockError, match="at most 30"):
        ClockRule("x", 60, Unit.CALENDAR_DAYS, SRC, max_extension=45)
    with pytest.raises(ClockError, match="source"):
        ClockRule("x", 60, Unit.CALENDAR_DAYS, " ")
    with pytest.raises(ClockError, match="between 0"):
        add_working_days(CAL, D(2025, 1, 1), -1)


def test_a_one_day_clock_warns_from_its_start() -> None:
    one = ClockRule("x", 1, Unit.CALENDAR_DAYS, SRC)
    d = compute_deadline(one, at(2025, 3, 3, 9), CAL, TZ)
    assert dict(d.warnings) == {70: at(2025, 3, 3, 9), 90: at(2025, 3, 3, 9)}
    assert d.level(at(2025, 3, 3, 9)) is Level.WARNING_90


# --- properties -----------------------------------------------------------------------------

days = st.dates(min_value=D(2024, 6, 1), max_value=D(2027, 6, 30))
moments = st.datetimes(
    min_value=dt.datetime(2024, 6, 1), max_value=dt.datetime(2027, 6, 30), timezones=st.just(TZ)
)
rules = st.builds(
    ClockRule,
    name=st.just("r"),
    length=st.integers(1, 90),
    unit=st.sampled_from(list(Unit)),
    source=st.just(SRC),
    max_extension=st.just(30),
)


@given(rule=rules, start=moments, extension=st.integers(0, 30))
def test_a_deadline_never_lands_on_a_non_working_day(
    rule: ClockRule, start: dt.datetime, extension: int
) -> None:
    d = compute_deadline(rule, start, CAL, TZ, extension=extension)
    assert CAL.is_working_day(d.due_date)
    assert d.due_date >= d.counting_days[-1] > start.date()
    assert start <= d.warnings[0][1] <= d.warnings[1][1] <= d.due_at


@given(rule=rules, a=moments, b=moments)
def test_a_later_arrival_never_gives_an_earlier_deadline(
    rule: ClockRule, a: dt.datetime, b: dt.datetime
) -> None:
    first, second = sorted((a, b))
    assert (
        compute_deadline(rule, first, CAL, TZ).due_at
        <= compute_deadline(rule, second, CAL, TZ).due_at
    )


@given(day=days, n=st.integers(0, 120), m=st.integers(0, 120))
def test_adding_n_then_m_working_days_is_adding_n_plus_m(day: dt.date, n: int, m: int) -> None:
    step = add_working_days(CAL, day, n)
    two_steps = add_working_days(CAL, step.day, m)
    at_once = add_working_days(CAL, day, n + m)
    assert two_steps.day == at_once.day
    assert (step.provisional or two_steps.provisional) == at_once.provisional


@given(day=days)
def test_next_working_day_is_the_first_working_day_on_or_after(day: dt.date) -> None:
    found = next_working_day(CAL, day).day
    assert CAL.is_working_day(found)
    assert all(
        not CAL.is_working_day(D.fromordinal(o)) for o in range(day.toordinal(), found.toordinal())
    )


@given(day=st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 11, 30)), n=st.integers(0, 20))
def test_inside_announced_years_nothing_is_provisional(day: dt.date, n: int) -> None:
    assert not add_working_days(CAL, day, n).provisional
