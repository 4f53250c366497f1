"""From placements to what families see: statuses and waitlist positions."""

from __future__ import annotations

import numpy as np

from sunshine.core.allocation.batch import index_in_run
from sunshine.core.allocation.keys import Keys
from sunshine.core.allocation.result import NONE, Status


def waitlist_positions(keys: Keys, placed_entry: np.ndarray) -> np.ndarray:
    """int32 [nnz]: 1-based place in line at each admissible listed school the child prefers
    to where it ended up (any, when it got no listed school); 0 elsewhere."""
    limit = np.full(len(placed_entry), np.iinfo(np.int64).max, dtype=np.int64)
    has = placed_entry != NONE
    limit[has] = keys.pos[placed_entry[has]]
    waiting = np.flatnonzero(keys.admissible & (keys.pos < limit[keys.app]))
    waiting = waiting[np.argsort(keys.ckey[waiting])]
    out = np.zeros(len(keys.ckey), dtype=np.int32)
    out[waiting] = index_in_run(keys.school_of(keys.ckey[waiting])) + 1
    return out


def statuses(
    keys: Keys,
    n: int,
    placed_by: np.ndarray,
    eligible: np.ndarray,
    waitlist_position: np.ndarray,
) -> np.ndarray:
    """int8 [n] Status. ``placed_by`` holds a placing Status per child or -1."""
    status = placed_by.astype(np.int8)
    waiting = np.zeros(n, dtype=bool)
    waiting[keys.app[waitlist_position > 0]] = True
    any_admissible = np.zeros(n, dtype=bool)
    any_admissible[keys.app[keys.admissible]] = True
    rest = placed_by < 0
    status[rest & waiting] = Status.WAITLISTED
    status[rest & ~waiting & ~eligible & ~any_admissible] = Status.INELIGIBLE
    status[rest & ~waiting & (eligible | any_admissible)] = Status.UNPLACED
    return status
