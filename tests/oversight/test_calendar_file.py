"""The holiday calendar file holds what the State Council notices say, and names them."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from sunshine.core.deadlines import Calendar
from sunshine.oversight.clocks import CALENDAR_FILE

pytestmark = pytest.mark.no_postgres_rerun

D = dt.date

# Days off beyond ordinary weekends, and make-up working days, per the notices.
NOTICES = {
    2024: (
        [(D(2024, 1, 1), D(2024, 1, 1)), (D(2024, 2, 10), D(2024, 2, 17)),
         (D(2024, 4, 4), D(2024, 4, 6)), (D(2024, 5, 1), D(2024, 5, 5)),
         (D(2024, 6, 10), D(2024, 6, 10)), (D(2024, 9, 15), D(2024, 9, 17)),
         (D(2024, 10, 1), D(2024, 10, 7))],
        [D(2024, 2, 4), D(2024, 2, 18), D(2024, 4, 7), D(2024, 4, 28), D(2024, 5, 11),
         D(2024, 9, 14), D(2024, 9, 29), D(2024, 10, 12)],
    ),
    2025: (
        [(D(2025, 1, 1), D(2025, 1, 1)), (D(2025, 1, 28), D(2025, 2, 4)),
         (D(2025, 4, 4), D(2025, 4, 6)), (D(2025, 5, 1), D(2025, 5, 5)),
         (D(2025, 5, 31), D(2025, 6, 2)), (D(2025, 10, 1), D(2025, 10, 8))],
        [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)],
    ),
    2026: (
        [(D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 2, 15), D(2026, 2, 23)),
         (D(2026, 4, 4), D(2026, 4, 6)), (D(2026, 5, 1), D(2026, 5, 5)),
         (D(2026, 6, 19), D(2026, 6, 21)), (D(2026, 9, 25), D(2026, 9, 27)),
         (D(2026, 10, 1), D(2026, 10, 7))],
        [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20),
         D(2026, 10, 10)],
    ),
}  # fmt: skip


def _load() -> Calendar:
    with CALENDAR_FILE.open("rb") as f:
        return Calendar.from_mapping(tomllib.load(f))


def test_every_year_names_the_notice_it_comes_from() -> None:
    sources = _load().sources()
    assert sorted(sources) == [2024, 2025, 2026]
    for year, source in sources.items():
        assert f"关于{year}年部分节假日安排的通知" in source


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_each_day_of_the_year_is_working_or_off_as_the_notice_says(year: int) -> None:
    cal = _load()
    ranges, workdays = NOTICES[year]
    off = {a + dt.timedelta(days=i) for a, b in ranges for i in range((b - a).days + 1)}
    day = D(year, 1, 1)
    while day.year == year:
        expected = day in workdays or (day.weekday() < 5 and day not in off)
        assert cal.is_working_day(day) == expected, day
        day += dt.timedelta(days=1)
