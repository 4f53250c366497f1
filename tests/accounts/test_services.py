from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from sunshine.accounts.models import Role, User
from sunshine.accounts.services import DEMO_PASSWORD, busiest_school, ensure_demo_accounts
from sunshine.audit.models import AuditEvent
from tests.portal.factories import County

pytestmark = pytest.mark.django_db


def test_one_account_per_role_scoped_to_the_season(county: County) -> None:
    accounts = ensure_demo_accounts(actor="cli:test", season=county.season)
    assert sorted(a.role for a in accounts) == sorted(Role)
    users = {u.role: u for u in User.objects.all()}
    assert len(users) == len(Role)
    for role in (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR):
        assert users[role].region_code == "330110"
    assert users[Role.SUPERVISOR].region_code == "3301"
    # west is listed by a1, a2 and a3: the most applications.
    assert users[Role.SCHOOL_STAFF].school == county.west
    assert list(users[Role.PARENT].applications.all()) == [county.applications["a1"]]
    for role in (Role.NOTARY, Role.WITNESS, Role.PARENT):
        assert users[role].region_code == ""
        assert users[role].school is None
    for account in accounts:
        assert authenticate(username=account.username, password=account.password) is not None
        assert account.password == DEMO_PASSWORD
        assert account.label


def test_the_demo_keeps_online_registration_open(county: County) -> None:
    from django.utils import timezone

    ensure_demo_accounts(actor="cli:test", season=county.season)
    county.season.refresh_from_db()
    assert county.season.registration_is_open(timezone.now())


def test_running_twice_resets_instead_of_adding(county: County) -> None:
    ensure_demo_accounts(actor="cli:test", season=county.season)
    school_user = User.objects.get(role=Role.SCHOOL_STAFF)
    school_user.set_password("changed")
    school_user.school = county.east
    school_user.is_active = False
    school_user.save()
    second = ensure_demo_accounts(actor="cli:test", season=county.season)
    assert User.objects.count() == len(Role) == len(second)
    school_user.refresh_from_db()
    assert school_user.is_active
    assert school_user.school == county.west
    assert school_user.check_password(DEMO_PASSWORD)
    assert User.objects.get(role=Role.PARENT).applications.count() == 1


def test_each_run_is_audited(county: County) -> None:
    ensure_demo_accounts(actor="cli:test", season=county.season)
    ensure_demo_accounts(actor="cli:test", season=county.season)
    events = AuditEvent.objects.filter(action="accounts.demo_accounts_ensured")
    assert events.count() == 2
    assert all(e.actor == "cli:test" for e in events)
    assert "demo-parent" in events[0].canonical


def test_busiest_school_breaks_ties_by_code(county: County) -> None:
    assert busiest_school(county.season) == county.west
