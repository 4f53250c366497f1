from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.datasets.errors import PackageError
from sunshine.datasets.rawtable import from_rows, parse_csv

pytestmark = pytest.mark.no_postgres_rerun


def _parse(text: str) -> tuple[list[str], list[list[str]], list[int], list[PackageError]]:
    errors: list[PackageError] = []
    raw = parse_csv(text, "t.csv", errors)
    assert raw is not None
    return raw.header, [list(c) for c in raw.columns], list(raw.row_numbers), errors


_cell = st.text(alphabet=st.sampled_from('ab 阳,;"\n\r'), max_size=4)


@given(st.integers(1, 4).flatmap(lambda w: st.lists(st.lists(_cell, min_size=w, max_size=w))))
def test_columns_equal_what_csv_reader_gives(rows: list[list[str]]) -> None:
    """Whichever path parses it (plain split or csv.reader), a file written by csv.writer
    reads back as the cells it was written from."""
    width = len(rows[0]) if rows else 1
    header = [f"c{i}" for i in range(width)]
    rows = [r for r in rows if any(r)]  # a blank row is skipped by design
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    names, columns, numbers, errors = _parse(out.getvalue())
    assert errors == []
    assert names == header
    assert [list(r) for r in zip(*columns, strict=True)] == rows
    assert numbers == list(range(2, len(rows) + 2))


def test_blank_rows_are_skipped_but_keep_their_row_number() -> None:
    _, columns, numbers, errors = _parse("a,b\n1,2\n\n,\n3,4\n")
    assert errors == []
    assert columns == [["1", "3"], ["2", "4"]]
    assert numbers == [2, 5]


def test_a_ragged_row_is_an_error_with_its_row() -> None:
    _, columns, numbers, errors = _parse("a,b\n1,2\n3\n4,5,6\n7,8\n")
    assert [(e.file, e.row, e.column) for e in errors] == [("t.csv", 3, None), ("t.csv", 4, None)]
    assert errors[0].message == "has 1 cells but the header has 2"
    assert numbers == [2, 5]
    assert columns == [["1", "7"], ["2", "8"]]


def test_a_quoted_cell_over_two_lines_is_one_row() -> None:
    _, columns, numbers, _ = _parse('a,b\n"x\ny",2\n3,4\n')
    assert columns == [["x\ny", "3"], ["2", "4"]]
    assert numbers == [2, 3]


def test_duplicate_header_names_are_errors_naming_both_positions() -> None:
    names, _, _, errors = _parse("a,b,a\n1,2,3\n")
    assert names == ["a", "b"]
    assert [(e.row, e.column) for e in errors] == [(1, "a")]
    assert "columns 1 and 3" in errors[0].message


def test_an_unnamed_empty_trailing_column_is_dropped_but_one_with_values_is_an_error() -> None:
    names, _, _, errors = _parse("a,b,\n1,2,\n")
    assert names == ["a", "b"]
    assert errors == []
    _, _, _, errors = _parse("a,,c\n1,2,3\n")
    assert [(e.row, e.message) for e in errors] == [(1, "column 2 has no name")]


def test_header_names_are_stripped() -> None:
    names, _, _, _ = _parse(" a , b\n1,2\n")
    assert names == ["a", "b"]


def test_an_empty_file_has_no_header() -> None:
    errors: list[PackageError] = []
    assert parse_csv("", "t.csv", errors) is None
    assert [(e.file, e.row) for e in errors] == [("t.csv", 1)]


def test_workbook_rows_are_padded_but_values_beyond_the_header_are_errors() -> None:
    errors: list[PackageError] = []
    raw = from_rows(
        "w:t", [["a", "b"], ["1"], ["2", "3", "", ""], ["4", "5", "x"]], errors, lenient_width=True
    )
    assert raw is not None
    assert [list(c) for c in raw.columns] == [["1", "2"], ["", "3"]]
    assert [(e.row, e.message) for e in errors] == [(4, "has values beyond the header")]
