"""School-major sort keys: one int64 per (application, listed school).

``ckey >> shift`` is the school and the low bits order the school's applicants by
(priority, lottery): a single ``argsort`` of ckeys groups every school's applicants together,
best first. Equal lottery numbers (siblings share one) are broken by row order, so callers keep
rows in a canonical order (the season sorts applications by id).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sunshine.core.market import NOT_ADMISSIBLE, Market


@dataclass(frozen=True, slots=True)
class Keys:
    app: np.ndarray  # int64 [nnz]: the application of each entry
    pos: np.ndarray  # int64 [nnz]: position of the entry in its list, 0 = first choice
    ckey: np.ndarray  # int64 [nnz]: (school, priority, lottery, row), school-major
    shift: int  # ckey >> shift == school
    lottery_rank: np.ndarray  # int64 [n]: 0 = best number; ties by row order
    admissible: np.ndarray  # bool [nnz]

    def school_of(self, ckey: np.ndarray) -> np.ndarray:
        return ckey >> self.shift


def _bits(value: int) -> int:
    return max(int(value).bit_length(), 1)


def build_keys(market: Market) -> Keys:
    market.validate()
    n, m = market.n_applications, market.n_schools
    lengths = np.diff(market.pref_ptr)
    app = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pos = np.arange(len(app), dtype=np.int64) - np.repeat(market.pref_ptr[:-1], lengths)
    lottery_rank = np.empty(n, dtype=np.int64)
    lottery_rank[np.argsort(market.lottery, kind="stable")] = np.arange(n, dtype=np.int64)
    prio = market.pref_priority.astype(np.int64)
    pmin = int(prio.min()) if len(prio) else 0
    pbits, lbits, mbits = _bits(int(prio.max()) - pmin if len(prio) else 0), _bits(n), _bits(m)
    if mbits + pbits + lbits <= 63:
        within = ((prio - pmin) << lbits) | lottery_rank[app]
        shift = pbits + lbits
    else:
        # Too wide to pack: replace (priority, lottery) by its rank among all entries.
        order = np.lexsort((lottery_rank[app], prio))
        within = np.empty(len(app), dtype=np.int64)
        within[order] = np.arange(len(app), dtype=np.int64)
        shift = _bits(len(app))
        if mbits + shift > 63:
            raise ValueError("market too large for 64-bit sort keys")
    ckey = (market.pref_school.astype(np.int64) << shift) | within
    admissible = market.pref_priority != NOT_ADMISSIBLE
    return Keys(app, pos, ckey, shift, lottery_rank, admissible)


def check_private_first(market: Market, keys: Keys) -> None:
    """The contract puts a child's private choice, if any, first in its list."""
    late = market.is_private[market.pref_school] & (keys.pos > 0)
    if np.any(late):
        i = int(keys.app[np.argmax(late)])
        raise ValueError(f"application {i} lists a private school after its first choice")
