"""志愿优先 (priority_first), the current Chinese practice of the "Boston" family.

Round k takes every still-unplaced child's k-th public choice; each school admits by
(priority, lottery) into the seats it has left, so the lottery only decides inside the priority
level where the seats run out, and a seat taken in round k is never given back. A choice the
child is not admissible at is spent without effect: its round passes.
"""

from __future__ import annotations

import numpy as np

from sunshine.core.allocation.batch import Ledger
from sunshine.core.allocation.keys import Keys
from sunshine.core.allocation.result import NONE


def priority_first(ptr: np.ndarray, entries: np.ndarray, keys: Keys, ledger: Ledger) -> np.ndarray:
    """Run the public rounds over lists ``entries[ptr[i]:ptr[i + 1]]`` (market entry ids, best
    first; an empty list for a child already placed). Return the admitting entry per child."""
    n = len(ptr) - 1
    lengths = np.diff(ptr)
    placed = np.full(n, NONE, dtype=np.int64)
    active = np.flatnonzero(lengths > 0)
    k = 0
    while len(active):
        choice = entries[ptr[:-1][active] + k]
        took = ledger.admit_round(choice[keys.admissible[choice]], keys, k + 1)
        placed[keys.app[took]] = took
        k += 1
        active = active[(lengths[active] > k) & (placed[active] == NONE)]
    return placed
