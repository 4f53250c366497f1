"""Review rejections and approved overrides, as eligibility applies them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.adjustments import NO_TIER, WAIVABLE, Adjustments
from sunshine.core.eligibility import EligibilityResult, assess
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.reasons import Check, Reason

from .scenario import Scenario, policy, tier
from .test_eligibility import TIER0, entries, reason
from .test_eligibility_properties import scenarios

pytestmark = pytest.mark.no_postgres_rerun
D = dt.date
BAD = int(NOT_ADMISSIBLE)


def run(s: Scenario, adj: Adjustments, **kw: object) -> EligibilityResult:
    return assess(policy(**kw), "primary", s.evidence(), adjustments=adj)  # type: ignore[arg-type]


def test_a_final_rejection_makes_the_child_ineligible_and_keeps_the_registry_checks() -> None:
    s = Scenario.two_zones()
    s.family("c")
    s.apply("A", "c", prefs=["a1", "b1"], private="p1")
    s.family("d")
    s.apply("B", "d")
    r = run(s, Adjustments(rejected=frozenset({"A", "not-in-this-stage"})))
    assert r.eligible.tolist() == [False, True]
    assert {p for _, p, _ in entries(r, 0)} == {BAD}
    assert int(r.ineligible_reason[0]) == -1  # no check failed: a person decided
    assert reason(r, 0, Check.HOME) is Reason.HOME_GUARDIAN
    assert entries(r, 1)[0][1:] == (TIER0, 0)


def test_waiving_age_or_id_makes_the_child_eligible() -> None:
    s = Scenario.two_zones()
    s.family("young", born=D(2020, 9, 1))
    s.apply("Y", "young", born=D(2020, 9, 1))
    s.family("bad")
    s.apply("B", "bad", id_override="330199202003010011")
    none = run(s, Adjustments())
    assert none.eligible.tolist() == [False, False]
    waived = run(s, Adjustments(waived={"Y": frozenset({Check.AGE})}))
    assert waived.eligible.tolist() == [True, False]
    assert int(waived.ineligible_reason[0]) == -1
    assert reason(waived, 0, Check.AGE) is Reason.AGE_UNDER  # the registry fact stays
    assert entries(waived, 0)[0][1:] == (TIER0, 0)
    # waiving one mandatory check does not waive the other
    assert run(s, Adjustments(waived={"B": frozenset({Check.AGE})})).eligible.tolist() == [
        False,
        False,
    ]


def test_a_late_home_document_counts_as_an_owned_home_at_the_claimed_address() -> None:
    s = Scenario.two_zones()
    s.family("c", home=None)
    s.apply("A", "c", cert="NOT-YET-REGISTERED")
    tiers = [tier("home", owns_home_in_zone=True), tier("addr", any_address_in_zone=True)]
    assert entries(run(s, Adjustments(), tiers=tiers), 0)[0][2] == 1
    r = run(s, Adjustments(waived={"A": frozenset({Check.HOME})}), tiers=tiers)
    assert reason(r, 0, Check.HOME) is Reason.HOME_UNKNOWN
    assert entries(r, 0)[0][2] == 0


def test_a_waived_seat_lock_frees_the_home_but_a_locked_home_stays_locked_otherwise() -> None:
    s = Scenario.two_zones()
    s.family("c")
    s.apply("A", "c")
    s.births.append(("other", D(2016, 1, 1), "M-x", "F-x"))
    s.usage.append(("H-c", 2022, "other"))
    tiers = [tier("home", owns_home_in_zone=True), tier("addr", any_address_in_zone=True)]
    assert (
        entries(run(s, Adjustments(waived={"A": frozenset({Check.HUKOU})}), tiers=tiers), 0)[0][2]
        == 1
    )
    r = run(s, Adjustments(waived={"A": frozenset({Check.SEAT_LOCK})}), tiers=tiers)
    assert entries(r, 0)[0][2] == 0


def test_waived_hukou_permit_and_social_security_satisfy_their_predicates() -> None:
    s = Scenario.two_zones()
    s.family("c", address="far", home=None)
    s.apply("A", "c", address="inA", cert=None)
    tiers = [
        tier("hukou", hukou_in_zone=True),
        tier("permit+ss", residence_permit_in_zone=True, social_security_months_at_least=24),
    ]
    assert entries(run(s, Adjustments(), tiers=tiers), 0)[0][2] == -1
    r = run(s, Adjustments(waived={"A": frozenset({Check.HUKOU})}), tiers=tiers)
    assert entries(r, 0)[0][2] == 0
    permit_only = Adjustments(waived={"A": frozenset({Check.PERMIT})})
    assert entries(run(s, permit_only, tiers=tiers), 0)[0][2] == -1  # months still missing
    both = Adjustments(waived={"A": frozenset({Check.PERMIT, Check.SOCIAL_SECURITY})})
    assert entries(run(s, both, tiers=tiers), 0)[0][2] == 1


def test_a_tier_change_sets_the_tier_and_priority_of_one_entry_only() -> None:
    s = Scenario.two_zones()
    s.family("c", home=None)  # hukou in A only: tier 1 at a1 and a2
    s.apply("A", "c", prefs=["a1", "a2", "b1"], private="p1")
    before = entries(run(s, Adjustments()), 0)
    assert [e[2] for e in before] == [-1, 1, 1, -1]  # private first, then a1, a2, b1
    adj = Adjustments(tiers={("A", "a2"): 0, ("A", "b1"): 3, ("A", "p1"): 0, ("A", "zz"): 0})
    after = entries(run(s, adj), 0)
    assert after[0] == before[0]  # a private school has no tiers: unchanged
    assert after[1] == before[1]
    assert after[2] == ("a2", TIER0, 0)
    assert after[3] == ("b1", TIER0 + 3, 3)
    demoted = entries(run(s, Adjustments(tiers={("A", "a1"): NO_TIER})), 0)
    assert demoted[1] == ("a1", BAD, -1)


def test_a_tier_change_does_not_rescue_an_ineligible_child() -> None:
    s = Scenario.two_zones()
    s.family("young", born=D(2020, 9, 1))
    s.apply("Y", "young", born=D(2020, 9, 1))
    r = run(s, Adjustments(tiers={("Y", "a1"): 0}))
    assert entries(r, 0) == [("a1", BAD, -1)]


def test_only_the_waivable_checks_can_be_waived() -> None:
    with pytest.raises(ValueError, match="zone"):
        Adjustments(waived={"A": frozenset({Check.ZONE})})
    with pytest.raises(ValueError, match="tier"):
        Adjustments(tiers={("A", "a1"): -5})
    assert not Adjustments()
    assert Check.PARENTS not in WAIVABLE


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.data())
def test_adjusting_some_applications_never_changes_the_others(
    s: Scenario, data: st.DataObject
) -> None:
    ids = [a.id for a in s.apps]
    chosen = data.draw(st.sets(st.sampled_from(ids), max_size=len(ids)))
    waived = {
        a: frozenset(data.draw(st.sets(st.sampled_from(WAIVABLE), min_size=1)))
        for a in chosen
        if data.draw(st.booleans())
    }
    rejected = frozenset(a for a in chosen if a not in waived)
    tiers = {(a, "a1"): data.draw(st.integers(NO_TIER, 3)) for a in chosen}
    plain = run(s, Adjustments())
    adjusted = run(s, Adjustments(rejected=rejected, waived=waived, tiers=tiers))
    assert (run(s, Adjustments()).reason == plain.reason).all()
    np.testing.assert_array_equal(adjusted.reason, plain.reason)
    for i, a in enumerate(ids):
        if a in chosen:
            continue
        assert entries(adjusted, i) == entries(plain, i)
        assert adjusted.eligible[i] == plain.eligible[i]
    for a in rejected:
        assert not adjusted.eligible[ids.index(a)]
