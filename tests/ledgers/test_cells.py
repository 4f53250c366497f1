"""The cell rules shared by forms, API and import (pure functions)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.ledgers.cells import (
    CellError,
    as_choice,
    as_date,
    as_number,
    as_text,
    chinese_date,
    normalize_text,
)
from tests.ledgers.strategies import texts

pytestmark = pytest.mark.no_postgres_rerun


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_a_date_reads_back_in_every_written_form(day: dt.date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month:02d}.{day.day}",
        chinese_date(day),
        f" {day.isoformat()} ",
    ):
        assert as_date(text, required=True) == day
    assert as_date(dt.datetime.combine(day, dt.time()), required=True) == day


@pytest.mark.parametrize("bad", ["2024-13-01", "2024-02-30", "明天", "20240725", 45000, True])
def test_not_a_date(bad: object) -> None:
    with pytest.raises(CellError):
        as_date(bad, required=False)


def test_a_date_with_a_time_is_refused() -> None:
    with pytest.raises(CellError, match="不含时间"):
        as_date(dt.datetime(2024, 7, 25, 9, 30), required=False)
    assert as_date("", required=False) is None
    with pytest.raises(CellError, match="不能为空"):
        as_date(None, required=True)


@given(texts(max_size=60))
def test_text_normalisation_is_stable(text: str) -> None:
    once = as_text(text, max_length=2000, required=False)
    assert once == text == normalize_text(once)
    assert (
        as_text(
            f"  {text.replace(chr(10), chr(13) + chr(10))}\r\n", max_length=2000, required=False
        )
        == text
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(12345, "12345"), (3.0, "3"), (2.5, "2.5"), (dt.date(2024, 7, 1), "2024-07-01"), (None, "")],
)
def test_typed_values_in_a_text_column(value: object, text: str) -> None:
    assert as_text(value, max_length=50, required=False) == text


@pytest.mark.parametrize("value", [123456789012345678, 1.23456789012345e17])
def test_a_number_excel_has_rounded_is_refused(value: object) -> None:
    with pytest.raises(CellError, match="15位"):
        as_text(value, max_length=50, required=False)


def test_text_limits() -> None:
    with pytest.raises(CellError, match="控制字符"):
        as_text("a\x00b", max_length=50, required=False)
    with pytest.raises(CellError) as caught:
        as_text("长" * 11, max_length=10, required=False)
    assert caught.value.params == {"max": 10}
    with pytest.raises(CellError):
        as_text(True, max_length=10, required=False)


@pytest.mark.parametrize(
    ("value", "number"), [(3, 3), (3.0, 3), (" 12 ", 12), (None, None), ("", None)]
)
def test_numbers(value: object, number: int | None) -> None:
    assert as_number(value, required=False) == number


@pytest.mark.parametrize("bad", [0, -1, 2.5, "三", True, 10**7])
def test_not_a_number(bad: object) -> None:
    with pytest.raises(CellError):
        as_number(bad, required=False)


def test_choices_by_label_or_code() -> None:
    labels = {"整改中": "in_progress", "已完成": "done"}
    assert as_choice("已完成", labels, required=True) == "done"
    assert as_choice("in_progress", labels, required=True) == "in_progress"
    assert as_choice(" ", labels, required=False) == ""
    with pytest.raises(CellError) as caught:
        as_choice("完成了", labels, required=True)
    assert caught.value.params == {"choices": "整改中、已完成"}
