"""Unique, valid and plainly synthetic ID numbers for the generator.

Every region code ends in "99", which GB/T 2260 never assigns to a county, so no generated
number can belong to a real person. Uniqueness comes from a counter per (region, birth date,
gender): the sequence digits are 2*k+1 for the k-th man and 2*k for the k-th woman, so each
(region, day) has room for 500 of each; the generator spreads people over enough regions.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from sunshine.core.ids import complete_ids

EPOCH: Final = np.datetime64("1900-01-01", "D")
LAST_DAY: Final = np.datetime64("2100-12-31", "D")
PER_GENDER_AND_DAY: Final = 500

# Provinces families migrate from (never 33, the county's own); prefecture 01, county 99.
MIGRANT_PROVINCES: Final = (
    "34", "36", "41", "42", "43", "50", "51", "52", "45", "13", "37", "32", "35", "44", "61",
    "62", "53", "64", "15", "21", "22", "23", "65", "14", "12", "11", "31", "46", "63", "54",
)  # fmt: skip


def local_codes(count: int) -> list[str]:
    """The county's own region codes: 330199, 330299, ... (one per ~40,000 children)."""
    if not 1 <= count <= 99:
        raise ValueError("between 1 and 99 local region codes")
    return [f"33{i:02d}99" for i in range(1, count + 1)]


def migrant_codes() -> list[str]:
    return [f"{p}0199" for p in MIGRANT_PROVINCES]


class IdAllocator:
    """Hands out ID numbers; deterministic for a given order of calls."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = np.array([int(c) for c in codes], dtype=np.int64)
        days = int((LAST_DAY - EPOCH).astype(np.int64)) + 1
        self._days = days
        self._used = np.zeros(len(codes) * days * 2, dtype=np.int16)

    def allocate(self, code: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
        """ID numbers (U18) for people with these region-code indices, birth dates
        (datetime64[D]) and genders."""
        n = len(code)
        if n == 0:
            return np.array([], dtype="U18")
        day = (birth.astype("datetime64[D]") - EPOCH).astype(np.int64)
        if day.min() < 0 or day.max() >= self._days:
            raise ValueError("birth date outside 1900..2100")
        key = (code.astype(np.int64) * self._days + day) * 2 + male.astype(np.int64)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        first = np.searchsorted(sorted_key, sorted_key, side="left")
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - first
        k = self._used[key].astype(np.int64) + rank
        if k.max() >= PER_GENDER_AND_DAY:
            raise ValueError("too many people born on one day in one region; add region codes")
        uniq, counts = np.unique(key, return_counts=True)
        self._used[uniq] += counts.astype(np.int16)
        seq = 2 * k + male.astype(np.int64)
        ymd = _yyyymmdd(birth)
        body = self.codes[code] * 10**11 + ymd * 1000 + seq
        return complete_ids(body.astype("U17"))


def _yyyymmdd(dates: np.ndarray) -> np.ndarray:
    d = dates.astype("datetime64[D]")
    y = d.astype("datetime64[Y]")
    m = d.astype("datetime64[M]")
    year = y.astype(np.int64) + 1970
    month = (m - y.astype("datetime64[M]")).astype(np.int64) + 1
    day = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    return year * 10000 + month * 100 + day
