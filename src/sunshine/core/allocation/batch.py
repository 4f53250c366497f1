"""Vectorised building blocks: runs in sorted arrays and per-school admission of a batch."""

from __future__ import annotations

import numpy as np

from sunshine.core.allocation.keys import Keys
from sunshine.core.allocation.result import NEVER_FULL, NONE


def index_in_run(sorted_values: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... inside each run of equal values of a sorted array."""
    n = len(sorted_values)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    at = np.arange(n, dtype=np.int64)
    new = np.ones(n, dtype=bool)
    new[1:] = sorted_values[1:] != sorted_values[:-1]
    return at - np.maximum.accumulate(np.where(new, at, 0))


def concat_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """concatenate(arange(s, s + k) for s, k in zip(starts, lengths)) without a Python loop."""
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(total, dtype=np.int64)


class Ledger:
    """Seats and cut-offs of every school as rounds admit children (owned by one allocation)."""

    def __init__(self, capacity: np.ndarray) -> None:
        m = len(capacity)
        self.seats = capacity.astype(np.int64).copy()
        self.full_round = np.full(m, NEVER_FULL, dtype=np.int16)
        self.cutoff_entry = np.full(m, NONE, dtype=np.int64)

    def admit_round(self, entries: np.ndarray, keys: Keys, round_no: int) -> np.ndarray:
        """Each school admits the best of ``entries`` (one per child) into its seats left.

        Returns the admitted entries. A school whose last seat goes in this round records the
        round and its cut-off: the last child admitted.
        """
        e = entries[np.argsort(keys.ckey[entries])]
        school = keys.school_of(keys.ckey[e])
        took = e[index_in_run(school) < self.seats[school]]
        if len(took) == 0:
            return took
        t_school = keys.school_of(keys.ckey[took])
        last = np.ones(len(took), dtype=bool)
        last[:-1] = t_school[1:] != t_school[:-1]
        touched, counts = t_school[last], np.diff(np.flatnonzero(np.r_[True, last]))
        self.seats[touched] -= counts
        filled = self.seats[touched] == 0
        self.full_round[touched[filled]] = round_no
        self.cutoff_entry[touched[filled]] = took[last][filled]
        return took
