"""Typed values straight from a :class:`~sunshine.datasets.bytecsv.ByteColumn`: dates, whole
numbers, decimals, booleans and enums, each equal to what :mod:`sunshine.datasets.columns`
makes of the same cells.

Only the plain spellings are taken (``YYYY-MM-DD``; ASCII digits; digits with one point); a
column holding anything else raises :class:`~sunshine.datasets.bytecsv.Declined`, and the full
reader, which accepts and reports everything, reads the package instead. A decimal of at most
15 significant digits divided by an exact power of ten is one correctly rounded IEEE division,
so it equals Python's ``float`` of the same text.
"""

from __future__ import annotations

import numpy as np

from sunshine.datasets.bytecsv import ByteColumn, Declined, strip_safe
from sunshine.datasets.schema import Column

_ZERO, _DASH, _POINT = 48, 45, 46
_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9]  # positions of digits in YYYY-MM-DD
_MAX_DIGITS = 15  # below 2**53: the mantissa is exact in a double
_BOOLS = {
    **dict.fromkeys((b"true", b"True", b"TRUE", b"1"), True),
    **dict.fromkeys((b"false", b"False", b"FALSE", b"0"), False),
}


def text(column: Column, cells: ByteColumn) -> np.ndarray:
    """The ``S`` array itself, checked: strip leaves it alone and required cells are filled."""
    if not strip_safe(cells):
        raise Declined(f"{column.name}: a cell with surrounding spaces")
    if column.required and (cells.lengths == 0).any():
        raise Declined(f"{column.name}: an empty required cell")
    return cells.values


def date(column: Column, cells: ByteColumn) -> np.ndarray:
    """datetime64[D]; every cell required and written YYYY-MM-DD."""
    if len(cells) == 0 and column.required:
        return np.zeros(0, dtype="datetime64[D]")
    m = cells.matrix()
    if not column.required or m.shape[1] != 10 or (cells.lengths != 10).any():
        raise Declined(f"{column.name}: not all dates are YYYY-MM-DD")
    digits = m[:, _DIGITS].astype(np.int64) - _ZERO
    if len(m) and (((digits < 0) | (digits > 9)).any() or (m[:, [4, 7]] != _DASH).any()):
        raise Declined(f"{column.name}: not all dates are YYYY-MM-DD")
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
    if len(m) and ((year < 1) | (month < 1) | (month > 12) | (day < 1) | (day > 31)).any():
        raise Declined(f"{column.name}: a date out of range")
    months = ((year - 1970) * 12 + month - 1).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    if (days.astype("datetime64[M]") != months).any():  # e.g. 2021-02-30
        raise Declined(f"{column.name}: no such day")
    return days


def _mantissa(column: Column, cells: ByteColumn, point: np.ndarray | None) -> np.ndarray:
    """int64: the digits of each cell read as one whole number, skipping the byte at ``point``
    (the decimal point; None or an index past the end when there is none). Every other byte
    must be an ASCII digit, 1 to 15 of them."""
    m = cells.matrix()
    n, width = m.shape
    lengths = cells.lengths
    k = np.arange(width)[None, :]
    at = np.full((n, 1), width, dtype=np.int64) if point is None else point[:, None]
    has_point = at < lengths[:, None]
    n_digits = lengths - has_point[:, 0]
    if n and (int(n_digits.min()) < 1 or int(n_digits.max()) > _MAX_DIGITS):
        raise Declined(f"{column.name}: an empty or long number")
    used = (k < lengths[:, None]) & (k != at)
    digit = m.astype(np.int64) - _ZERO
    if (used & ((digit < 0) | (digit > 9))).any():
        raise Declined(f"{column.name}: a number that is not plain digits")
    # the digit in column k weighs 10 ** (digits after it, the point not counted)
    weight = (lengths - 1)[:, None] - k - (has_point & (k < at))
    powers = 10 ** np.arange(_MAX_DIGITS, dtype=np.int64)
    return np.where(used, digit * powers[np.clip(weight, 0, _MAX_DIGITS - 1)], 0).sum(axis=1)


def integer(column: Column, cells: ByteColumn) -> np.ndarray:
    """int64; every cell required, plain ASCII digits, within the column's bounds."""
    if not column.required:
        raise Declined(f"{column.name}: optional whole numbers are read by the full reader")
    values = _mantissa(column, cells, None)
    _check_range(column, values.astype(np.float64))
    return values


def decimal(column: Column, cells: ByteColumn) -> np.ndarray:
    """float64 of cells like ``120.765432`` (ASCII digits with at most one point, 1 to 15
    digits); equal to ``float()`` of each (see the module docstring)."""
    if not column.required:
        raise Declined(f"{column.name}: optional decimals are read by the full reader")
    m = cells.matrix()
    is_point = m == _POINT
    points = is_point.sum(axis=1)
    if (points > 1).any():
        raise Declined(f"{column.name}: a number with two points")
    at = np.where(points == 1, is_point.argmax(axis=1), cells.lengths)
    after = np.where(points == 1, cells.lengths - at - 1, 0)
    mantissa = _mantissa(column, cells, at)
    values = mantissa.astype(np.float64) / 10.0 ** after.astype(np.float64)
    _check_range(column, values)
    return values


def _check_range(column: Column, values: np.ndarray) -> None:
    low, high = column.min, column.max
    bad = ~np.isfinite(values)
    if low is not None:
        bad |= (values <= low) if column.min_exclusive else (values < low)
    if high is not None:
        bad |= values > high
    if bad.any():
        raise Declined(f"{column.name}: a value out of range")


def boolean(column: Column, cells: ByteColumn) -> np.ndarray:
    truth = np.zeros(len(cells), dtype=bool)
    matched = np.zeros(len(cells), dtype=bool)
    for spelling, value in _BOOLS.items():
        same = cells.values == spelling
        matched |= same
        if value:
            truth |= same
    if not matched.all():
        raise Declined(f"{column.name}: a boolean not spelled true/false/1/0")
    return truth


def enum(column: Column, cells: ByteColumn) -> np.ndarray:
    """int8 [n]: index of each cell in ``column.choices``, -1 for an empty optional cell."""
    codes = np.full(len(cells), -1, dtype=np.int8)
    for i, choice in enumerate(column.choices):
        codes[cells.values == choice.encode("utf-8")] = i
    unmatched = (codes < 0) & ((cells.lengths > 0) | column.required)
    if unmatched.any():
        raise Declined(f"{column.name}: a value outside {', '.join(column.choices)}")
    return codes
