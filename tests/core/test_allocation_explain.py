"""Explanations (structured and in words) and priority ranks."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.core.allocation import (
    Status,
    Why,
    allocate,
    explain,
    priority_ranks,
    reasons,
    render_all,
    render_one,
)
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.policy import Mechanism, Overflow
from tests.core.allocation_strategies import NA, Case, cases, make_market

pytestmark = pytest.mark.no_postgres_rerun
NAMES = ["甲小学", "乙小学", "丙小学", "丁民办"]
LEVELS = {0: "房户一致", 1: "户籍在片区", 2: "居住证"}


def scenario() -> tuple:
    # 甲 has 3 seats: two level-0 children, then the level-1 child with number 2 (the cut-off).
    lists = [
        [(0, 2), (1, 1)],  # 0: below the cut-off level at 甲; 乙 full in round 1; overflow
        [(0, 1)],  # 1: the cut-off child at 甲
        [(0, 1), (2, NA)],  # 2: same level as the cut-off, later number; not admissible at 丙
        [(0, 1), (1, 0)],
        [(0, 0)],
        [(0, 0), (1, 1)],  # 5: admitted at 甲, so 乙 never considered
        [(3, 0), (0, 1)],  # 6: wins the private draw
        [(1, 1)],
        [],  # 8: listed nothing, eligible: overflow
    ]
    market = make_market([3, 1, 5, 1], [False, False, False, True], lists, list(range(1, 10)))
    alloc = allocate(
        market,
        Mechanism.PRIORITY_FIRST,
        overflow=Overflow.NEAREST_WITH_SEATS,
        school_lonlat=np.array([[116.0, 40.0], [116.1, 40.0], [116.2, 40.0], [116.0, 40.1]]),
        applicant_lonlat=np.tile([116.0, 40.0], (9, 1)),
    )
    return market, alloc


def test_reasons_per_choice() -> None:
    market, alloc = scenario()
    why = reasons(market, alloc).tolist()
    ptr = market.pref_ptr.tolist()
    per_child = [why[a:b] for a, b in pairwise(ptr)]
    assert per_child == [
        [Why.CUTOFF_BETTER_LEVEL, Why.FULL_BEFORE_ROUND],
        [Why.ADMITTED],
        [Why.CUTOFF_LOTTERY, Why.NOT_ADMISSIBLE],
        [Why.CUTOFF_LOTTERY, Why.FULL_BEFORE_ROUND],
        [Why.ADMITTED],
        [Why.ADMITTED, Why.HIGHER_CHOICE_ADMITTED],
        [Why.ADMITTED, Why.HIGHER_CHOICE_ADMITTED],
        [Why.ADMITTED],
        [],
    ]
    child = explain(market, alloc, 2)
    assert child.status is Status.OVERFLOW_PLACED
    assert child.school == 2
    jia = child.choices[0]
    assert (jia.priority, jia.cutoff_priority, jia.cutoff_lottery) == (1, 1, 2)
    assert (jia.round, jia.full_round, jia.waitlist_position) == (1, 1, 1)
    assert explain(market, alloc, 6).choices[0].round == 0  # the private draw


def test_texts_in_both_languages() -> None:
    market, alloc = scenario()
    zh = render_all(market, alloc, NAMES, levels=LEVELS)
    en = render_all(market, alloc, NAMES, levels=LEVELS, lang="en")
    assert zh[0] == (
        "甲小学：录取线在「户籍在片区」，高于你的「居住证」，候补第3位；"
        "乙小学：该校在第1轮已录满，早于本志愿的轮次，候补第2位；"
        "统筹安排至丙小学（距家最近且有空余学位）。"
    )
    assert zh[2].startswith(
        "甲小学：录取线在你所在的「户籍在片区」，摇号号码2；你的号码3在其后，候补第1位；"
        "丙小学：不符合该校招生条件；"
    )
    assert zh[5] == "甲小学：已录取；乙小学：已被更靠前的志愿录取，本志愿未参与。"
    assert zh[8] == "统筹安排至丙小学（距家最近且有空余学位）。"
    assert en[2].startswith(
        "甲小学: the cut-off fell in your level “户籍在片区” at lottery number 2; "
        "your number 3 came after it, waitlist position 1; 丙小学: not admissible there; "
    )
    assert en[1] == "甲小学: admitted."
    # Without level names the levels are numbered.
    assert "优先级1" in render_all(market, alloc, NAMES)[0]
    with pytest.raises(ValueError, match="no explanation texts"):
        render_all(market, alloc, NAMES, lang="fr")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("mechanism", [Mechanism.PRIORITY_FIRST, Mechanism.DEFERRED_ACCEPTANCE])
@given(case=cases(distinct_lottery=False))
def test_bulk_and_single_texts_agree(case: Case, mechanism: Mechanism, lang: str) -> None:
    market = case.market()
    alloc = allocate(market, mechanism, overflow=Overflow.NEAREST_WITH_SEATS, **case.geo())
    names = [f"S{s}" for s in range(case.m)]
    bulk = render_all(market, alloc, names, lang=lang)
    assert bulk == [
        render_one(market, alloc, explain(market, alloc, i), names, lang=lang)
        for i in range(case.n)
    ]


@pytest.mark.parametrize("mechanism", [Mechanism.PRIORITY_FIRST, Mechanism.DEFERRED_ACCEPTANCE])
@given(case=cases(distinct_lottery=False))
def test_reasons_agree_with_the_outcome(case: Case, mechanism: Mechanism) -> None:
    market = case.market()
    alloc = allocate(market, mechanism, **case.geo())
    why = reasons(market, alloc)
    for i in range(case.n):
        lo = int(market.pref_ptr[i])
        for k, (s, p) in enumerate(case.lists[i]):
            code = Why(int(why[lo + k]))
            assert (code is Why.ADMITTED) == (alloc.entry[i] == lo + k)
            if code is Why.NOT_ADMISSIBLE:
                assert p == NOT_ADMISSIBLE
            if code in (Why.CUTOFF_BETTER_LEVEL, Why.CUTOFF_LOTTERY):
                cut = int(alloc.cutoff_entry[s])
                assert cut >= 0
                cut_app = int(np.searchsorted(market.pref_ptr, cut, side="right")) - 1
                cut_key = (int(market.pref_priority[cut]), case.lottery[cut_app], cut_app)
                assert cut_key < (p, case.lottery[i], i)
                assert (code is Why.CUTOFF_BETTER_LEVEL) == (cut_key[0] < p)


def test_priority_ranks_by_hand() -> None:
    # School 0: level 0 (number 4), level 1 twins sharing number 2, level 1 number 3, NA.
    lists = [[(0, 1)], [(0, 1), (1, 0)], [(0, 0)], [(0, 1)], [(0, NA)]]
    market = make_market([1, 1], [False, False], lists, [2, 2, 4, 3, 1])
    assert priority_ranks(market).tolist() == [2, 2, 1, 1, 4, 5]


@given(case=cases(distinct_lottery=False), data=st.data())
def test_priority_ranks_follow_the_order_and_ignore_row_order(
    case: Case, data: st.DataObject
) -> None:
    ranks = priority_ranks(case.market()).tolist()
    flat = [(i, s, p) for i, row in enumerate(case.lists) for s, p in row]
    for (i, s, p), r in zip(flat, ranks, strict=True):
        ahead = sum(1 for j, t, q in flat if t == s and (q, case.lottery[j]) < (p, case.lottery[i]))
        assert r == ahead + 1
    apps = data.draw(st.permutations(range(case.n)))
    schools = data.draw(st.permutations(range(case.m)))
    shuffled = case.permuted(apps, schools)
    by_key = {(i, s): r for (i, s, _), r in zip(flat, ranks, strict=True)}
    again = priority_ranks(shuffled.market()).tolist()
    flat2 = [(apps[j], schools[t]) for j, row in enumerate(shuffled.lists) for t, _ in row]
    assert [by_key[k] for k in flat2] == again
