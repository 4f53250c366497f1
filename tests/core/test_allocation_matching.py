"""Our deferred acceptance gives exactly the assignment of the `matching` package."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from bench.bench_da_vs_matching import instance, theirs
from hypothesis import given, settings

from sunshine.core.allocation import allocate
from sunshine.core.policy import Mechanism
from tests.core.allocation_strategies import Case, cases

pytestmark = pytest.mark.no_postgres_rerun


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_as_matching_on_random_instances(seed: int) -> None:
    market = instance(300, seed=seed)  # 300 children, 10 schools, five choices each
    market = dataclasses.replace(market, capacity=market.capacity // 2)  # many rejections
    reference, _ = theirs(market)
    ours = allocate(market, Mechanism.DEFERRED_ACCEPTANCE).school
    assert np.count_nonzero(ours >= 0) > 100
    assert ours.tolist() == reference.tolist()


@settings(max_examples=40, deadline=None)
@given(case=cases(max_children=25, private=False, distinct_lottery=False))
def test_same_as_matching_with_ties_zero_capacities_and_inadmissible_entries(case: Case) -> None:
    market = case.market()
    reference, _ = theirs(market)
    assert allocate(market, Mechanism.DEFERRED_ACCEPTANCE).school.tolist() == reference.tolist()
