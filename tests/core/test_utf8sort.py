"""Sorting ids on their UTF-8 words equals Python's sort, and the pool freeze built on it
equals the plain definition (sorted ids, first duplicate named)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.lottery import LotteryError, Pool, freeze_pool
from sunshine.core.utf8sort import is_ascending, order_of, utf8_words

pytestmark = pytest.mark.no_postgres_rerun

# ids as the lottery allows them: no control characters; equal lengths and prefixes are common
IDS = st.text(
    st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("0123456789AP-中"),
    min_size=1,
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(IDS | st.sampled_from(["A", "AB", "A-1", "A-10", "A-2", "中文"]), max_size=30))
def test_order_equals_pythons_stable_sort(texts: list[str]) -> None:
    words = utf8_words(texts)
    assert words is not None
    assert order_of(words).tolist() == sorted(range(len(texts)), key=texts.__getitem__)
    assert is_ascending(texts) == (texts == sorted(set(texts)))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.from_regex(r"P[0-9]{7}", fullmatch=True), max_size=30))
def test_equal_length_ids_take_the_reshape_path(texts: list[str]) -> None:
    words = utf8_words(texts)
    assert words is not None
    assert order_of(words).tolist() == sorted(range(len(texts)), key=texts.__getitem__)


def test_words_refuse_what_they_cannot_split() -> None:
    assert utf8_words(["a\nb"]) is None
    assert utf8_words(["a\x00"]) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(IDS, unique=True, max_size=25), st.randoms(use_true_random=False))
def test_freeze_pool_is_the_sorted_pool_whatever_the_input_order(
    ids: list[str], rnd: object
) -> None:
    shuffled = list(ids)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    pool, rows = freeze_pool(shuffled)
    assert pool == Pool(tuple(sorted(ids)))
    assert [pool.ids[i] for i in rows.tolist()] == shuffled


def test_a_duplicate_is_named_as_before() -> None:
    with pytest.raises(LotteryError, match="public id 'B' appears twice"):
        freeze_pool(["C", "B", "A", "B", "C"])
    with pytest.raises(LotteryError, match="appears twice"):
        freeze_pool(["A", "A"])  # ascending but not strictly: the sort path
