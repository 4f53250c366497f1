from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.classes import (
    RIGHT,
    Classes,
    ClassesError,
    assign_classes,
    draw_head_teachers,
)
from sunshine.core.equitable import equitable_colouring

pytestmark = pytest.mark.no_postgres_rerun
NEEDS = ("", *RIGHT[2:])
SEED = bytes(range(32))


@st.composite
def schools(draw: st.DrawFn) -> dict[str, object]:
    n = draw(st.integers(0, 120))
    m = draw(st.integers(1, 4))
    rare = draw(st.floats(0, 0.6))
    return {
        "public_ids": [f"c{i}" for i in draw(st.permutations(range(n)))],
        "school": np.array(draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n))),
        "gender": draw(st.lists(st.sampled_from("MF"), min_size=n, max_size=n)),
        "special_needs": [
            NEEDS[0] if draw(st.floats(0, 1)) > rare else draw(st.sampled_from(NEEDS[1:]))
            for _ in range(n)
        ],
        "migrant": np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool),
        "class_size": np.array(draw(st.lists(st.integers(1, 30), min_size=m, max_size=m))),
    }


def _run(kids: dict[str, object], seed: bytes = SEED) -> Classes:
    return assign_classes(**kids, seed=seed)  # type: ignore[arg-type]


def _spread(values: np.ndarray, k: int) -> int:
    counts = np.bincount(values, minlength=k)
    return int(counts.max() - counts.min())


@settings(max_examples=150, deadline=None)
@given(schools())
def test_the_guarantees_hold_at_every_school(kids: dict[str, object]) -> None:
    result = _run(kids)
    school = kids["school"]
    gender = np.array(kids["gender"], dtype=object)
    needs = np.array(kids["special_needs"], dtype=object)
    migrant = kids["migrant"]
    assert isinstance(school, np.ndarray)
    assert isinstance(migrant, np.ndarray)
    sizes = kids["class_size"]
    assert isinstance(sizes, np.ndarray)
    for s in range(len(sizes)):
        here = school == s
        n, k = int(here.sum()), int(result.n_classes[s])
        assert k == -(-n // int(sizes[s]))
        cls = result.class_no[here] - 1
        assert np.all((cls >= 0) & (cls < max(k, 1)))
        if n == 0:
            continue
        assert _spread(cls, k) <= 1  # 1. sizes
        for g in "MF":  # 2. gender
            assert _spread(cls[gender[here] == g], k) <= 1
        for need in NEEDS[1:]:  # 3. each special-needs category
            assert _spread(cls[needs[here] == need], k) <= 1
        plain = needs[here] == ""
        for flag in (True, False):  # 4. migrants among children without special needs
            assert _spread(cls[plain & (migrant[here] == flag)], k) <= 1
        # overall migrants: off by at most 1 + the most special-needs children in one class
        worst_special = np.bincount(cls[~plain], minlength=k).max() if (~plain).any() else 0
        assert _spread(cls[migrant[here]], k) <= 1 + worst_special


@settings(max_examples=60, deadline=None)
@given(schools(), st.randoms(use_true_random=False))
def test_row_order_does_not_matter(kids: dict[str, object], rnd: random.Random) -> None:
    ids = kids["public_ids"]
    assert isinstance(ids, list)
    perm = list(range(len(ids)))
    rnd.shuffle(perm)
    shuffled = {
        key: (value if key == "class_size" else _take(value, perm)) for key, value in kids.items()
    }
    a, b = _run(kids), _run(shuffled)
    assert np.array_equal(a.n_classes, b.n_classes)
    assert dict(zip(ids, a.class_no.tolist(), strict=True)) == dict(
        zip(shuffled["public_ids"], b.class_no.tolist(), strict=True)  # type: ignore[arg-type]
    )
    assert np.array_equal(_run(kids).class_no, a.class_no)  # deterministic


def _take(value: object, perm: list[int]) -> object:
    if isinstance(value, np.ndarray):
        return value[perm]
    assert isinstance(value, list)
    return [value[i] for i in perm]


def test_the_seed_decides_who_is_together() -> None:
    n = 90
    kids = {
        "public_ids": [f"c{i}" for i in range(n)],
        "school": np.zeros(n, dtype=np.int64),
        "gender": ["M", "F"] * (n // 2),
        "special_needs": [""] * n,
        "migrant": np.zeros(n, dtype=bool),
        "class_size": 45,
    }
    a, b = _run(kids), _run(kids, bytes(32))
    assert a.n_classes.tolist() == [2]
    assert not np.array_equal(a.class_no, b.class_no)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"gender": [0.93, 0.5]}, "gender must be one of"),
        ({"special_needs": ["", 98.5]}, "special_needs must be"),
        ({"special_needs": ["", "gifted"]}, "special_needs must be"),
        ({"migrant": np.array([0.7, 0.1])}, "migrant must be a bool array"),
        ({"school": np.array([0.0, 1.0])}, "school must be an integer array"),
        ({"class_size": 0}, "class size must be at least 1"),
        ({"public_ids": ["a", "a"]}, "appears twice"),
        ({"seed": b"short"}, "32 bytes"),
    ],
)
def test_anything_but_the_named_attributes_is_refused(
    change: dict[str, object], message: str
) -> None:
    kids: dict[str, object] = {
        "public_ids": ["a", "b"],
        "school": np.array([0, 0]),
        "gender": ["M", "F"],
        "special_needs": ["", ""],
        "migrant": np.array([False, True]),
        "class_size": 45,
        "seed": SEED,
    }
    kids.update(change)
    with pytest.raises(ClassesError, match=message):
        assign_classes(**kids)  # type: ignore[arg-type]


def test_there_is_no_way_to_pass_a_score() -> None:
    with pytest.raises(TypeError):
        assign_classes(  # type: ignore[call-arg]
            public_ids=["a"],
            school=np.array([0]),
            gender=["M"],
            special_needs=[""],
            migrant=np.array([False]),
            class_size=45,
            seed=SEED,
            score=np.array([99.0]),
        )


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1), unique=True),
    st.randoms(use_true_random=False),
    st.data(),
)
def test_head_teachers_are_a_seeded_draw_independent_of_list_order(
    teachers: list[str], rnd: random.Random, data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(teachers)))
    chosen = draw_head_teachers(teachers, k, SEED)
    shuffled = list(teachers)
    rnd.shuffle(shuffled)
    assert draw_head_teachers(shuffled, k, SEED) == chosen
    assert len(set(chosen)) == k
    assert set(chosen) <= set(teachers)
    if k:
        with pytest.raises(ClassesError, match="head teachers"):
            draw_head_teachers(teachers[: k - 1], k, SEED)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 3),
    st.integers(1, 6),
    st.data(),
)
def test_equitable_colouring_is_equitable_and_balanced(
    k: int, n_left: int, n_right: int, data: st.DataObject
) -> None:
    edges = data.draw(
        st.lists(
            st.tuples(st.integers(0, n_left - 1), st.integers(n_left, n_left + n_right - 1)),
            max_size=80,
        )
    )
    colour = equitable_colouring(edges, k, n_left + n_right)
    assert len(colour) == len(edges)
    assert all(0 <= c < k for c in colour)
    totals = np.bincount(np.array(colour, dtype=np.int64), minlength=k)
    assert totals.max() - totals.min() <= 1 if edges else True
    for v in range(n_left + n_right):
        at_v = [c for c, e in zip(colour, edges, strict=True) if v in e]
        counts = np.bincount(np.array(at_v, dtype=np.int64), minlength=k)
        assert counts.max() - counts.min() <= 1
