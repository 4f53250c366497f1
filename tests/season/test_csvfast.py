"""The bulk CSV writer against ``csv.writer``: the same bytes, quoting included."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.season import csvfast

pytestmark = pytest.mark.no_postgres_rerun

# Text that often holds what csv.writer quotes: commas, quotes, CR, LF (and some Chinese).
TRICKY = st.text(alphabet=st.sampled_from([*'ab ,"\r\n', "中", "—", "\t", "'"]), max_size=8)


def reference(rows: list[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.lists(TRICKY, min_size=1, max_size=5), max_size=6))
def test_lines_equal_csv_writer(rows: list[list[str]]) -> None:
    assert "".join(csvfast.line(row) for row in rows) == reference(rows)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(TRICKY, max_size=10))
def test_fields_quote_exactly_what_csv_writer_quotes(texts: list[str]) -> None:
    quoted = csvfast.fields(np.array(texts, dtype=object).reshape(len(texts)))
    # A second field keeps csv.writer from quoting a lone empty field.
    assert quoted.tolist() == [reference([[t, "x"]]).removesuffix(",x\r\n") for t in texts]
    assert csvfast.plain(np.array(texts, dtype=object)) == all(csvfast.field(t) == t for t in texts)


@pytest.mark.parametrize(
    ("text", "written"),
    [("a,b", '"a,b"'), ('say "hi"', '"say ""hi"""'), ("two\nlines", '"two\nlines"'),
     ("cr\r", '"cr\r"'), ("plain 中文", "plain 中文"), ("", "")],
)  # fmt: skip
def test_field_cases(text: str, written: str) -> None:
    assert csvfast.field(text) == written


def test_a_lone_empty_field_is_quoted_like_csv_writer() -> None:
    assert csvfast.line([""]) == reference([[""]]) == '""\r\n'


INT_DTYPES = st.sampled_from([np.int8, np.int32, np.int64, np.uint64])


@given(
    dtype=INT_DTYPES,
    values=st.lists(st.integers(-(2**63), 2**64 - 1), max_size=40)
    | st.lists(st.integers(-5, 300), max_size=40),
)
def test_integers_are_str_of_each_value(dtype: type, values: list[int]) -> None:
    info = np.iinfo(dtype)
    kept = [v for v in values if info.min <= v <= info.max]
    array = np.array(kept, dtype=dtype)
    assert csvfast.integers(array).tolist() == [str(v) for v in kept]
