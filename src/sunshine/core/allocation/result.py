"""What allocation returns: one placement per application, cut-offs per school, waitlists."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from sunshine.core.policy import Mechanism

NONE = -1  # "no school" / "no entry" in the int arrays below


class Status(IntEnum):
    """Outcome of one application; ``str(status)`` is the word written to allocation.csv."""

    ADMITTED = 0  # at a public school it listed
    PRIVATE_ADMITTED = 1  # at its private choice (公民同招, drawn first)
    OVERFLOW_PLACED = 2  # 统筹: at the nearest public school of its stage with free seats
    WAITLISTED = 3  # not placed, but waiting at one or more schools it listed
    INELIGIBLE = 4  # not eligible and no admissible entry at all
    UNPLACED = 5  # eligible (or admissible somewhere) yet placed nowhere and on no waitlist

    def __str__(self) -> str:
        return self.name.lower()


# Round numbers: the private draw is round 0, priority_first's k-th public choice is round k,
# and deferred acceptance, which has no decisive round a family could act on, reports round 1.
PRIVATE_ROUND = 0
NEVER_FULL = -1


@dataclass(frozen=True, slots=True)
class Allocation:
    mechanism: Mechanism
    school: np.ndarray  # int32 [n]: where the child was placed, NONE if nowhere
    status: np.ndarray  # int8 [n]: a Status
    entry: np.ndarray  # int64 [n]: the placing entry of pref_school, NONE if overflow/none
    waitlist_position: np.ndarray  # int32 [nnz]: 1 = next in line at that school, 0 = not
    full_round: np.ndarray  # int16 [m]: round in which the school filled, NEVER_FULL if not
    cutoff_entry: np.ndarray  # int64 [m]: last admitted entry in the decisive round, or NONE
    seats_left: np.ndarray  # int64 [m]

    @property
    def n_applications(self) -> int:
        return len(self.school)

    def statuses(self) -> list[str]:
        """The status words, aligned with the applications."""
        words = np.array([str(s) for s in Status], dtype=object)
        return list(words[self.status])

    def placed(self) -> np.ndarray:
        """bool [n]: placed anywhere (admitted, private or overflow)."""
        return self.school != NONE
