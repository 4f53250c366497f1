"""Balanced class assignment (均衡编班) and the drawing of head teachers, from a published seed.

Only these attributes of a child are accepted: gender, special-needs category and migrant
status. There is no parameter through which a score, a ranking or a test result could enter,
so key classes (重点班) and fast/slow classes (快慢班) cannot be built with this function.

What is guaranteed for every school, with ``n`` children and ``k = ceil(n / class_size)``
classes (docs/classes.md proves it; tests check it on random schools):

1. each class has ``floor(n/k)`` or ``ceil(n/k)`` children;
2. each class has ``floor(B/k)`` or ``ceil(B/k)`` of the ``B`` boys, and likewise girls;
3. for each special-needs category with ``S`` children, each class has ``floor(S/k)`` or
   ``ceil(S/k)`` of them (fewer such children than classes: never two in one class);
4. among the children without special needs, migrants and non-migrants are each spread
   ``floor``/``ceil`` in the same way.

Who goes where is random but reproducible: within each (gender, category or migrant status)
cell, children are taken in the order of their SHA-256 number (as in the lottery), and the
class counts come from :mod:`sunshine.core.equitable`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import Final

import numpy as np

from sunshine.core.digests import prefixed_numbers
from sunshine.core.equitable import equitable_colouring
from sunshine.core.lottery import check_ids
from sunshine.core.policy import SpecialNeed

CHILD_DOMAIN: Final = b"sunshine/classes/v1/child\x00"
TEACHER_DOMAIN: Final = b"sunshine/classes/v1/teacher\x00"
SEED_DOMAIN: Final = b"sunshine/classes/v1/seed\x00"

GENDERS: Final = ("M", "F")  # left vertices 0, 1
# Right vertices: a child without special needs joins on its migrant status, one with special
# needs on its category (docs/classes.md explains why migrant status yields there).
RIGHT: Final = ("", "migrant", *(need.value for need in SpecialNeed))
_N_RIGHT: Final = len(RIGHT)
N_CELLS: Final = len(GENDERS) * _N_RIGHT


class ClassesError(ValueError):
    """Inputs classes cannot be formed from."""


@dataclass(frozen=True, slots=True)
class Classes:
    class_no: np.ndarray  # int32 [n]: 1-based class number of each child (input row order)
    n_classes: np.ndarray  # int32 [m]: classes per school


def classes_seed(lottery_seed: bytes, stage: str) -> bytes:
    """The published class seed of a stage, derived from the season's lottery seed so that no
    one chooses it: SHA-256("sunshine/classes/v1/seed" 0x00 || lottery seed || UTF-8(stage))."""
    if len(lottery_seed) != 32:
        raise ClassesError("the lottery seed must be 32 bytes")
    return hashlib.sha256(SEED_DOMAIN + lottery_seed + stage.encode("utf-8")).digest()


def assign_classes(
    *,
    public_ids: Sequence[str],
    school: np.ndarray,
    gender: Sequence[str],
    special_needs: Sequence[str],
    migrant: np.ndarray,
    class_size: int | np.ndarray,
    seed: bytes,
    processes: int = 1,
) -> Classes:
    """Form balanced classes at every school.

    ``school``: int [n], the school index of each child (``0..m-1``). ``gender``: "M"/"F".
    ``special_needs``: "" or a :class:`SpecialNeed` value. ``migrant``: bool [n].
    ``class_size``: one size for all schools, or int [m]. ``seed``: 32 published bytes.
    """
    ids = list(public_ids)
    n = len(ids)
    school = np.asarray(school)
    sizes, m = _class_sizes(class_size, school, n)
    school = school.astype(np.int64)  # validated: integers (or empty)
    cell = _cells(gender, special_needs, migrant, n)
    if len(seed) != 32:
        raise ClassesError("the seed must be 32 bytes")
    check_ids(ids)
    keys = prefixed_numbers(CHILD_DOMAIN + seed, ids, processes=processes)
    _refuse_duplicates(ids, keys)
    school_cell = school * N_CELLS + cell
    order = _sorted_rows(ids, _sort_by_cell_then_key(school_cell, keys), school_cell, keys)

    counts = np.bincount(school_cell, minlength=m * N_CELLS).reshape(m, N_CELLS)
    per_school = counts.sum(axis=1)
    n_classes = -(-per_school // sizes)
    labels = [
        _labels(int(k), tuple(counts[s].tolist()))
        for s, k in enumerate(n_classes.tolist())
        if per_school[s]
    ]
    class_no = np.empty(n, dtype=np.int32)
    if n:
        class_no[order] = np.concatenate(labels) + 1
    return Classes(class_no, n_classes.astype(np.int32))


def draw_head_teachers(teacher_ids: Sequence[str], n_classes: int, seed: bytes) -> tuple[str, ...]:
    """The head teacher of classes 1..n_classes: teachers ordered by their SHA-256 number
    (ties by id), the first ``n_classes`` taken. Does not depend on the list's order."""
    teachers = list(teacher_ids)
    check_ids(teachers, "teacher id")
    if len(set(teachers)) != len(teachers):
        raise ClassesError("a teacher id appears twice")
    if len(teachers) < n_classes:
        raise ClassesError(
            f"{n_classes} classes need {n_classes} head teachers, got {len(teachers)}"
        )
    if len(seed) != 32:
        raise ClassesError("the seed must be 32 bytes")
    numbers = prefixed_numbers(TEACHER_DOMAIN + seed, teachers).tolist()
    ranked = sorted(zip(numbers, teachers, strict=True))
    return tuple(t for _, t in ranked[:n_classes])


def _class_sizes(
    class_size: int | np.ndarray, school: np.ndarray, n: int
) -> tuple[np.ndarray, int]:
    if school.shape != (n,) or (n and school.dtype.kind not in "iu"):
        raise ClassesError("school must be an integer array with one entry per child")
    if isinstance(class_size, int | np.integer):
        m = int(school.max()) + 1 if n else 0
        sizes = np.full(m, int(class_size), dtype=np.int64)
    else:
        sizes = np.asarray(class_size, dtype=np.int64)
        m = len(sizes)
    if np.any(sizes < 1):
        raise ClassesError("class size must be at least 1")
    if n and (school.min() < 0 or school.max() >= m):
        raise ClassesError(f"school indices must lie in 0..{m - 1}")
    return sizes, m


def _cells(gender: Sequence[str], needs: Sequence[str], migrant: np.ndarray, n: int) -> np.ndarray:
    """int64 [n]: gender * len(RIGHT) + right vertex."""
    if len(gender) != n or len(needs) != n:
        raise ClassesError("gender and special_needs must have one entry per child")
    migrant = np.asarray(migrant)
    if migrant.shape != (n,) or migrant.dtype != np.bool_:
        raise ClassesError("migrant must be a bool array with one entry per child")
    g = _codes(gender, {g: i for i, g in enumerate(GENDERS)}, n)
    r = _codes(needs, {r: i for i, r in enumerate(RIGHT) if r != "migrant"}, n)
    if n and g.min() < 0:
        bad = gender[int(np.argmin(g))]
        raise ClassesError(f"gender must be one of {GENDERS}, got {bad!r}")
    if n and r.min() < 0:
        bad = needs[int(np.argmin(r))]
        raise ClassesError(f"special_needs must be '' or one of {RIGHT[2:]}, got {bad!r}")
    r = np.where((r == 0) & migrant, 1, r)
    return g * _N_RIGHT + r


def _codes(values: Sequence[str], code: dict[str, int], n: int) -> np.ndarray:
    """int64 [n]: code of each value, -1 for anything else (a number, a score, a typo)."""
    try:
        return np.fromiter(map(code.get, values, repeat(-1)), dtype=np.int64, count=n)
    except TypeError:  # an unhashable value
        return np.array([code.get(v, -1) if isinstance(v, str) else -1 for v in values])


def _refuse_duplicates(ids: list[str], keys: np.ndarray) -> None:
    # Equal ids have equal numbers, so only ids whose numbers collide need comparing.
    ordered = np.sort(keys)
    collide = len(ordered) > 1 and bool(np.any(ordered[1:] == ordered[:-1]))
    if collide and len(set(ids)) != len(ids):
        raise ClassesError("a public id appears twice")


def _sort_by_cell_then_key(school_cell: np.ndarray, keys: np.ndarray) -> np.ndarray:
    if len(keys) and school_cell.max() < 2**16:
        # Sort by number, then stably by the (school, cell) code: numpy's stable sort is a
        # radix sort for 16-bit values, three times faster than lexsort here.
        by_key = np.argsort(keys)
        return by_key[np.argsort(school_cell[by_key].astype(np.uint16), kind="stable")]
    return np.lexsort((keys, school_cell))


def _sorted_rows(
    ids: list[str], order: np.ndarray, school_cell: np.ndarray, keys: np.ndarray
) -> np.ndarray:
    """``order`` sorted by (school, cell, number); equal numbers (rare) are ordered by id."""
    if len(order) < 2:
        return order
    sc, k = school_cell[order], keys[order]
    tie = (sc[1:] == sc[:-1]) & (k[1:] == k[:-1])
    if not tie.any():
        return order
    order = order.copy()
    starts = np.flatnonzero(tie & ~np.concatenate(([False], tie[:-1])))
    for start in starts.tolist():
        end = start + 1
        while end < len(tie) and tie[end]:
            end += 1
        run = order[start : end + 1]
        order[start : end + 1] = sorted(run.tolist(), key=ids.__getitem__)
    return order


@lru_cache(maxsize=4096)
def _labels(k: int, cell_counts: tuple[int, ...]) -> np.ndarray:
    """Class index (0-based) of each child of one school, children sorted by (cell, number):
    each cell's children fill its classes in class order."""
    per_cell = np.zeros((N_CELLS, k), dtype=np.int64)
    edges: list[tuple[int, int]] = []
    owners: list[int] = []
    for g in range(len(GENDERS)):
        # Boys' cells ascending and girls' descending: a right vertex split between the two
        # genders then starts where it stopped, and the round-robin start is nearly balanced.
        rights = range(_N_RIGHT) if g == 0 else range(_N_RIGHT - 1, -1, -1)
        for r in rights:
            cell = g * _N_RIGHT + r
            whole, rest = divmod(cell_counts[cell], k)
            per_cell[cell] += whole
            edges.extend([(g, len(GENDERS) + r)] * rest)
            owners.extend([cell] * rest)
    colours = equitable_colouring(edges, k, len(GENDERS) + _N_RIGHT)
    np.add.at(
        per_cell, (np.asarray(owners, dtype=np.int64), np.asarray(colours, dtype=np.int64)), 1
    )
    labels = np.repeat(np.tile(np.arange(k, dtype=np.int32), N_CELLS), per_cell.ravel())
    labels.flags.writeable = False
    return labels
