"""Scope is a property of the query, checked on random sets of applications."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.accounts.models import Role, User
from sunshine.admissions.queries import (
    ApplicationFilters,
    applications_visible_to,
    filter_applications,
    seasons_visible_to,
)
from tests.portal.factories import build_county
from tests.portal.markets import Plan, apply_plans, plans, rolled_back, school

pytestmark = pytest.mark.django_db
EXAMPLES = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


_serial = itertools.count()


def _user(role: Role, **scope: object) -> User:
    user = User(username=f"u-{role.value}-{next(_serial)}", role=role, **scope)
    user.save()
    return user


def _relates(plan: Plan, name: str) -> bool:
    listed = name in plan.preferences or (name == "private" and plan.private)
    return listed or plan.admitted == name


@EXAMPLES
@given(here=st.lists(plans(), max_size=6), there=st.lists(plans(), max_size=6))
def test_school_staff_see_exactly_their_schools_applicants(
    db: None, here: list[Plan], there: list[Plan]
) -> None:
    with rolled_back():
        county, neighbour = build_county(), build_county("330122", "邻县")
        mine = apply_plans(county, here, "H")
        apply_plans(neighbour, there, "T")
        for name in ("east", "west", "private"):
            officer = _user(Role.SCHOOL_STAFF, school=school(county, name))
            seen = set(applications_visible_to(officer).values_list("code", flat=True))
            expected = {a.code for a, p in zip(mine, here, strict=True) if _relates(p, name)}
            # build_county's own applications are in scope too, by the same rule.
            own = {a.code for a in county.applications.values()}
            assert seen - own == expected
            assert all(code.startswith(("H", "330110-")) for code in seen)
            officer.delete()


@EXAMPLES
@given(here=st.lists(plans(), max_size=6), there=st.lists(plans(), max_size=6))
def test_region_scopes_partition_by_county(db: None, here: list[Plan], there: list[Plan]) -> None:
    with rolled_back():
        county, neighbour = build_county(), build_county("330122", "邻县")
        apply_plans(county, here, "H")
        apply_plans(neighbour, there, "T")
        for role in (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR):
            user = _user(role, region_code="330110")
            seasons = set(applications_visible_to(user).values_list("season_id", flat=True))
            assert seasons <= {county.season.pk}
            assert applications_visible_to(user).count() == len(here) + 5
            user.delete()
        city = _user(Role.SUPERVISOR, region_code="3301")
        assert applications_visible_to(city).count() == len(here) + len(there) + 10
        other_city = _user(Role.SUPERVISOR, region_code="3302")
        assert not applications_visible_to(other_city).exists()


@pytest.mark.parametrize("role", [Role.PARENT, Role.WITNESS, Role.NOTARY])
def test_non_staff_see_nothing_whatever_their_scope(db: None, role: Role) -> None:
    county = build_county()
    user = _user(role, region_code="330110", school=county.east)
    assert not applications_visible_to(user).exists()
    assert not seasons_visible_to(user).exists()


def test_an_inactive_user_sees_nothing(db: None) -> None:
    build_county()
    user = _user(Role.BUREAU_ADMIN, region_code="330110", is_active=False)
    assert not applications_visible_to(user).exists()


@EXAMPLES
@given(here=st.lists(plans(), max_size=8))
def test_the_school_filter_never_widens_scope(db: None, here: list[Plan]) -> None:
    with rolled_back():
        county = build_county()
        apply_plans(county, here, "H")
        officer = _user(Role.SCHOOL_STAFF, school=county.east)
        scoped = applications_visible_to(officer)
        for name in ("east", "west", "private"):
            filtered = filter_applications(scoped, ApplicationFilters(school=school(county, name)))
            assert set(filtered) <= set(scoped)
