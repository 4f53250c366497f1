"""Hand-made admission scenarios, one rule each."""

from __future__ import annotations

import numpy as np
import pytest

from sunshine.core.allocation import NONE, Allocation, allocate
from sunshine.core.market import Market
from sunshine.core.policy import Mechanism, Overflow
from tests.core.allocation_strategies import NA, Entry, make_market

pytestmark = pytest.mark.no_postgres_rerun
PF, DA = Mechanism.PRIORITY_FIRST, Mechanism.DEFERRED_ACCEPTANCE


def market(capacity: list[int], lists: list[list[Entry]], private: tuple[int, ...] = ()) -> Market:
    is_private = [s in private for s in range(len(capacity))]
    return make_market(capacity, is_private, lists, list(range(1, len(lists) + 1)))


def statuses(alloc: Allocation) -> list[str]:
    return alloc.statuses()


@pytest.mark.parametrize("mechanism", [PF, DA])
def test_private_loser_falls_back_without_losing_a_round(mechanism: Mechanism) -> None:
    # School 0 is private with one seat; child 0 (better number) wins it. Child 1 falls back to
    # public school 1 as its round-1 choice and beats child 2, who lists it first but drew a
    # later number.
    m = market([1, 1, 5], [[(0, 0), (1, 1)], [(0, 0), (1, 1), (2, 1)], [(1, 1), (2, 1)]], (0,))
    alloc = allocate(m, mechanism)
    assert alloc.school.tolist() == [0, 1, 2]
    assert statuses(alloc) == ["private_admitted", "admitted", "admitted"]
    assert alloc.full_round[0] == 0  # the private draw is round 0


def test_private_winner_leaves_the_public_round() -> None:
    # Child 0 wins the private seat, so its public choice (school 1, one seat) goes to child 1
    # even though child 0 drew the better number.
    m = market([1, 1], [[(0, 0), (1, 1)], [(1, 1)]], (0,))
    alloc = allocate(m, PF)
    assert alloc.school.tolist() == [0, 1]
    assert alloc.waitlist_position.tolist() == [0, 0, 0]


def test_priority_first_first_choices_go_first() -> None:
    # School 0 has one seat. Child 0 lists it second with the better number; child 1 lists it
    # first. Priority_first gives it to child 1 (round 1); DA to child 0 (justified envy).
    m = market([1, 1], [[(1, 1), (0, 1)], [(0, 1)], [(1, 1)]])
    assert allocate(m, PF).school.tolist() == [1, 0, NONE]
    assert allocate(m, DA).school.tolist() == [1, 0, NONE]
    crowded = market([1, 1], [[(1, 1), (0, 1)], [(0, 1)], [(1, 0)]])  # child 2 outranks at 1
    assert allocate(crowded, PF).school.tolist() == [NONE, 0, 1]
    assert allocate(crowded, DA).school.tolist() == [0, NONE, 1]


def test_lottery_decides_only_inside_the_decisive_level() -> None:
    # Three seats. Two level-0 children with the worst numbers are admitted; the lottery then
    # picks one of three level-1 children; a level-2 child with the best number loses.
    lists = [[(0, 2)], [(0, 1)], [(0, 1)], [(0, 1)], [(0, 0)], [(0, 0)]]
    alloc = allocate(market([3], lists), PF)
    assert alloc.school.tolist() == [NONE, 0, NONE, NONE, 0, 0]
    assert alloc.cutoff_entry.tolist() == [1]  # the level-1 child with number 2
    assert alloc.waitlist_position.tolist() == [3, 0, 1, 2, 0, 0]
    assert (
        statuses(alloc) == ["waitlisted", "admitted", "waitlisted", "waitlisted"] + ["admitted"] * 2
    )


@pytest.mark.parametrize("mechanism", [PF, DA])
def test_disabled_child_admitted_first(mechanism: Mechanism) -> None:
    # Level 0 (special needs, zero refusal) beats everyone, whatever the lottery.
    lists = [[(0, 3)], [(0, 3)], [(0, 0)]]
    assert allocate(market([1], lists), mechanism).school.tolist() == [NONE, NONE, 0]


def test_not_admissible_is_never_admitted_and_spends_its_round() -> None:
    m = market([5, 1], [[(0, NA), (1, 1)], [(1, 1)]])
    alloc = allocate(m, PF)
    # Child 0's round-1 choice is inadmissible; in round 2 school 1 is already full.
    assert alloc.school.tolist() == [NONE, 1]
    assert statuses(alloc) == ["waitlisted", "admitted"]
    assert allocate(m, DA).school.tolist() == [1, NONE]


def _geo(n: int) -> dict[str, np.ndarray]:
    schools = np.array([[116.00, 40.0], [116.01, 40.0], [116.05, 40.0], [116.02, 40.0]])
    return {
        "school_lonlat": schools,
        "applicant_lonlat": np.tile([116.0, 40.0], (n, 1)),
        "school_stage": np.array([0, 0, 0, 1]),
        "applicant_stage": np.zeros(n, dtype=int),
    }


def test_overflow_goes_to_the_nearest_school_with_seats() -> None:
    # Everyone lists school 0 (one seat). School 1 (nearer) has one seat, school 2 two, school 3
    # is nearer still but serves the other stage. Child 3 is not eligible: never overflow-placed.
    lists = [[(0, 1)], [(0, 1)], [(0, 1)], [(0, 1)], [(0, 0)]]
    m = market([1, 1, 2, 9], lists)
    eligible = np.array([True, True, True, False, True])
    alloc = allocate(m, PF, overflow=Overflow.NEAREST_WITH_SEATS, eligible=eligible, **_geo(5))
    assert alloc.school.tolist() == [1, 2, 2, NONE, 0]
    assert statuses(alloc) == ["overflow_placed"] * 3 + ["waitlisted", "admitted"]
    assert alloc.seats_left.tolist() == [0, 0, 0, 9]
    # Overflow keeps them on the waitlist of the school they asked for.
    assert alloc.waitlist_position.tolist() == [1, 2, 3, 4, 0]
    plain = allocate(m, PF, eligible=eligible)
    assert statuses(plain) == ["waitlisted"] * 4 + ["admitted"]


def test_overflow_serves_the_best_priority_first() -> None:
    # One spare seat (school 1); child 1's best level (0 at school 0, full) outranks child 0.
    lists = [[(0, 2)], [(0, 1)], [(0, 0)]]
    m = make_market([1, 1, 0, 0], [False] * 4, lists, [1, 3, 2])
    alloc = allocate(m, DA, overflow=Overflow.NEAREST_WITH_SEATS, **_geo(3))
    assert alloc.school.tolist() == [NONE, 1, 0]
    assert statuses(alloc) == ["waitlisted", "overflow_placed", "admitted"]


def test_ineligible_and_unplaced() -> None:
    m = market([1], [[], [(0, NA)], [], [(0, NA)]])
    eligible = np.array([False, False, True, True])
    alloc = allocate(m, PF, overflow=Overflow.NONE, eligible=eligible)
    assert statuses(alloc) == ["ineligible", "ineligible", "unplaced", "unplaced"]


def test_empty_market() -> None:
    m = make_market([2], [False], [], [])
    alloc = allocate(m, DA, overflow=Overflow.NEAREST_WITH_SEATS, **{
        **_geo(0), "school_lonlat": np.array([[116.0, 40.0]]), "school_stage": np.array([0])
    })  # fmt: skip
    assert len(alloc.school) == 0
    assert alloc.seats_left.tolist() == [2]


def test_bad_input_is_refused() -> None:
    late_private = market([1, 1], [[(1, 1), (0, 0)]], (0,))
    with pytest.raises(ValueError, match="private school after its first choice"):
        allocate(late_private, PF)
    m = market([1], [[(0, 1)], [(0, 1)]])
    with pytest.raises(ValueError, match="needs school_lonlat"):
        allocate(m, PF, overflow=Overflow.NEAREST_WITH_SEATS)
    with pytest.raises(ValueError, match="not a valid Mechanism"):
        allocate(m, "first_come")  # type: ignore[arg-type]
    assert allocate(m, "deferred_acceptance").school.tolist() == [0, NONE]  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one flag per application"):
        allocate(m, PF, eligible=np.ones(3, dtype=bool))
    geo = _geo(2)
    del geo["school_stage"]
    four = make_market([1, 1, 1, 1], [False] * 4, [[(0, 1)], [(0, 1)]], [1, 2])
    with pytest.raises(ValueError, match="both school_stage and applicant_stage"):
        allocate(four, PF, overflow=Overflow.NEAREST_WITH_SEATS, **geo)
