"""Bulk string factorisation: the same codes as a dict filled in input order, collisions or
not, for object arrays of str and for ``S`` arrays of UTF-8 bytes alike."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sunshine.datasets.factorize import (
    _first_by_hash,
    _split_collisions,
    code_after,
    code_head,
    first_occurrence,
    first_occurrence_bytes,
    shared_byte_codes,
    shared_codes,
)

# few distinct strings, so most cells repeat an earlier one; "" is the empty cell
cells = st.lists(
    st.sampled_from(["", "a", "b", "a\x00", "330102201801010011", "浙0001"]) | st.text()
)


def by_dict(values: list[str]) -> list[int]:
    first: dict[str, int] = {"": -1}
    return [first.setdefault(v, i) for i, v in enumerate(values)]


def objects(values: list[str]) -> np.ndarray:
    return np.array([*values, None], dtype=object)[:-1]  # 1-D even for an empty list


@given(cells)
def test_first_occurrence_is_the_dict_order(values: list[str]) -> None:
    assert first_occurrence(objects(values)).tolist() == by_dict(values)


@given(cells)
def test_colliding_groups_are_split_exactly(values: list[str]) -> None:
    # group by length, as a hash colliding on every pair of equal-length strings would
    first_of_len: dict[int, int] = {}
    codes = np.array([first_of_len.setdefault(len(v), i) for i, v in enumerate(values)])
    codes = codes.astype(np.int64)
    _split_collisions(objects(values), codes)
    first: dict[str, int] = {}
    assert codes.tolist() == [first.setdefault(v, i) for i, v in enumerate(values)]


@given(st.lists(cells, max_size=4))
def test_shared_codes_share_one_space(pieces: list[list[str]]) -> None:
    coded = shared_codes([objects(p) for p in pieces])
    assert [len(c) for c in coded] == [len(p) for p in pieces]
    assert all(c.dtype == np.int32 for c in coded)
    flat = list(itertools.chain.from_iterable(pieces))
    assert np.concatenate([np.empty(0, np.int32), *coded]).tolist() == by_dict(flat)


def utf8(values: list[str]) -> np.ndarray:
    return np.array([v.encode("utf-8") for v in values], dtype=bytes).reshape(len(values))


# the bytes path needs strings without NUL (NUL-padding would hide a trailing one)
byte_cells = st.lists(
    st.sampled_from(["", "a", "b", "ab", "330102201801010011", "浙0001"])
    | st.text(st.characters(codec="utf-8", exclude_characters="\x00"))
)


@given(byte_cells)
def test_first_occurrence_bytes_is_the_dict_order(values: list[str]) -> None:
    assert first_occurrence_bytes(utf8(values)).tolist() == by_dict(values)


@given(byte_cells)
def test_bytes_groups_that_collide_are_split_exactly(values: list[str]) -> None:
    # one hash for every string: every group collides, and the exact split must still hold
    constant = np.zeros(len(values), dtype=np.uint64)
    codes = _first_by_hash(constant, utf8(values)) if values else np.zeros(0, np.int64)
    first: dict[str, int] = {}
    assert codes.tolist() == [first.setdefault(v, i) for i, v in enumerate(values)]


@given(st.lists(byte_cells, max_size=4))
def test_shared_byte_codes_equal_shared_codes(pieces: list[list[str]]) -> None:
    as_bytes = shared_byte_codes([utf8(p) for p in pieces])
    assert [c.tolist() for c in as_bytes] == [
        c.tolist() for c in shared_codes([objects(p) for p in pieces])
    ]


@given(st.lists(byte_cells, max_size=3), st.lists(byte_cells, max_size=3))
def test_a_space_coded_in_two_parts_equals_it_coded_at_once(
    head: list[list[str]], tail: list[list[str]]
) -> None:
    whole = shared_byte_codes([utf8(p) for p in head + tail])
    first = code_head([utf8(p) for p in head])
    assert [c.tolist() for c in first.codes] == [c.tolist() for c in whole[: len(head)]]
    rest = code_after(first, [utf8(p) for p in tail])
    assert [c.tolist() for c in rest] == [c.tolist() for c in whole[len(head) :]]
    assert all(c.dtype == np.int32 for c in [*first.codes, *rest])
