"""The numpy CSV reader and its typed columns against the full reader's Python semantics."""

from __future__ import annotations

import datetime as dt
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.datasets import bytecols
from sunshine.datasets.bytecsv import Declined, encoded, parse, strip_safe
from sunshine.datasets.errors import PackageError
from sunshine.datasets.rawtable import parse_csv
from sunshine.datasets.schema import Column

pytestmark = pytest.mark.no_postgres_rerun

SPACES = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
CELL = st.text(alphabet=st.sampled_from([*"ab1;-. ", "中", "号", "\u3000", "\xa0"]), max_size=6)


def texts(values: np.ndarray) -> list[str]:
    return [v.decode("utf-8") for v in values.tolist()]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=8),
    crlf=st.booleans(),
    bom=st.booleans(),
    final=st.booleans(),
)
def test_columns_equal_the_full_readers(
    rows: list[list[str]], crlf: bool, bom: bool, final: bool
) -> None:
    end = "\r\n" if crlf else "\n"
    text = end.join(",".join(r) for r in [["x", "y", "z"], *rows]) + (end if final else "")
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    errors: list[PackageError] = []
    full = parse_csv(text, "t.csv", errors)
    try:
        table = parse(data, "t.csv")
    except Declined:  # only for what the full reader treats specially: empty rows
        assert any(not any(r) for r in rows)
        return
    assert full is not None
    assert not errors
    assert table.header == full.header
    assert table.n_rows == len(full.row_numbers)
    for name, cells in zip(full.header, full.columns, strict=True):
        assert texts(table.columns[name].values) == list(cells)


def test_strip_safe_knows_every_space() -> None:
    for space in [s for s in SPACES if s != "\n"]:  # a parsed cell never holds a line feed
        for cell in (space + "x", "x" + space, "中" + space, space + "号", space):
            assert not strip_safe(encoded(["ok", cell])), repr(cell)
    assert strip_safe(encoded(["", "a b", "中 文", "\u3001", "x\u200b", "号"]))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from([*"a ,;", *SPACES[:12], "中", "\u2029"])), max_size=5)
)
def test_strip_safe_is_strip_leaving_every_cell_alone(cells: list[str]) -> None:
    cells = [c.replace("\n", "") for c in cells]
    assert strip_safe(encoded(cells)) == all(c == c.strip() for c in cells)


def test_encoded_refuses_what_it_cannot_split() -> None:
    assert texts(encoded(["a", "", "中文"]).values) == ["a", "", "中文"]
    for bad in (["a\nb"], ["a\x00"], ["\ud800"]):
        with pytest.raises(Declined):
            encoded(bad)


NUMBER = st.from_regex(r"[0-9]{1,9}(\.[0-9]{0,6})?|\.[0-9]{1,6}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(NUMBER, min_size=1, max_size=20))
def test_decimals_equal_python_float(cells: list[str]) -> None:
    values = bytecols.decimal(Column("x", "float"), encoded(cells))
    assert values.tolist() == [float(c) for c in cells]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.from_regex(r"[0-9]{1,15}", fullmatch=True), min_size=1, max_size=20))
def test_whole_numbers_equal_python_int(cells: list[str]) -> None:
    values = bytecols.integer(Column("x", "int"), encoded(cells))
    assert values.tolist() == [int(c) for c in cells]


@pytest.mark.parametrize(
    ("kind", "cell"),
    [("float", "1e5"), ("float", "+1"), ("float", "1.2.3"), ("float", "."), ("float", "1_0"),
     ("float", "1234567890123456"), ("int", "-1"), ("int", "٣"), ("int", ""), ("int", "1.0")],
)  # fmt: skip
def test_other_number_spellings_are_declined(kind: str, cell: str) -> None:
    convert = bytecols.decimal if kind == "float" else bytecols.integer
    with pytest.raises(Declined):
        convert(Column("x", kind), encoded(["1", cell]))  # type: ignore[arg-type]


def test_number_bounds_are_the_columns() -> None:
    share = Column("share", "float", min=0.0, max=1.0, min_exclusive=True)
    assert bytecols.decimal(share, encoded(["1", "0.5"])).tolist() == [1.0, 0.5]
    for bad in ("0", "1.5"):
        with pytest.raises(Declined):
            bytecols.decimal(share, encoded([bad]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), min_size=1, max_size=20))
def test_dates_equal_numpy(days: list[dt.date]) -> None:
    cells = [d.isoformat() for d in days]
    parsed = bytecols.date(Column("d", "date"), encoded(cells))
    assert parsed.tolist() == np.array(cells, dtype="datetime64[D]").tolist()


@pytest.mark.parametrize(
    "cell", ["2021-02-29", "2021-13-01", "2021-1-01", "20210101", "0000-01-01"]
)
def test_impossible_or_odd_dates_are_declined(cell: str) -> None:
    with pytest.raises(Declined):
        bytecols.date(Column("d", "date"), encoded(["2020-01-01", cell]))


def test_booleans_and_enums() -> None:
    complete = Column("complete", "bool")
    cells = ["true", "True", "TRUE", "1", "false", "False", "FALSE", "0"]
    assert bytecols.boolean(complete, encoded(cells)).tolist() == [True] * 4 + [False] * 4
    with pytest.raises(Declined):
        bytecols.boolean(complete, encoded(["tRUE"]))
    stage = Column("stage", "enum", choices=("primary", "junior"))
    assert bytecols.enum(stage, encoded(["junior", "primary"])).tolist() == [1, 0]
    with pytest.raises(Declined):
        bytecols.enum(stage, encoded(["senior"]))
    optional = Column("g", "enum", required=False, choices=("a",))
    assert bytecols.enum(optional, encoded(["", "a"])).tolist() == [-1, 0]
