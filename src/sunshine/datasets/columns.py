"""Typed columns: cells (strings) to the numpy arrays described in :mod:`.schema`, and back.

Each converter first tries a vectorised fast path over the whole column. Only when that fails
does it walk the cells one by one, so that every bad cell is reported, not just the first.
Cells arrive stripped of surrounding whitespace.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np

from sunshine.datasets.schema import LIST_SEPARATOR, Column

CellIssue = tuple[int, str]  # (index of the cell in the column, what is wrong)
Converted = tuple[np.ndarray, list[CellIssue]]

EMPTY = "a value is required here"
INT_MISSING = -1
_INT64 = (-(2**63), 2**63 - 1)
TRUE_WORDS = ("true", "1")
FALSE_WORDS = ("false", "0")
# Spellings Excel and people write, looked up without lower-casing on the fast path.
_BOOL_FAST = {
    **dict.fromkeys(("true", "True", "TRUE", "1"), True),
    **dict.fromkeys(("false", "False", "FALSE", "0"), False),
}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9]
_NAT = int(np.datetime64("NaT").view(np.int64))
# \s is str.isspace(), what str.strip() removes
_PADDED_ITEM = re.compile(rf"\s{re.escape(LIST_SEPARATOR)}|{re.escape(LIST_SEPARATOR)}\s")


def convert_column(column: Column, cells: Sequence[str]) -> Converted:
    return _CONVERTERS[column.kind](column, cells)


def _object_array(values: Sequence[object]) -> np.ndarray:
    # fromiter keeps tuples as single objects where np.array would try to broadcast them.
    return np.fromiter(values, dtype=object, count=len(values))


def _empty_issues(column: Column, cells: Sequence[str]) -> list[CellIssue]:
    if column.required and "" in cells:
        return [(i, EMPTY) for i, c in enumerate(cells) if not c]
    return []


def _str(column: Column, cells: Sequence[str]) -> Converted:
    return np.array(cells, dtype=object).reshape(len(cells)), _empty_issues(column, cells)


def _enum(column: Column, cells: Sequence[str]) -> Converted:
    allowed = set(column.choices) | ({""} if not column.required else set())
    issues: list[CellIssue] = []
    if not set(cells) <= allowed:
        for i, c in enumerate(cells):
            if not c:
                if column.required:
                    issues.append((i, EMPTY))
            elif c not in column.choices:
                issues.append((i, f"{c!r} is not one of: {', '.join(column.choices)}"))
    return _object_array(cells), issues


def _range_issue(column: Column, value: float) -> str | None:
    low, high = column.min, column.max
    if low is not None and (value < low or (column.min_exclusive and value == low)):
        return (
            f"{value:g} is {'not above' if column.min_exclusive else 'below'} the minimum {low:g}"
        )
    if high is not None and value > high:
        return f"{value:g} is above the maximum {high:g}"
    return None


def _number(
    column: Column,
    cells: Sequence[str],
    parse: Callable[[str], float],
    dtype: type,
    missing: float,
    what: str,
) -> Converted:
    n = len(cells)
    optional = not column.required
    try:
        if optional:
            values: np.ndarray = np.fromiter((parse(c) if c else missing for c in cells), dtype, n)
        else:
            values = np.fromiter(map(parse, cells), dtype, n)
        present = np.fromiter(map(bool, cells), bool, n) if optional else np.ones(n, bool)
        ok = bool(np.isfinite(values[present]).all())
        if ok and column.min is not None:
            low = values[present]
            ok = bool(
                (low > column.min).all() if column.min_exclusive else (low >= column.min).all()
            )
        if ok and column.max is not None:
            ok = bool((values[present] <= column.max).all())
        if ok:
            return values, []
    except (ValueError, OverflowError):
        pass
    return _number_slow(column, cells, parse, dtype, missing, what)


def _number_slow(
    column: Column,
    cells: Sequence[str],
    parse: Callable[[str], float],
    dtype: type,
    missing: float,
    what: str,
) -> Converted:
    out: np.ndarray = np.full(len(cells), missing, dtype=dtype)
    issues: list[CellIssue] = []
    for i, c in enumerate(cells):
        if not c:
            if column.required:
                issues.append((i, EMPTY))
            continue
        try:
            value = parse(c)
        except ValueError:
            issues.append((i, f"{c!r} is not {what}"))
            continue
        problem = _range_issue(column, value)
        if not math.isfinite(value):
            problem = f"{c!r} is not {what}"
        elif dtype is np.int64 and not _INT64[0] <= value <= _INT64[1]:
            problem = f"{c} is too large"
        if problem:
            issues.append((i, problem))
        else:
            out[i] = value
    return out, issues


def _int(column: Column, cells: Sequence[str]) -> Converted:
    return _number(column, cells, int, np.int64, INT_MISSING, "a whole number")


def _float(column: Column, cells: Sequence[str]) -> Converted:
    return _number(column, cells, float, np.float64, math.nan, "a number")


def _date(column: Column, cells: Sequence[str]) -> Converted:
    # A county has far fewer distinct dates than rows: parse each distinct text once.
    n = len(cells)
    distinct = set(cells)
    has_empty = "" in distinct
    distinct.discard("")
    texts = list(distinct)
    parsed = _parse_dates(texts)
    if parsed is not None and not (has_empty and column.required):
        days = dict(zip(texts, parsed.view(np.int64).tolist(), strict=True))
        days[""] = _NAT
        return np.fromiter(map(days.__getitem__, cells), np.int64, n).view("datetime64[D]"), []
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    issues: list[CellIssue] = []
    for i, c in enumerate(cells):
        if not c:
            if column.required:
                issues.append((i, EMPTY))
            continue
        try:
            if not _DATE.fullmatch(c):
                raise ValueError(c)
            out[i] = np.datetime64(dt.date.fromisoformat(c), "D")
        except ValueError:
            issues.append((i, f"{c!r} is not a date written YYYY-MM-DD"))
    return out, issues


def _parse_dates(texts: list[str]) -> np.ndarray | None:
    """``texts`` (non-empty) as days, or None when any needs a closer look."""
    if not texts:
        return np.array([], dtype="datetime64[D]")
    text = np.array(texts)
    if text.dtype != np.dtype("<U10"):
        return None
    # Check the shape YYYY-MM-DD on the code points: numpy alone also accepts "2020-01" or
    # "2020-01-01T10" and silently truncates them.
    codes = text.view(np.uint32).reshape(len(texts), 10)
    digits = codes[:, _DATE_DIGITS]
    if not (((digits >= 48) & (digits <= 57)).all() and (codes[:, [4, 7]] == 45).all()):
        return None
    try:
        return text.astype("datetime64[D]")
    except ValueError:
        return None  # e.g. 2021-02-30


def has_space(text: str) -> bool:
    """Whether ``text`` may hold a character for which :func:`str.isspace` is true. Every
    such character but SPACE is unprintable, so two fast scans of the text usually settle it
    without a regular expression."""
    return " " in text or not text.isprintable()


def parse_bool(cell: str) -> bool | None:
    word = cell.lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _bool(column: Column, cells: Sequence[str]) -> Converted:
    try:
        return np.fromiter(map(_BOOL_FAST.__getitem__, cells), bool, len(cells)), []
    except KeyError:
        pass
    out = np.zeros(len(cells), dtype=bool)
    issues: list[CellIssue] = []
    for i, c in enumerate(cells):
        value = parse_bool(c)
        if value is None:
            issues.append((i, EMPTY if not c else f"{c!r} is not true or false"))
        else:
            out[i] = value
    return out, issues


def split_list(cell: str) -> tuple[str, ...]:
    if LIST_SEPARATOR not in cell:
        return (cell,) if cell else ()
    return tuple(item for item in map(str.strip, cell.split(LIST_SEPARATOR)) if item)


def _list(column: Column, cells: Sequence[str]) -> Converted:
    # Fast path: a plain split is right unless some item is empty or padded with spaces. The
    # cells are stripped, so either shows next to a separator in the filled cells joined.
    values = [tuple(c.split(LIST_SEPARATOR)) if c else () for c in cells]
    joined = LIST_SEPARATOR.join(filter(None, cells))
    if (
        joined.startswith(LIST_SEPARATOR)
        or joined.endswith(LIST_SEPARATOR)
        or LIST_SEPARATOR * 2 in joined
        or (has_space(joined) and _PADDED_ITEM.search(joined))
    ):
        values = list(map(split_list, cells))
    issues: list[CellIssue] = []
    if column.required and () in values:
        issues += [(i, EMPTY) for i, v in enumerate(values) if not v]
    if column.choices and not set(chain.from_iterable(values)) <= set(column.choices):
        for i, v in enumerate(values):
            bad = [item for item in v if item not in column.choices]
            if bad:
                issues.append((i, f"{', '.join(bad)} not among: {', '.join(column.choices)}"))
    return _object_array(values), issues


_CONVERTERS: dict[str, Callable[[Column, Sequence[str]], Converted]] = {
    "str": _str,
    "enum": _enum,
    "int": _int,
    "float": _float,
    "date": _date,
    "bool": _bool,
    "list": _list,
}


def format_column(column: Column, values: np.ndarray) -> list[str]:
    """The cells a typed column is written as; ``convert_column`` reads them back equal."""
    kind = column.kind
    if kind in ("str", "enum"):
        return [str(v) for v in values.tolist()]
    if kind == "int":
        return ["" if v == INT_MISSING and not column.required else str(v) for v in values.tolist()]
    if kind == "float":
        return ["" if math.isnan(v) else repr(v) for v in values.tolist()]
    if kind == "date":
        return [s if s != "NaT" else "" for s in np.datetime_as_string(values, unit="D").tolist()]
    if kind == "bool":
        return ["true" if v else "false" for v in values.tolist()]
    return [LIST_SEPARATOR.join(v) for v in values.tolist()]
