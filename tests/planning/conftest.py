"""A small county and the people who change its plans and zones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from pytest_django.fixtures import Settings

from sunshine.accounts.models import Role, User
from tests.portal.factories import County, build_county, make_user

PASSWORD = "pw-for-tests-only"  # tests.portal.factories.make_user's password
CST = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 9, month: int = 3) -> dt.datetime:
    """A fixed moment of 2026 in the county's time zone (in the past when the tests run)."""
    return dt.datetime(2026, month, day, hour, tzinfo=CST)


@dataclass(frozen=True)
class People:
    reviewer: User  # bureau reviewer of the county
    admin: User  # bureau administrator of the county
    admin2: User  # a second administrator: the co-signer
    other_admin: User  # an administrator of another county
    school: User  # school staff of the county's east school
    inspector: User
    parent: User
    witness: User


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> County:
    return build_county()


@pytest.fixture
def people(county: County) -> People:
    code = county.season.region_code
    return People(
        reviewer=make_user(Role.BUREAU_REVIEWER, "reviewer", region_code=code),
        admin=make_user(Role.BUREAU_ADMIN, "admin", region_code=code),
        admin2=make_user(Role.BUREAU_ADMIN, "admin2", region_code=code),
        other_admin=make_user(Role.BUREAU_ADMIN, "other-admin", region_code="330122"),
        school=make_user(Role.SCHOOL_STAFF, "school", region_code=code, school=county.east),
        inspector=make_user(Role.INSPECTOR, "inspector", region_code=code),
        parent=make_user(Role.PARENT, "parent"),
        witness=make_user(Role.WITNESS, "witness"),
    )
