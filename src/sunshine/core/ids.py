"""Resident ID numbers (GB 11643), student numbers, and masking for publication.

ID number (公民身份号码): 18 characters. Six digits of region code (GB/T 2260), eight of birth
date (YYYYMMDD), three of sequence (odd = male, even = female) and a check character from
ISO 7064 MOD 11-2 ('X' stands for 10). Valid here means: exactly 18 characters, the first 17
ASCII digits, an existing calendar date, and the right check character (upper-case 'X' only).
The region code is *not* looked up in GB/T 2260: the register changes over the years and the
synthetic data uses unassigned "xx99" counties on purpose. Otherwise the rules are those of
``stdnum.cn.ric``, which the tests use as the reference.

Student number (学籍号): "G" followed by the child's ID number.

Masking for publication (公示), never revealing a whole value:

* names: 1 char -> ``*``; 2 chars -> ``张*``; 3 chars -> ``张*三``; n >= 4 chars -> first
  char, n-2 stars, last char (``欧**明``);
* ID numbers: 18 chars -> first 3, 11 stars, last 4 (``110***********1234``). Other lengths
  keep at most the first 3 and last 4 characters and never more than half of the string,
  the last characters first (a 10-char value shows 1 + 4), and star the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np

ID_LENGTH: Final = 18
STUDENT_NUMBER_PREFIX: Final = "G"

# Weight of digit i is 2**(17 - i) mod 11 (ISO 7064 MOD 11-2).
_WEIGHTS: Final = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
_CHECK_CHARS: Final = "0123456789X"
_CHECK_ARRAY: Final = np.array(list(_CHECK_CHARS), dtype="U1")
_DIGITS: Final = frozenset("0123456789")


class InvalidIdError(ValueError):
    """A string that is not a valid GB 11643 ID number where one is required."""


def id_check_char(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    if len(first17) != 17 or not _DIGITS.issuperset(first17):
        raise InvalidIdError(f"need 17 ASCII digits, got {first17!r}")
    total = sum(int(c) * int(w) for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[(12 - total % 11) % 11]


def id_birth_date(s: str) -> dt.date | None:
    """The birth date encoded in a valid ID number; None if ``s`` is not valid."""
    if not is_valid_id(s):
        return None
    return dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


def is_valid_id(s: str) -> bool:
    if len(s) != ID_LENGTH or not _DIGITS.issuperset(s[:17]):
        return False
    if s[17] != id_check_char(s[:17]):
        return False
    try:
        dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    return True


def id_gender(s: str) -> str:
    """ "M" or "F" from the sequence digit (17th character: odd = male)."""
    if not is_valid_id(s):
        raise InvalidIdError(f"not a valid ID number: {mask_id(s)}")
    return "M" if int(s[16]) % 2 else "F"


def student_number(id_number: str) -> str:
    if not is_valid_id(id_number):
        raise InvalidIdError(f"not a valid ID number: {mask_id(id_number)}")
    return STUDENT_NUMBER_PREFIX + id_number


def is_valid_student_number(s: str) -> bool:
    return s.startswith(STUDENT_NUMBER_PREFIX) and is_valid_id(s[len(STUDENT_NUMBER_PREFIX) :])


# --- vectorised forms (the engine checks 10^5..10^6 ids at once) --------------------------------


def _codepoints(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codepoints [n, 19] uint32, lengths [n]) for an array of str (object, U or S dtype).

    The fixed width is 19 so that any string longer than 18 shows a non-zero 19th code point.
    """
    arr = np.asarray(ids)
    if arr.dtype.kind == "S":
        arr = np.char.decode(arr, "ascii", errors="replace")
    if arr.dtype == object:
        # numpy's U dtype drops trailing NULs, so take the true lengths from the objects.
        flat = arr.ravel()
        try:
            lengths = np.fromiter(map(len, flat), dtype=np.int64, count=flat.size)
        except TypeError:  # a non-string entry (None, a number) is never a valid ID
            lengths = np.fromiter(
                (len(x) if isinstance(x, str) else -1 for x in flat), np.int64, flat.size
            )
        fixed = np.where(lengths >= 0, flat, "").astype("U19")
    else:
        fixed = arr.astype("U19")
        lengths = np.char.str_len(fixed).astype(np.int64)
    cps = np.ascontiguousarray(fixed).reshape(-1).view(np.uint32).reshape(-1, 19)
    return cps, lengths.reshape(-1)


def _check_values(digits: np.ndarray) -> np.ndarray:
    """MOD 11-2 check values (0..10) for rows of 17 digits (column by column, to keep the
    temporaries one column wide at a million rows)."""
    total = np.zeros(len(digits), dtype=np.int64)
    for i, weight in enumerate(_WEIGHTS.tolist()):
        total += digits[:, i].astype(np.int64) * weight
    return (12 - total % 11) % 11


def _number(digits: np.ndarray, start: int, stop: int) -> np.ndarray:
    value = np.zeros(len(digits), dtype=np.int64)
    for i in range(start, stop):
        value = value * 10 + digits[:, i]
    return value


def _parse(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(valid mask, birth dates as datetime64[D] with NaT where invalid)."""
    cps, lengths = _codepoints(ids)
    head = cps[:, :17]
    ok = (lengths == ID_LENGTH) & np.all((head >= 48) & (head <= 57), axis=1)
    # Rows that fail the digit test get zeros, so the arithmetic below stays in range.
    digits = np.where(ok[:, None], head - 48, 0).astype(np.int8)
    last = cps[:, 17].astype(np.int64)
    ok &= ((last >= 48) & (last <= 57)) | (last == ord("X"))
    ok &= np.where(last == ord("X"), 10, last - 48) == _check_values(digits)
    year, month, day = _number(digits, 6, 10), _number(digits, 10, 12), _number(digits, 12, 14)
    ok &= (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1)
    month_start = ((year[ok] - 1970) * 12 + (month[ok] - 1)).astype("datetime64[M]")
    first_day = month_start.astype("datetime64[D]")
    days_in_month = ((month_start + 1).astype("datetime64[D]") - first_day).astype(np.int64)
    good_day = day[ok] <= days_in_month
    ok[ok] = good_day
    dates = np.full(len(lengths), np.datetime64("NaT"), dtype="datetime64[D]")
    dates[ok] = first_day[good_day] + (day[ok] - 1)
    return ok, dates


def valid_id_mask(ids: np.ndarray) -> np.ndarray:
    """Boolean array: which entries are valid ID numbers (same rules as :func:`is_valid_id`)."""
    return _parse(ids)[0]


def id_birth_dates(ids: np.ndarray) -> np.ndarray:
    """datetime64[D] array of birth dates; NaT where the ID number is not valid."""
    return _parse(ids)[1]


def complete_ids(first17: np.ndarray) -> np.ndarray:
    """Append the check character to an array of 17-digit strings: U18 ID numbers."""
    fixed = np.asarray(first17).astype("U17")
    cps = np.ascontiguousarray(fixed).reshape(-1).view(np.uint32).reshape(-1, 17)
    if np.any((cps < 48) | (cps > 57)):
        raise InvalidIdError("every entry must be 17 ASCII digits")
    checks = _CHECK_ARRAY[_check_values((cps - 48).astype(np.int8))]
    return np.char.add(fixed.reshape(-1), checks)


# --- masking ------------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    n = len(name)
    if n <= 1:
        return "*" * n
    if n == 2:
        return name[0] + "*"
    return name[0] + "*" * (n - 2) + name[-1]


def mask_id(value: str) -> str:
    """Mask an ID number (or any identifier) for publication; see the module docstring."""
    n = len(value)
    budget = min(7, n // 2)
    keep_last = min(4, budget)
    keep_first = min(3, budget - keep_last)
    return value[:keep_first] + "*" * (n - keep_first - keep_last) + value[n - keep_last :]
