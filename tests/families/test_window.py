"""The registration window: set by the county's bureau administrator, audited, in order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sunshine.accounts.models import Role
from sunshine.audit.models import AuditEvent
from sunshine.errors import Invalid, NotAllowed
from sunshine.families.window import set_registration_window
from tests.portal.factories import County, make_user

pytestmark = pytest.mark.django_db


def test_the_bureau_admin_of_the_county_sets_the_window(county: County) -> None:
    admin = make_user(Role.BUREAU_ADMIN, region_code="330110")
    opens = timezone.now() + dt.timedelta(days=1)
    season = set_registration_window(
        actor=admin, season=county.season, opens=opens, closes=opens + dt.timedelta(days=10)
    )
    assert not season.registration_is_open(timezone.now())
    assert season.registration_is_open(opens)
    assert not season.registration_is_open(opens + dt.timedelta(days=10))  # closes is excluded
    assert AuditEvent.objects.filter(action="season.registration_window_set").count() == 1


def test_others_may_not_and_a_window_must_be_in_order(county: County) -> None:
    now = timezone.now()
    later = now + dt.timedelta(days=1)
    for user in (
        make_user(Role.BUREAU_ADMIN, region_code="330111"),
        make_user(Role.BUREAU_REVIEWER, region_code="330110"),
        make_user(Role.PARENT),
    ):
        with pytest.raises(NotAllowed):
            set_registration_window(actor=user, season=county.season, opens=now, closes=later)
    admin = make_user(Role.BUREAU_ADMIN, region_code="330110")
    with pytest.raises(Invalid):
        set_registration_window(actor=admin, season=county.season, opens=later, closes=now)
    with pytest.raises(Invalid):
        set_registration_window(
            actor=admin, season=county.season, opens=later.replace(tzinfo=None), closes=later
        )
