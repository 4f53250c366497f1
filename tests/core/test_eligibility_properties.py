"""Invariants over random scenarios: row order does not matter, and the output is deterministic."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.eligibility import EligibilityResult, assess, check_rows
from sunshine.core.evidence import Evidence, Relation
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.policy import PriorityGroup, PriorityGroupRule, SpecialNeed

from .scenario import Scenario, policy, shuffled

pytestmark = pytest.mark.no_postgres_rerun
D = dt.date
ADDRS = ["inA", "inA2", "inB", "border", "far"]
SCHOOLS = ["a1", "a2", "b1", "p1", "zz"]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    s = Scenario.two_zones()
    n = draw(st.integers(1, 12))
    for i in range(n):
        c = f"c{i}"
        born = D(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 400)))
        address = draw(st.sampled_from(ADDRS))
        home = draw(st.sampled_from(["default", None]))
        s.family(
            c,
            born=born,
            address=address,
            since=D(2020, 1, 1) + dt.timedelta(days=draw(st.integers(0, 2400))),
            home=home,
            vaccinated=draw(st.booleans()),
        )
        if draw(st.booleans()):
            s.permits.append(
                (
                    f"M-{c}",
                    draw(st.sampled_from(ADDRS)),
                    D(2024, 1, 1),
                    D(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 600))),
                )
            )
        if draw(st.booleans()):
            s.ss.append((f"F-{c}", draw(st.integers(0, 40)), D(2026, 5, 1)))
        if draw(st.booleans()):
            s.usage.append((f"H-{c}", draw(st.integers(2015, 2026)), f"c{draw(st.integers(0, n))}"))
        if draw(st.booleans()):
            s.households.append((f"G-{c}", f"HH-{c}", address, D(1990, 1, 1), Relation.HEAD))
        s.apply(
            f"app{i}",
            c,
            born=born,
            address=address,
            cert=draw(st.sampled_from(["default", None, f"H-c{draw(st.integers(0, n))}"])),
            prefs=draw(st.lists(st.sampled_from(SCHOOLS), max_size=4)),
            private=draw(st.sampled_from([None, "p1", "a1"])),
            group=draw(st.sampled_from([None, *PriorityGroup])),
            need=draw(st.sampled_from([None, *SpecialNeed])),
        )
    return s


def per_application(r: EligibilityResult) -> dict[str, object]:
    out: dict[str, object] = {}
    for i, app_id in enumerate(r.application_id):
        lo, hi = r.pref_ptr[i], r.pref_ptr[i + 1]
        out[str(app_id)] = (
            tuple(r.reason[i]),
            bool(r.eligible[i]),
            tuple(r.pref_school[lo:hi]),
            tuple(r.pref_priority[lo:hi]),
            tuple(r.pref_tier[lo:hi]),
            tuple(r.pref_basis[lo:hi]),
            tuple(row for row in check_rows(r, [i])),
        )
    return out


@settings(max_examples=60, deadline=None)
@given(
    s=scenarios(),
    seed=st.integers(0, 2**32 - 1),
    rule=st.sampled_from(list(PriorityGroupRule)),
    grandparents=st.booleans(),
)
def test_invariant_under_shuffled_rows_and_deterministic(
    s: Scenario, seed: int, rule: PriorityGroupRule, grandparents: bool
) -> None:
    pol = policy(rule=rule, grandparents=grandparents)
    ev: Evidence = s.evidence()
    first = assess(pol, "primary", ev)
    again = assess(pol, "primary", ev)
    assert per_application(first) == per_application(again)
    perm = np.random.default_rng(seed).permutation(len(ev.applicants))
    other = assess(pol, "primary", shuffled(ev, perm))
    assert per_application(first) == per_application(other)

    # structural invariants of the market
    market = first.market(np.zeros(first.n_applications, dtype=np.uint64))
    for i in range(first.n_applications):
        lo, hi = first.pref_ptr[i], first.pref_ptr[i + 1]
        schools = first.pref_school[lo:hi]
        assert len(set(schools.tolist())) == len(schools)  # no school twice
        private = market.is_private[schools]
        assert not private[1:].any()  # the private choice, if any, comes first
        if not first.eligible[i]:
            assert (first.pref_priority[lo:hi] == NOT_ADMISSIBLE).all()
    assert first.outside_zone.tolist() == np.flatnonzero(first.claimed_zone < 0).tolist()
