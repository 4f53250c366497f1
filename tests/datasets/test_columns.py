from __future__ import annotations

import datetime as dt
import math
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.datasets.columns import (
    EMPTY,
    convert_column,
    format_column,
    has_space,
    split_list,
)
from sunshine.datasets.schema import Column

pytestmark = pytest.mark.no_postgres_rerun

INT = Column("n", "int", min=0, max=100)
OPT_INT = Column("n", "int", required=False, min=1)
SHARE = Column("share", "float", min=0.0, max=1.0, min_exclusive=True)
DATE = Column("d", "date")
OPT_DATE = Column("d", "date", required=False)
ENUM = Column("stage", "enum", choices=("primary", "junior"))
OPT_ENUM = Column("stage", "enum", required=False, choices=("primary", "junior"))
LIST = Column("ids", "list")
OPT_LIST = Column("ids", "list", required=False)
BOOL = Column("ok", "bool")
STR = Column("s", "str")


def test_typed_arrays_have_the_documented_dtypes_and_missing_values() -> None:
    ints, _ = convert_column(OPT_INT, ["3", ""])
    assert ints.dtype == np.int64
    assert ints.tolist() == [3, -1]
    floats, _ = convert_column(Column("x", "float", required=False), ["0.5", ""])
    assert floats.dtype == np.float64
    assert floats[0] == 0.5
    assert math.isnan(floats[1])
    dates, _ = convert_column(OPT_DATE, ["2020-02-29", ""])
    assert dates.dtype == np.dtype("datetime64[D]")
    assert dates[0] == np.datetime64("2020-02-29")
    assert np.isnat(dates[1])
    lists, _ = convert_column(OPT_LIST, [" a ; b;;", ""])
    assert lists.dtype == object
    assert lists.tolist() == [("a", "b"), ()]
    bools, _ = convert_column(BOOL, ["true", "FALSE", "1", "0", "True"])
    assert bools.dtype == bool
    assert bools.tolist() == [True, False, True, False, True]


@pytest.mark.parametrize(
    ("column", "cells", "expected"),
    [
        (INT, ["1", "x", "", "101", "-1", "2.5"], [1, 2, 3, 4, 5]),
        (OPT_INT, ["", "0", "2"], [1]),
        (SHARE, ["0.5", "0", "1.5", "nan", "inf", "1"], [1, 2, 3, 4]),
        (
            DATE,
            ["2020-01-01", "2020-02-30", "2020-1-1", "2020-01-01T10", "20200101", ""],
            [1, 2, 3, 4, 5],
        ),
        (ENUM, ["primary", "Primary", "", "senior"], [1, 2, 3]),
        (OPT_ENUM, ["", "junior", "x"], [2]),
        (LIST, ["a", "", " ; ", "b;c"], [1, 2]),
        (BOOL, ["true", "yes", "", "false"], [1, 2]),
        (STR, ["a", "", "b"], [1]),
    ],
)
def test_every_bad_cell_is_reported_by_its_index(
    column: Column, cells: list[str], expected: list[int]
) -> None:
    _, issues = convert_column(column, cells)
    assert [i for i, _ in issues] == expected


def test_messages_say_what_is_wrong() -> None:
    _, issues = convert_column(INT, ["", "x", "101"])
    assert issues == [
        (0, EMPTY),
        (1, "'x' is not a whole number"),
        (2, "101 is above the maximum 100"),
    ]
    _, issues = convert_column(SHARE, ["0"])
    assert issues == [(0, "0 is not above the minimum 0")]
    _, issues = convert_column(ENUM, ["senior"])
    assert issues == [(0, "'senior' is not one of: primary, junior")]
    _, issues = convert_column(DATE, ["2021-02-30"])
    assert issues == [(0, "'2021-02-30' is not a date written YYYY-MM-DD")]


def test_split_list_strips_and_drops_empty_items() -> None:
    assert split_list("") == ()
    assert split_list("a") == ("a",)
    assert split_list(" a ;; b ;") == ("a", "b")


# Round trip: what format_column writes, convert_column reads back equal and without issues.
_ids = st.text(alphabet="ABC阳光-_09", min_size=1, max_size=6)
_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(st.lists(st.one_of(st.none(), st.integers(1, 10**12))))
def test_optional_int_round_trip(values: list[int | None]) -> None:
    array = np.array([-1 if v is None else v for v in values], dtype=np.int64)
    back, issues = convert_column(OPT_INT, format_column(OPT_INT, array))
    assert issues == []
    assert back.tolist() == array.tolist()


@given(st.lists(st.floats(min_value=73.0, max_value=136.0)))
def test_float_round_trip_is_exact(values: list[float]) -> None:
    column = Column("lon", "float", min=73.0, max=136.0)
    array = np.array(values, dtype=np.float64)
    back, issues = convert_column(column, format_column(column, array))
    assert issues == []
    assert back.tolist() == array.tolist()


@given(st.lists(st.one_of(st.none(), _dates)))
def test_date_round_trip(values: list[dt.date | None]) -> None:
    array = np.array([np.datetime64("NaT") if v is None else v for v in values], "datetime64[D]")
    back, issues = convert_column(OPT_DATE, format_column(OPT_DATE, array))
    assert issues == []
    assert np.array_equal(back, array, equal_nan=True)


@given(st.lists(st.lists(_ids, max_size=4).map(tuple)))
def test_list_round_trip(values: list[tuple[str, ...]]) -> None:
    array = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        array[i] = v
    back, issues = convert_column(OPT_LIST, format_column(OPT_LIST, array))
    assert issues == []
    assert back.tolist() == values


@given(st.lists(st.text(alphabet="0123456789-T :x", max_size=12)))
def test_the_date_fast_path_agrees_with_a_cell_by_cell_reading(cells: list[str]) -> None:
    values, issues = convert_column(OPT_DATE, cells)
    bad = {i for i, _ in issues}
    for i, cell in enumerate(cells):
        try:
            ok = len(cell) == 10 and cell[4] == cell[7] == "-"
            expected = (
                dt.date.fromisoformat(cell) if ok and cell.replace("-", "").isdigit() else None
            )
        except ValueError:
            expected = None
        if cell == "":
            assert np.isnat(values[i])
        elif expected is None:
            assert i in bad, cell
        else:
            assert i not in bad
            assert values[i] == np.datetime64(expected)


@given(st.lists(st.text(alphabet="0123456789-+. xe_", max_size=6)))
def test_the_int_fast_path_agrees_with_a_cell_by_cell_reading(cells: list[str]) -> None:
    values, issues = convert_column(INT, cells)
    bad = {i for i, _ in issues}
    for i, cell in enumerate(cells):
        try:
            expected: int | None = int(cell)
        except ValueError:
            expected = None
        if expected is None or not 0 <= expected <= 100:
            assert i in bad, cell
        else:
            assert i not in bad
            assert values[i] == expected


@given(st.lists(st.text(alphabet=st.sampled_from([*"ab ;", "\u3000", "\xa0", "中"]), max_size=8)))
def test_the_list_fast_path_agrees_with_splitting_each_cell(raw: list[str]) -> None:
    cells = [c.strip() for c in raw]  # as build_table hands them over
    values, _ = convert_column(OPT_LIST, cells)
    assert values.tolist() == [split_list(c) for c in cells]


def test_has_space_finds_every_character_strip_removes() -> None:
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    assert all(has_space(f"a{c}b") for c in spaces)
    assert not has_space("330102201801010011;中文-A")
