"""Hand-made scenarios for every verification check, tier predicate and priority rule."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sunshine.core.eligibility import EligibilityResult, assess, check_rows
from sunshine.core.evidence import Relation
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.policy import PriorityGroup, PriorityGroupRule, SpecialNeed
from sunshine.core.reasons import Check, Reason
from sunshine.core.tiers import Basis, Kind

from .scenario import Scenario, policy, tier

pytestmark = pytest.mark.no_postgres_rerun
D = dt.date
G = 4  # priority groups in the test policy
TIER0 = 2 + G  # level of policy tier 0 under above_all_tiers / as_tier_1


def run(s: Scenario, stage: str = "primary", **kw: object) -> EligibilityResult:
    return assess(policy(**kw), stage, s.evidence())  # type: ignore[arg-type]


def entries(r: EligibilityResult, i: int) -> list[tuple[str, int, int]]:
    """(school_id, priority, tier) of application i, in list order."""
    lo, hi = r.pref_ptr[i], r.pref_ptr[i + 1]
    schools = ["a1", "a2", "b1", "p1"]
    return [
        (schools[r.pref_school[k]], int(r.pref_priority[k]), int(r.pref_tier[k]))
        for k in range(lo, hi)
    ]


def reason(r: EligibilityResult, i: int, check: Check) -> Reason:
    return Reason(int(r.reason[i, check]))


def test_local_family_earns_tier_one_in_zone_only() -> None:
    s = Scenario.two_zones()
    s.family("c")
    s.apply("A", "c", prefs=["a1", "b1"])
    r = run(s)
    assert entries(r, 0) == [("a1", TIER0, 0), ("b1", int(NOT_ADMISSIBLE), -1)]
    assert r.eligible.tolist() == [True]
    assert all(res == "pass" for _, check, res, _, _ in check_rows(r) if check in {"id", "age"})


@pytest.mark.parametrize(
    ("predicate", "setup", "expected"),
    [
        ("hukou_in_zone", "hukou_only", True),
        ("hukou_in_zone", "home_only", False),
        ("owns_home_in_zone", "home_only", True),
        ("owns_home_in_zone", "hukou_only", False),
        ("hukou_home_same_address", "both_same", True),
        ("hukou_home_same_address", "both_apart", False),
        ("residence_permit_in_zone", "permit", True),
        ("residence_permit_in_zone", "home_only", False),
        ("any_address_in_zone", "nothing", True),
    ],
)
def test_each_bool_predicate(predicate: str, setup: str, expected: bool) -> None:
    s = Scenario.two_zones()
    child, m, f = "c", "M-c", "F-c"
    s.births.append((child, D(2020, 3, 1), m, f))
    if setup in {"hukou_only", "both_same", "both_apart"}:
        s.households.append((child, "hh", "inA", D(2020, 3, 1), Relation.CHILD))
    if setup in {"home_only", "both_same"}:
        s.properties.append(("H-c", "inA", f, 1.0, D(2019, 1, 1)))
    if setup == "both_apart":
        s.properties.append(("H-c", "inA2", f, 1.0, D(2019, 1, 1)))
    if setup == "permit":
        s.permits.append((m, "inA", D(2024, 1, 1), D(2027, 1, 1)))
    s.apply("A", "c", prefs=["a1"])
    r = run(s, tiers=[tier("only", **{predicate: True})])
    assert (entries(r, 0)[0][2] == 0) is expected


def test_hukou_since_before_and_social_security_months() -> None:
    s = Scenario.two_zones()
    s.family("early", since=D(2024, 1, 1))
    s.family("late", since=D(2025, 9, 1))
    s.apply("A", "early")
    s.apply("B", "late")
    for who, months in (("M-early", 12), ("F-late", 11)):
        s.ss.append((who, months, D(2026, 4, 30)))
    tiers = [
        tier("since", hukou_since_before=D(2025, 8, 31)),
        tier("ss", social_security_months_at_least=11),
    ]
    r = run(s, tiers=tiers)
    assert [entries(r, i)[0][2] for i in (0, 1)] == [0, 1]
    assert reason(r, 0, Check.SOCIAL_SECURITY) is Reason.SS_RECORD
    rows = list(check_rows(r, [1]))
    assert any("11 continuous months" in row[4] for row in rows)


def test_tier_predicates_are_anded_and_best_tier_wins() -> None:
    s = Scenario.two_zones()
    s.family("c", since=D(2026, 1, 1))  # hukou and home together, but hukou too recent
    s.apply("A", "c")
    r = run(s)
    assert entries(r, 0)[0][2] == 1  # "户籍" (tier index 1), not "房户一致"


def test_seat_lock_other_family_sibling_and_expiry() -> None:
    s = Scenario.two_zones()
    s.family("c")
    s.apply("A", "c")
    tiers = [tier("home", owns_home_in_zone=True), tier("addr", any_address_in_zone=True)]
    s.births.append(("other", D(2016, 1, 1), "M-x", "F-x"))
    s.usage.append(("H-c", 2022, "other"))
    r = run(s, tiers=tiers)
    assert reason(r, 0, Check.SEAT_LOCK) is Reason.LOCK_LOCKED
    assert entries(r, 0)[0][2] == 1  # the home no longer gives the home tier
    assert "locked until 2027" in next(row[4] for row in check_rows(r) if row[1] == "seat_lock")

    s.usage[-1] = ("H-c", 2020, "other")  # 2026 - 2020 = 6 = lock years: expired
    r = run(s, tiers=tiers)
    assert reason(r, 0, Check.SEAT_LOCK) is Reason.LOCK_FREE
    assert entries(r, 0)[0][2] == 0

    s.births.append(("elder", D(2016, 1, 1), "M-c", "F-c"))  # same parents: a sibling
    s.usage[-1] = ("H-c", 2023, "elder")
    r = run(s, tiers=tiers)
    assert reason(r, 0, Check.SEAT_LOCK) is Reason.LOCK_SIBLING
    assert entries(r, 0)[0][2] == 0


def test_seat_lock_sibling_by_household() -> None:
    s = Scenario.two_zones()
    s.family("c")
    s.apply("A", "c")
    s.households.append(("cousin", "HH-c", "inA", D(2016, 1, 1), Relation.OTHER))
    s.usage.append(("H-c", 2024, "cousin"))
    assert reason(run(s), 0, Check.SEAT_LOCK) is Reason.LOCK_SIBLING


def test_twins_share_a_home_without_locking_each_other() -> None:
    s = Scenario.two_zones()
    s.family("t1")
    s.births.append(("t2", D(2020, 3, 1), "M-t1", "F-t1"))
    s.households.append(("t2", "HH-t1", "inA", D(2020, 3, 1), Relation.CHILD))
    s.apply("T1", "t1")
    s.apply("T2", "t2", guardians=["M-t1", "F-t1"], cert="H-t1")
    r = run(s)
    assert [entries(r, i)[0][1:] for i in (0, 1)] == [(TIER0, 0), (TIER0, 0)]


def test_under_age_and_invalid_id_are_ineligible_everywhere() -> None:
    s = Scenario.two_zones()
    s.family("young", born=D(2020, 9, 1))
    s.apply("Y", "young", born=D(2020, 9, 1), private="p1")
    s.family("exact", born=D(2020, 8, 31))
    s.apply("E", "exact", born=D(2020, 8, 31))
    s.family("bad")
    s.apply("B", "bad", id_override="330199202003010011")  # wrong check digit
    s.family("liar")
    s.apply("L", "liar", born=D(2019, 1, 1), id_override=None)
    s.apps[-1].idno = s.apps[0].idno  # ID says 2020-09-01, application says 2019
    r = run(s)
    assert r.eligible.tolist() == [False, True, False, False]
    assert [int(x) for x in r.ineligible_reason] == [
        Reason.AGE_UNDER,
        -1,
        Reason.ID_INVALID,
        Reason.ID_BIRTH_MISMATCH,
    ]
    assert {p for _, p, _ in entries(r, 0)} == {int(NOT_ADMISSIBLE)}
    assert entries(r, 1)[0][1] == TIER0


def test_junior_stage_has_no_age_check() -> None:
    s = Scenario.two_zones()
    s.family("c", born=D(2014, 1, 1))
    s.apply("A", "c", born=D(2014, 1, 1))
    r = run(s, stage="junior")
    assert reason(r, 0, Check.AGE) is Reason.AGE_NOT_REQUIRED
    assert r.eligible.all()


def test_guardian_not_a_parent_brings_no_evidence_unless_orphan() -> None:
    s = Scenario.two_zones()
    s.family("c", home=None)
    s.properties.append(("H-c", "inA", "uncle", 1.0, D(2019, 1, 1)))
    s.apply("A", "c", guardians=["uncle"])
    s.family("o", home=None)
    s.properties.append(("H-o", "inA", "aunt", 1.0, D(2019, 1, 1)))
    s.apply("O", "o", guardians=["aunt"], need=SpecialNeed.ORPHAN)
    r = run(s, tiers=[tier("home", owns_home_in_zone=True)])
    assert reason(r, 0, Check.PARENTS) is Reason.PARENTS_MISMATCH
    assert reason(r, 0, Check.HOME) is Reason.HOME_NOT_OWNED
    assert reason(r, 1, Check.PARENTS) is Reason.PARENTS_GUARDIANSHIP
    assert reason(r, 1, Check.HOME) is Reason.HOME_GUARDIAN
    assert [entries(r, i)[0][2] for i in (0, 1)] == [-1, 0]


def test_grandparents_home_only_when_the_policy_allows() -> None:
    s = Scenario.two_zones()
    s.births.append(("c", D(2020, 3, 1), "M-c", "F-c"))
    s.households += [
        ("grandpa", "hh", "inA", D(1990, 1, 1), Relation.HEAD),
        ("c", "hh", "inA", D(2020, 3, 1), Relation.CHILD),
    ]
    s.properties.append(("H-c", "inA", "grandpa", 0.5, D(1995, 5, 5)))
    s.apply("A", "c")
    tiers = [tier("home", owns_home_in_zone=True)]
    r = run(s, tiers=tiers)
    assert reason(r, 0, Check.HOME) is Reason.HOME_GRANDPARENT_NOT_ALLOWED
    assert entries(r, 0)[0][2] == -1
    r = run(s, tiers=tiers, grandparents=True)
    assert reason(r, 0, Check.HOME) is Reason.HOME_GRANDPARENT
    assert entries(r, 0)[0][2] == 0
    home = next(row for row in check_rows(r) if row[1] == "home")
    assert "50%" in home[3]
    assert "1995-05-05" in home[4]


def test_unknown_certificate_and_no_home() -> None:
    s = Scenario.two_zones()
    s.family("c", home=None)
    s.apply("A", "c", cert="NOPE")
    s.family("d", home=None)
    s.apply("B", "d", cert=None)
    r = run(s)
    assert reason(r, 0, Check.HOME) is Reason.HOME_UNKNOWN
    assert reason(r, 1, Check.HOME) is Reason.HOME_NONE
    assert reason(r, 1, Check.SEAT_LOCK) is Reason.LOCK_NONE


def test_expired_permit_gives_no_tier_and_permits_are_checked_on_registration_day() -> None:
    s = Scenario.two_zones()
    tiers = [tier("permit", residence_permit_in_zone=True)]
    for child, until in (("old", D(2026, 4, 30)), ("ok", D(2026, 5, 1))):
        s.family(child, home=None)
        s.permits.append((f"M-{child}", "inA", D(2023, 1, 1), until))
        s.apply(child, child)
    r = run(s, tiers=tiers)
    assert reason(r, 0, Check.PERMIT) is Reason.PERMIT_INVALID
    assert reason(r, 1, Check.PERMIT) is Reason.PERMIT_VALID
    assert [entries(r, i)[0][2] for i in (0, 1)] == [-1, 0]
    row = next(row for row in check_rows(r, [0]) if row[1] == "permit")
    assert row[2] == "fail"
    assert "2026-04-30" in row[4]
    assert "2026-05-01" in row[4]
    r = assess(policy(tiers=tiers), "primary", s.evidence(), as_of=D(2026, 4, 1))
    assert [reason(r, i, Check.PERMIT) for i in (0, 1)] == [Reason.PERMIT_VALID] * 2


def test_hukou_elsewhere_and_vaccination() -> None:
    s = Scenario.two_zones()
    s.family("c", address="inA2", vaccinated=False)
    s.apply("A", "c", address="inA")
    r = run(s)
    assert reason(r, 0, Check.HUKOU) is Reason.HUKOU_ELSEWHERE
    assert reason(r, 0, Check.VACCINATION) is Reason.VAX_INCOMPLETE
    assert r.eligible.all()  # vaccination does not bar admission


def test_disabled_child_placed_first_at_nearest_zone_school() -> None:
    s = Scenario.two_zones()
    s.addr["nearA2"] = (0.85, 0.85)
    s.family("d", address="nearA2", home=None)
    s.apply("D", "d", address="nearA2", prefs=["b1", "a1"], need=SpecialNeed.DISABLED)
    r = run(s)
    got = entries(r, 0)
    assert got[0][:2] == ("a2", 0)
    assert [e[0] for e in got] == ["a2", "b1", "a1"]
    assert r.pref_basis[r.pref_ptr[0]] == Basis.SPECIAL_NEEDS
    assert r.pref_kind[r.pref_ptr[0]] == Kind.PLACEMENT


def test_disabled_child_outside_every_zone_gets_nearest_public_school() -> None:
    s = Scenario.two_zones()
    s.family("d", address="far", home=None)
    s.apply("D", "d", address="far", prefs=[], need=SpecialNeed.DISABLED)
    r = run(s)
    assert entries(r, 0) == [("b1", 0, -1)]
    assert r.outside_zone.tolist() == [0]


@pytest.mark.parametrize("rule", list(PriorityGroupRule))
def test_priority_group_rules(rule: PriorityGroupRule) -> None:
    s = Scenario.two_zones()
    s.family("plain", home=None)  # hukou only: tier 1 ("户籍")
    s.apply("P", "plain", prefs=["a1", "b1"])
    s.family("police", home=None)
    s.apply("Q", "police", prefs=["a1", "b1"], group=PriorityGroup.POLICE)
    s.family("martyr", home=None)
    s.apply("M", "martyr", prefs=["a1"], group=PriorityGroup.MARTYR)
    s.family("top")  # tier 0, no group
    s.apply("T", "top", prefs=["a1"])
    r = run(s, rule=rule)
    prio = {a: entries(r, i)[0][1] for i, a in enumerate("PQMT")}
    out_of_zone = entries(r, 1)[1][1]
    na = int(NOT_ADMISSIBLE)
    if rule is PriorityGroupRule.ABOVE_ALL_TIERS:
        assert prio["M"] < prio["Q"] < prio["T"] < prio["P"]
        assert out_of_zone == 1 + 2  # police is third in the group order, at every school
    elif rule is PriorityGroupRule.FIRST_WITHIN_TIER:
        assert prio["T"] < prio["M"] < prio["Q"] < prio["P"]  # within tier 1 groups first
        assert out_of_zone == na
    else:
        assert prio["M"] == prio["Q"] == prio["T"] == TIER0 < prio["P"]
        assert out_of_zone == TIER0


def test_feeder_tier_at_the_fed_school_above_policy_tiers() -> None:
    s = Scenario.two_zones()
    s.family("f", address="inB", born=D(2014, 1, 1))
    s.apply("F", "f", address="inB", born=D(2014, 1, 1), prefs=["b1"], feeder="a1")
    s.family("g", born=D(2014, 1, 1))
    s.apply("G", "g", born=D(2014, 1, 1), prefs=["a1"])
    r = run(s, stage="junior", use_feeders=True)
    assert entries(r, 0) == [("b1", TIER0, 0), ("a1", 1 + G, -1)]  # appended, feeder level
    assert entries(r, 0)[1][1] < entries(r, 1)[0][1]
    assert r.pref_kind[r.pref_ptr[0] + 1] == Kind.FEEDER
    r = run(s, stage="junior", use_feeders=False)
    assert [e[0] for e in entries(r, 0)] == ["b1"]


def test_private_choice_comes_first_with_equal_priority() -> None:
    s = Scenario.two_zones()
    s.family("c")
    s.apply("A", "c", prefs=["a1", "p1"], private="p1")
    s.family("d", address="far", home=None)
    s.apply("B", "d", address="far", prefs=[], private="p1", group=PriorityGroup.MARTYR)
    r = run(s)
    assert entries(r, 0) == [("p1", 0, -1), ("a1", TIER0, 0)]
    assert entries(r, 1) == [("p1", 0, -1)]
    assert reason(r, 0, Check.PREFERENCES) is Reason.PREFS_INVALID  # p1 in the public list
    assert r.is_private.tolist() == [False, False, False, True]
    market = r.market(np.array([5, 7], dtype=np.uint64))
    assert market.is_private[market.pref_school[0]]


def test_preference_problems_are_reported() -> None:
    s = Scenario.two_zones()
    for c in "wxyz":
        s.family(c)
    s.apply("W", "w", prefs=["a1", "a2", "b1", "a1"])  # four > 3 allowed
    s.apply("X", "x", prefs=["a1", "a1"])
    s.apply("Y", "y", prefs=[], private="a1")  # a1 is not private
    s.apply("Z", "z", prefs=[])
    r = run(s)
    assert [reason(r, i, Check.PREFERENCES) for i in range(4)] == [
        Reason.PREFS_TOO_MANY,
        Reason.PREFS_DUPLICATE,
        Reason.PRIVATE_INVALID,
        Reason.PREFS_NONE,
    ]
    assert [e[0] for e in entries(r, 0)] == ["a1", "a2", "b1"]
    assert [e[0] for e in entries(r, 1)] == ["a1"]
    assert any("only the first 3" in row[4] for row in check_rows(r, [0]))


def test_border_address_belongs_to_the_smaller_zone_id() -> None:
    s = Scenario.two_zones()
    s.family("c", address="border")
    s.apply("A", "c", address="border", prefs=["b1", "a1"])
    r = run(s)
    assert r.claimed_zone.tolist() == [0]
    assert entries(r, 0) == [("b1", int(NOT_ADMISSIBLE), -1), ("a1", TIER0, 0)]


def test_outside_zone_is_reported() -> None:
    s = Scenario.two_zones()
    s.family("c", address="far")
    s.apply("A", "c", address="far")
    s.family("d")
    s.apply("B", "d")
    r = run(s)
    assert r.outside_zone.tolist() == [0]
    assert reason(r, 0, Check.ZONE) is Reason.ZONE_OUT
    assert 4 in r.outside_addresses.tolist()  # "far" is the fifth address
    assert entries(r, 0)[0][1] == int(NOT_ADMISSIBLE)


def test_every_application_gets_every_check_with_both_languages() -> None:
    s = Scenario.two_zones()
    s.family("c")
    s.apply("A", "c", prefs=["a1"])
    rows = list(check_rows(run(s)))
    assert [row[1] for row in rows] == [c.label for c in Check]
    assert all(row[2] in {"pass", "fail", "missing"} and row[3] and row[4] for row in rows)
    assert all("{" not in row[3] + row[4] for row in rows)
