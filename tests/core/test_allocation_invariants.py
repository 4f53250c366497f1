"""Invariants of both mechanisms over random markets (hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.allocation import NONE, Allocation, Status, allocate
from sunshine.core.allocation.overflow import place_overflow
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.policy import Mechanism, Overflow
from tests.core.allocation_strategies import Case, cases, reference_allocate

pytestmark = pytest.mark.no_postgres_rerun
MECHANISMS = [Mechanism.PRIORITY_FIRST, Mechanism.DEFERRED_ACCEPTANCE]
OVERFLOWS = [Overflow.NONE, Overflow.NEAREST_WITH_SEATS]


def run(case: Case, mechanism: Mechanism, overflow: Overflow = Overflow.NONE) -> Allocation:
    return allocate(case.market(), mechanism, overflow=overflow, **case.geo())


def entry_of(case: Case, i: int, school: int) -> tuple[int, int] | None:
    """(position, priority) of ``school`` in child i's list."""
    for k, (s, p) in enumerate(case.lists[i]):
        if s == school:
            return k, p
    return None


@pytest.mark.parametrize("overflow", OVERFLOWS)
@pytest.mark.parametrize("mechanism", MECHANISMS)
@given(case=cases())
def test_equals_the_one_at_a_time_reference(
    case: Case, mechanism: Mechanism, overflow: Overflow
) -> None:
    assert run(case, mechanism, overflow).school.tolist() == reference_allocate(
        case, mechanism, overflow
    )


@pytest.mark.parametrize("overflow", OVERFLOWS)
@pytest.mark.parametrize("mechanism", MECHANISMS)
@given(case=cases(distinct_lottery=False))
def test_feasible(case: Case, mechanism: Mechanism, overflow: Overflow) -> None:
    alloc = run(case, mechanism, overflow)
    school = alloc.school
    counts = np.bincount(school[school != NONE], minlength=case.m)
    assert np.all(counts <= np.array(case.capacity))
    assert np.all(alloc.seats_left == np.array(case.capacity) - counts)
    for i in range(case.n):
        status = Status(int(alloc.status[i]))
        if school[i] == NONE:
            assert status not in (Status.ADMITTED, Status.PRIVATE_ADMITTED, Status.OVERFLOW_PLACED)
            continue
        listed = entry_of(case, i, int(school[i]))
        if status is Status.OVERFLOW_PLACED:
            assert case.eligible[i]
            assert not case.is_private[school[i]]
            assert case.school_stage[school[i]] == case.applicant_stage[i]
        else:
            assert listed is not None
            assert listed[1] != NOT_ADMISSIBLE
            assert (status is Status.PRIVATE_ADMITTED) == bool(case.is_private[school[i]])


@given(case=cases(distinct_lottery=False))
def test_da_is_stable_and_non_wasteful(case: Case) -> None:
    alloc = run(case, Mechanism.DEFERRED_ACCEPTANCE)
    private_winner = alloc.status == Status.PRIVATE_ADMITTED
    worst: dict[int, tuple[int, int, int]] = {}
    for i in range(case.n):
        s = int(alloc.school[i])
        if s != NONE and not case.is_private[s]:
            key = (entry_of(case, i, s)[1], case.lottery[i], i)  # type: ignore[index]
            worst[s] = max(worst.get(s, key), key)
    for i in range(case.n):
        if private_winner[i]:
            continue
        mine = entry_of(case, i, int(alloc.school[i])) if alloc.school[i] != NONE else None
        for k, (s, p) in enumerate(case.lists[i]):
            if case.is_private[s] or p == NOT_ADMISSIBLE or (mine and k >= mine[0]):
                continue
            # i prefers s: s must be full and everyone there must rank above i.
            assert alloc.seats_left[s] == 0, "wasteful: a preferred school has a free seat"
            assert worst[s] < (p, case.lottery[i], i) if s in worst else case.capacity[s] == 0


@given(case=cases(distinct_lottery=False))
def test_priority_first_respects_priority_within_each_round(case: Case) -> None:
    alloc = run(case, Mechanism.PRIORITY_FIRST)
    rounds = _public_rounds(case)
    for s in range(case.m):
        if case.is_private[s]:
            continue
        for k in range(1, 1 + max((len(r) for r in rounds), default=0)):
            applied = [
                (p, case.lottery[i], i)
                for i, row in enumerate(rounds)
                if len(row) >= k and row[k - 1] == (s, p := row[k - 1][1])
                and p != NOT_ADMISSIBLE and _unplaced_before(alloc, case, i, k)
            ]  # fmt: skip
            admitted = [key for key in applied if alloc.school[key[2]] == s]
            rejected = [key for key in applied if alloc.school[key[2]] != s]
            if admitted and rejected:
                assert max(admitted) < min(rejected)


def _public_rounds(case: Case) -> list[list[tuple[int, int]]]:
    return [[(s, p) for s, p in row if not case.is_private[s]] for row in case.lists]


def _unplaced_before(alloc: Allocation, case: Case, i: int, k: int) -> bool:
    """Was child i still unplaced when round k began?"""
    if alloc.status[i] == Status.PRIVATE_ADMITTED:
        return False
    s = int(alloc.school[i])
    if s == NONE or alloc.status[i] != Status.ADMITTED:
        return True
    return [t for t, _ in _public_rounds(case)[i]].index(s) + 1 >= k


@pytest.mark.parametrize("mechanism", MECHANISMS)
@given(case=cases())
def test_every_eligible_child_placed_when_seats_suffice(case: Case, mechanism: Mechanism) -> None:
    alloc = run(case, mechanism, Overflow.NEAREST_WITH_SEATS)
    for stage in (0, 1):
        public = [
            s for s in range(case.m) if case.school_stage[s] == stage and not case.is_private[s]
        ]
        kids = [i for i in range(case.n) if case.eligible[i] and case.applicant_stage[i] == stage]
        taken_by_others = sum(
            1 for i in range(case.n) if alloc.school[i] in public and i not in kids
        )
        if sum(case.capacity[s] for s in public) >= len(kids) + taken_by_others:
            assert all(alloc.school[i] != NONE for i in kids)
        if any(alloc.school[i] == NONE for i in kids):  # so left unplaced only when all full
            assert all(alloc.seats_left[s] == 0 for s in public)


@pytest.mark.parametrize("mechanism", MECHANISMS)
@given(case=cases(), data=st.data())
def test_same_output_for_shuffled_rows(
    case: Case, mechanism: Mechanism, data: st.DataObject
) -> None:
    apps = data.draw(st.permutations(range(case.n)))
    schools = data.draw(st.permutations(range(case.m)))
    # A private choice stays first in its list: permuting schools keeps list order anyway.
    base = run(case, mechanism, Overflow.NEAREST_WITH_SEATS)
    again = run(case, mechanism, Overflow.NEAREST_WITH_SEATS)
    shuffled = run(case.permuted(apps, schools), mechanism, Overflow.NEAREST_WITH_SEATS)
    for name in ("school", "status", "entry", "waitlist_position", "cutoff_entry"):
        assert np.array_equal(getattr(base, name), getattr(again, name))
    for new, old in enumerate(apps):
        got = int(shuffled.school[new])
        assert (schools[got] if got != NONE else NONE) == base.school[old]
        assert shuffled.status[new] == base.status[old]
    assert [shuffled.seats_left[t] for t in range(case.m)] == [
        base.seats_left[schools[t]] for t in range(case.m)
    ]


@pytest.mark.parametrize("mechanism", MECHANISMS)
@given(case=cases(distinct_lottery=False))
def test_waitlists(case: Case, mechanism: Mechanism) -> None:
    alloc = run(case, mechanism, Overflow.NEAREST_WITH_SEATS)
    market = case.market()
    lines: dict[int, list[tuple[int, tuple[int, int, int]]]] = {}
    for i in range(case.n):
        placed_at = int(alloc.entry[i]) - int(market.pref_ptr[i]) if alloc.entry[i] != NONE else 99
        for k, (s, p) in enumerate(case.lists[i]):
            position = int(alloc.waitlist_position[market.pref_ptr[i] + k])
            waits = p != NOT_ADMISSIBLE and k < placed_at
            assert (position > 0) == waits
            if waits:
                assert alloc.school[i] != s
                lines.setdefault(s, []).append((position, (p, case.lottery[i], i)))
    for line in lines.values():
        line.sort()
        assert [pos for pos, _ in line] == list(range(1, len(line) + 1))
        assert [key for _, key in line] == sorted(key for _, key in line)


@given(case=cases(distinct_lottery=False))
def test_statuses(case: Case) -> None:
    alloc = run(case, Mechanism.PRIORITY_FIRST, Overflow.NONE)
    market = case.market()
    for i in range(case.n):
        status = Status(int(alloc.status[i]))
        admissible = any(p != NOT_ADMISSIBLE for _, p in case.lists[i])
        row = slice(market.pref_ptr[i], market.pref_ptr[i + 1])
        if alloc.school[i] != NONE:
            continue
        if np.any(alloc.waitlist_position[row] > 0):
            assert status is Status.WAITLISTED
        elif not case.eligible[i] and not admissible:
            assert status is Status.INELIGIBLE
        else:
            assert status is Status.UNPLACED


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), tight=st.booleans())
def test_overflow_blocks_equal_serving_one_child_at_a_time(seed: int, tight: bool) -> None:
    # Thousands of children over many blocks, with schools filling up all the time.
    rng = np.random.default_rng(seed)
    p, c = 3000, 40
    child_ll = np.column_stack([116 + rng.random(p) * 0.3, 39.8 + rng.random(p) * 0.3])
    school_ll = np.column_stack([116 + rng.random(c) * 0.3, 39.8 + rng.random(c) * 0.3])
    child_ll[rng.random(p) < 0.01] = np.nan  # unknown addresses are never placed
    seats = rng.integers(0, (2 if tight else 4) * p // c, c)
    stage_c, stage_s = rng.integers(0, 2, p), rng.integers(0, 2, c)
    got = place_overflow(np.arange(p), child_ll, stage_c, school_ll, stage_s, seats)
    scale = np.cos(np.deg2rad(np.mean(school_ll[:, 1])))
    left = seats.copy()
    expected = []
    for i in range(p):
        d = (child_ll[i, 0] * scale - school_ll[:, 0] * scale) ** 2 + (
            child_ll[i, 1] - school_ll[:, 1]
        ) ** 2
        d[(left == 0) | (stage_s != stage_c[i])] = np.inf
        best = int(np.argmin(d)) if np.isfinite(d).any() else NONE
        if best != NONE:
            left[best] -= 1
        expected.append(best)
    assert got.tolist() == expected
