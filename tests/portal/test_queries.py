"""The public demand figures agree with a count done by hand, for any set of applications."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.portal.factories import build_county, make_season
from tests.portal.markets import PUBLIC, Plan, apply_plans, plans, rolled_back, school

from sunshine.portal.queries import current_season, demand_by_school, school_rows

pytestmark = pytest.mark.django_db


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(extra=st.lists(plans(), max_size=10))
def test_demand_matches_a_count_by_hand(db: None, extra: list[Plan]) -> None:
    with rolled_back():
        county = build_county()
        apply_plans(county, extra, "H")
        listed, first = demand_by_school(county.season)
        for name in PUBLIC:
            pk = school(county, name).pk
            base_listed = {"east": 2, "west": 3}[name]  # build_county's own applications
            base_first = {"east": 1, "west": 2}[name]
            assert listed.get(pk, 0) == base_listed + sum(name in p.preferences for p in extra)
            assert first.get(pk, 0) == base_first + sum(p.preferences[:1] == (name,) for p in extra)
        private = county.private.pk
        assert listed[private] == first[private] == 1 + sum(p.private for p in extra)
        # Every application counts once as a first choice per school it put first.
        with_first = sum(bool(p.preferences) + p.private for p in extra)
        assert sum(first.values()) == 5 + with_first  # a1 a2 a3 j1 first choices, a4 private


def test_school_rows_follow_the_stage(db: None) -> None:
    county = build_county()
    assert {r.school for r in school_rows(county.season, "junior")} == {county.junior}
    assert len(school_rows(county.season)) == 4


def test_current_season_is_the_latest_or_the_one_asked_for(db: None) -> None:
    old = make_season("330110", "示范县", 2025)
    new = make_season("330110", "示范县", 2026)
    assert current_season() == new
    assert current_season(str(old.pk)) == old
    assert current_season("nonsense") is None
    assert current_season(old.pk + new.pk + 1) is None
