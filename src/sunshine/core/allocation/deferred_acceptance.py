"""Student-proposing deferred acceptance, vectorised by rounds of simultaneous proposals.

Each round every child without a held offer proposes to the next school on its list; each
school keeps the best ``seats`` of the children it holds plus the new proposers, by the ckey
order, and rejects the rest. The held set is one sorted array of ckeys (school-major), so a
round merges the sorted proposals into it with ``searchsorted``/``insert`` and drops, at the
schools just proposed to, everything past the seats: O(held) memory moves per round and a
sort of the proposals only. Priorities are strict, so the result is the unique
student-optimal stable matching, whatever the proposal order.
"""

from __future__ import annotations

import numpy as np

from sunshine.core.allocation.batch import concat_ranges
from sunshine.core.allocation.result import NONE


def deferred_acceptance(
    ptr: np.ndarray,
    entries: np.ndarray,
    app: np.ndarray,
    ckey: np.ndarray,
    shift: int,
    seats: np.ndarray,
) -> np.ndarray:
    """Return the held entry of every list (int64 [len(ptr) - 1], NONE when unmatched).

    ``entries[ptr[i]:ptr[i + 1]]`` is list i, best first (entry ids indexing ``app``/``ckey``);
    ``app[e]`` must be the list that holds entry ``e``; ``ckey[e] >> shift`` is its school.
    """
    n = len(ptr) - 1
    nxt = ptr[:-1].astype(np.int64)
    end = ptr[1:].astype(np.int64)
    held = np.empty(0, dtype=np.int64)  # sorted ckeys of the held proposals
    held_e = np.empty(0, dtype=np.int64)  # the entries, aligned with ``held``
    free = np.flatnonzero(nxt < end)
    while len(free):
        proposal = entries[nxt[free]]
        nxt[free] += 1
        k = ckey[proposal]
        order = np.argsort(k)
        k, proposal = k[order], proposal[order]
        at = np.searchsorted(held, k)
        held = np.insert(held, at, k)
        held_e = np.insert(held_e, at, proposal)
        school = k >> shift
        touched = school[np.r_[True, school[1:] != school[:-1]]]
        lo = np.searchsorted(held, touched << shift)
        hi = np.searchsorted(held, (touched + 1) << shift)
        keep_to = lo + seats[touched]
        extra = np.maximum(hi - keep_to, 0)
        drop = concat_ranges(keep_to, extra)
        if len(drop) == 0:
            break
        rejected = app[held_e[drop]]
        kept = np.ones(len(held), dtype=bool)
        kept[drop] = False
        held, held_e = held[kept], held_e[kept]
        free = rejected[nxt[rejected] < end[rejected]]
    out = np.full(n, NONE, dtype=np.int64)
    out[app[held_e]] = held_e
    return out
