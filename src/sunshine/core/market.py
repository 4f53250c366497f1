"""The admission market in columnar form: the contract between eligibility, lottery and
allocation.

Applications are numbered 0..n-1 and schools 0..m-1 (in the package's row order). A family's
ranked list is stored CSR-style: the schools listed by application ``i`` are
``pref_school[pref_ptr[i]:pref_ptr[i + 1]]``, best first, and every per-(application, school)
array is aligned with ``pref_school``.

Priority is "lower is better" everywhere. ``pref_priority`` already folds in the policy's tiers,
教育优待 groups and special needs (eligibility computes it), so allocation only compares
``(pref_priority, lottery)`` pairs and never reads the policy's tier rules itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

# pref_priority value for a listed school the child may not be admitted to at all
# (e.g. outside the child's zone, or the child is ineligible). Allocation never admits on it.
NOT_ADMISSIBLE: Final = np.int16(np.iinfo(np.int16).max)


@dataclass(frozen=True, slots=True)
class Market:
    capacity: np.ndarray  # int64 [m]: seats in the plan (a hard capacity)
    is_private: np.ndarray  # bool [m]: private schools draw first (公民同招)
    pref_ptr: np.ndarray  # int64 [n + 1]
    pref_school: np.ndarray  # int32 [nnz]: school index, best first within each row
    pref_priority: np.ndarray  # int16 [nnz]: lower is better; NOT_ADMISSIBLE = never
    lottery: np.ndarray  # uint64 [n]: the single tie-break, lower is better (see lottery.py)

    @property
    def n_applications(self) -> int:
        return len(self.pref_ptr) - 1

    @property
    def n_schools(self) -> int:
        return len(self.capacity)

    def validate(self) -> None:
        """Raise ValueError when the arrays do not fit together (a programming error)."""
        n, m = self.n_applications, self.n_schools
        if n < 0 or self.pref_ptr[0] != 0 or np.any(np.diff(self.pref_ptr) < 0):
            raise ValueError("pref_ptr must start at 0 and never decrease")
        nnz = int(self.pref_ptr[-1])
        for name in ("pref_school", "pref_priority"):
            if len(getattr(self, name)) != nnz:
                raise ValueError(f"{name} must have pref_ptr[-1] = {nnz} entries")
        if len(self.lottery) != n:
            raise ValueError("lottery must have one number per application")
        if len(self.is_private) != m:
            raise ValueError("is_private must have one flag per school")
        if nnz and (self.pref_school.min() < 0 or self.pref_school.max() >= m):
            raise ValueError("pref_school holds an index outside 0..m-1")
        if np.any(self.capacity < 0):
            raise ValueError("capacity must not be negative")
