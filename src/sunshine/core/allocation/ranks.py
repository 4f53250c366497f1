"""``priority_ranks``: each application's place among everyone who listed the same school."""

from __future__ import annotations

import numpy as np

from sunshine.core.allocation.batch import index_in_run
from sunshine.core.market import Market


def priority_ranks(market: Market) -> np.ndarray:
    """int64 [nnz] aligned with ``pref_school``: 1 = first at that school by (priority,
    lottery). Equal pairs (siblings sharing a number) share the lower rank, so the ranks do not
    depend on row order. Inadmissible entries rank after everyone admissible."""
    market.validate()
    n, nnz = market.n_applications, len(market.pref_school)
    app = np.repeat(np.arange(n, dtype=np.int64), np.diff(market.pref_ptr))
    ordered = np.sort(market.lottery)
    lot = np.searchsorted(ordered, market.lottery)[app]  # dense rank, ties share the lowest
    prio = market.pref_priority.astype(np.int64) + 32768  # int16 -> 0..65535
    school = market.pref_school.astype(np.int64)
    lbits, mbits = max(n.bit_length(), 1), max(market.n_schools.bit_length(), 1)
    if mbits + 16 + lbits <= 63:
        key = (school << (16 + lbits)) | (prio << lbits) | lot
        order = np.argsort(key)
        key = key[order]
        same = key[1:] == key[:-1]
    else:
        order = np.lexsort((lot, prio, school))
        same = (
            (school[order][1:] == school[order][:-1])
            & (prio[order][1:] == prio[order][:-1])
            & (lot[order][1:] == lot[order][:-1])
        )
    rank_in_school = index_in_run(school[order])
    at = np.arange(nnz, dtype=np.int64)
    new = np.ones(nnz, dtype=bool)
    new[1:] = ~same
    tie_start = np.maximum.accumulate(np.where(new, at, 0))
    out = np.empty(nnz, dtype=np.int64)
    out[order] = rank_in_school[tie_start] + 1
    return out
