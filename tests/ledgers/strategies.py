"""Hypothesis strategies for ledger cell contents: Chinese text (with punctuation, line breaks,
look-alikes of formulas and numbers), dates, blanks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from sunshine.ledgers.cells import normalize_text
from sunshine.ledgers.specs import Column, LedgerSpec

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
# Any character a worksheet can hold: no surrogates, control, unassigned or private-use ones.
_ANY = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn", "Co"))
_TRICKY = st.sampled_from(
    ["\n", "\t", "“", "”", "（", "）", "，", "。", "=", "#", "-", "+", "@", " ", "0", "_x0041_"]
)
_CHARS = st.one_of(_CJK, _CJK, _CJK, _TRICKY, _ANY)


def texts(*, required: bool = False, max_size: int = 24) -> st.SearchStrategy[str]:
    text = st.lists(_CHARS, max_size=max_size).map(lambda cs: normalize_text("".join(cs)))
    return text.filter(bool) if required else text


def dates(*, required: bool = False) -> st.SearchStrategy[dt.date | None]:
    day = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))
    return day if required else st.none() | day


def column_values(column: Column) -> st.SearchStrategy[Any]:
    if column.kind == "date":
        return dates(required=column.required)
    if column.kind == "choice":
        assert column.choices is not None
        codes = [code for code, _label in column.choices.choices]
        return st.sampled_from(codes if column.required else ["", *codes])
    return texts(required=column.required)


def row_values(spec: LedgerSpec) -> st.SearchStrategy[dict[str, Any]]:
    """Values for the columns a web form fills (state and visit columns are set otherwise)."""
    fields = {c.field: column_values(c) for c in spec.editable if c.kind != "visit"}
    return st.fixed_dictionaries(fields)
