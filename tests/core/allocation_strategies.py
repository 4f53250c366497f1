"""Random admission markets for the allocation tests, and plain reference implementations.

The references are written for clarity, one child and one proposal at a time, so that the
vectorised engine can be checked against them (in the style of daffidwilde/matching's tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

from sunshine.core.market import NOT_ADMISSIBLE, Market
from sunshine.core.policy import Mechanism, Overflow

NA = int(NOT_ADMISSIBLE)
Entry = tuple[int, int]  # (school, priority)


@dataclass(frozen=True)
class Case:
    capacity: list[int]
    is_private: list[bool]
    lists: list[list[Entry]]
    lottery: list[int]
    eligible: list[bool]
    school_lonlat: list[tuple[float, float]]
    applicant_lonlat: list[tuple[float, float]]
    school_stage: list[int]
    applicant_stage: list[int]

    @property
    def n(self) -> int:
        return len(self.lists)

    @property
    def m(self) -> int:
        return len(self.capacity)

    def market(self) -> Market:
        return make_market(self.capacity, self.is_private, self.lists, self.lottery)

    def geo(self) -> dict[str, np.ndarray]:
        return {
            "eligible": np.array(self.eligible, dtype=bool),
            "school_lonlat": np.array(self.school_lonlat, dtype=float).reshape(self.m, 2),
            "applicant_lonlat": np.array(self.applicant_lonlat, dtype=float).reshape(self.n, 2),
            "school_stage": np.array(self.school_stage, dtype=np.int8),
            "applicant_stage": np.array(self.applicant_stage, dtype=np.int8),
        }

    def permuted(self, apps: Sequence[int], schools: Sequence[int]) -> Case:
        """Rows reordered: new application j is old ``apps[j]``, new school t is old
        ``schools[t]``."""
        new_of = {old: new for new, old in enumerate(schools)}

        def pick(values: Sequence, order: Sequence[int]) -> list:
            return [values[k] for k in order]

        lists = [[(new_of[s], p) for s, p in self.lists[i]] for i in apps]
        return Case(
            pick(self.capacity, schools),
            pick(self.is_private, schools),
            lists,
            pick(self.lottery, apps),
            pick(self.eligible, apps),
            pick(self.school_lonlat, schools),
            pick(self.applicant_lonlat, apps),
            pick(self.school_stage, schools),
            pick(self.applicant_stage, apps),
        )


def make_market(
    capacity: Sequence[int],
    is_private: Sequence[bool],
    lists: Sequence[Sequence[Entry]],
    lottery: Sequence[int],
) -> Market:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(row) for row in lists])
    flat = [e for row in lists for e in row]
    return Market(
        capacity=np.array(capacity, dtype=np.int64),
        is_private=np.array(is_private, dtype=bool),
        pref_ptr=ptr,
        pref_school=np.array([s for s, _ in flat], dtype=np.int32),
        pref_priority=np.array([p for _, p in flat], dtype=np.int16),
        lottery=np.array(lottery, dtype=np.uint64),
    )


priorities = st.sampled_from([0, 1, 1, 2, 2, 3, NA])
coordinate = st.tuples(
    st.floats(116.0, 116.2, allow_nan=False), st.floats(39.8, 40.0, allow_nan=False)
)


@st.composite
def cases(
    draw: st.DrawFn,
    max_children: int = 30,
    max_schools: int = 6,
    private: bool = True,
    distinct_lottery: bool = True,
) -> Case:
    m = draw(st.integers(1, max_schools))
    capacity = draw(st.lists(st.integers(0, 5), min_size=m, max_size=m))
    is_private = draw(
        st.lists(st.booleans() if private else st.just(False), min_size=m, max_size=m)
    )
    stages = draw(st.lists(st.integers(0, 1), min_size=m, max_size=m))
    n = draw(st.integers(0, max_children))
    publics = [s for s in range(m) if not is_private[s]]
    privates = [s for s in range(m) if is_private[s]]
    lists = []
    for _ in range(n):
        row: list[Entry] = []
        if privates and draw(st.booleans()):
            row.append((draw(st.sampled_from(privates)), draw(st.sampled_from([0, 0, 1, NA]))))
        if publics:
            chosen = draw(st.permutations(publics))[: draw(st.integers(0, len(publics)))]
            row += [(s, draw(priorities)) for s in chosen]
        lists.append(row)
    if distinct_lottery:
        lottery = draw(st.permutations(range(1, n + 1)))
    else:
        lottery = draw(st.lists(st.integers(1, max(n // 2, 1)), min_size=n, max_size=n))
    return Case(
        capacity,
        is_private,
        lists,
        list(lottery),
        draw(st.lists(st.booleans(), min_size=n, max_size=n)),
        draw(st.lists(coordinate, min_size=m, max_size=m, unique=True)),  # no distance ties
        draw(st.lists(coordinate, min_size=n, max_size=n)),
        stages,
        draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)),
    )


# ---------------------------------------------------------------- reference implementations


def key_of(case: Case, i: int, prio: int) -> tuple[int, int, int]:
    """A school's order of its applicants: priority, then lottery, then row (siblings)."""
    return (prio, case.lottery[i], i)


def reference_allocate(case: Case, mechanism: Mechanism, overflow: Overflow) -> list[int]:
    """School per child (-1 = none), computed one child at a time."""
    seats = list(case.capacity)
    placed = [-1] * case.n
    # Private draw.
    for s in range(case.m):
        if case.is_private[s]:
            applicants = [
                i for i, row in enumerate(case.lists) if row and row[0][0] == s and row[0][1] != NA
            ]
            applicants.sort(key=lambda i: key_of(case, i, case.lists[i][0][1]))
            for i in applicants[: seats[s]]:
                placed[i] = s
            seats[s] -= min(len(applicants), seats[s])
    public = [
        [(s, p) for s, p in row if not case.is_private[s]] if placed[i] == -1 else []
        for i, row in enumerate(case.lists)
    ]
    if mechanism is Mechanism.PRIORITY_FIRST:
        _reference_priority_first(case, public, seats, placed)
    else:
        _reference_da(case, public, seats, placed)
    if overflow is Overflow.NEAREST_WITH_SEATS:
        _reference_overflow(case, seats, placed)
    return placed


def _reference_priority_first(
    case: Case, public: list[list[Entry]], seats: list[int], placed: list[int]
) -> None:
    for k in range(max((len(row) for row in public), default=0)):
        by_school: dict[int, list[tuple[tuple[int, int, int], int]]] = {}
        for i, row in enumerate(public):
            if placed[i] == -1 and len(row) > k and row[k][1] != NA:
                by_school.setdefault(row[k][0], []).append((key_of(case, i, row[k][1]), i))
        for s, applicants in by_school.items():
            for _, i in sorted(applicants)[: seats[s]]:
                placed[i] = s
            seats[s] -= min(seats[s], len(applicants))


def _reference_da(
    case: Case, public: list[list[Entry]], seats: list[int], placed: list[int]
) -> None:
    lists = [[(s, p) for s, p in row if p != NA] for row in public]
    nxt = [0] * case.n
    held: dict[int, list[tuple[tuple[int, int, int], int]]] = {s: [] for s in range(case.m)}
    free = [i for i in range(case.n) if lists[i]]
    while free:
        i = free.pop()
        if nxt[i] >= len(lists[i]):
            continue
        s, p = lists[i][nxt[i]]
        nxt[i] += 1
        held[s].append((key_of(case, i, p), i))
        held[s].sort()
        if len(held[s]) > seats[s]:
            _, out = held[s].pop()
            free.append(out)
    for s, holders in held.items():
        for _, i in holders:
            placed[i] = s
        seats[s] -= len(holders)


def _reference_overflow(case: Case, seats: list[int], placed: list[int]) -> None:
    # The same float operations as the engine, so that distances compare bit for bit.
    scale = float(np.cos(np.deg2rad(np.mean(np.array(case.school_lonlat)[:, 1]))))

    def best(i: int) -> int:
        return min((p for _, p in case.lists[i]), default=NA)

    todo = [i for i in range(case.n) if case.eligible[i] and placed[i] == -1]
    todo.sort(key=lambda i: (best(i), case.lottery[i], i))
    for i in todo:
        lon, lat = case.applicant_lonlat[i]
        options = []
        for s in range(case.m):
            if case.is_private[s] or seats[s] == 0:
                continue
            if case.school_stage[s] != case.applicant_stage[i]:
                continue
            slon, slat = case.school_lonlat[s]
            d = (lon * scale - slon * scale) ** 2 + (lat - slat) ** 2
            options.append((d, s))
        if options:
            _, s = min(options)
            placed[i] = s
            seats[s] -= 1
