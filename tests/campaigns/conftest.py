"""People, times and builders for the campaigns tests (real database, no mocks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from pytest_django.fixtures import Settings

from sunshine.accounts.models import Role, User
from sunshine.campaigns import services
from sunshine.campaigns.models import Campaign
from tests.portal.factories import make_user

TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai has no DST
NOW = dt.datetime(2026, 7, 1, 10, 0, tzinfo=TZ)
COUNTY = "330110"
NEIGHBOUR = "330122"
CITY = "3301"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class People:
    admin: User  # bureau administrator of COUNTY
    admin2: User  # a second administrator of COUNTY (four eyes)
    reviewer: User
    inspector: User
    neighbour_admin: User  # bureau administrator of NEIGHBOUR
    supervisor: User  # the city above both counties
    other_supervisor: User  # another city
    parent: User
    school_staff: User


@pytest.fixture
def people(db: None) -> People:
    return People(
        admin=make_user(Role.BUREAU_ADMIN, "admin", region_code=COUNTY),
        admin2=make_user(Role.BUREAU_ADMIN, "admin2", region_code=COUNTY),
        reviewer=make_user(Role.BUREAU_REVIEWER, "reviewer", region_code=COUNTY),
        inspector=make_user(Role.INSPECTOR, "inspector", region_code=COUNTY),
        neighbour_admin=make_user(Role.BUREAU_ADMIN, "neighbour", region_code=NEIGHBOUR),
        supervisor=make_user(Role.SUPERVISOR, "supervisor", region_code=CITY),
        other_supervisor=make_user(Role.SUPERVISOR, "far", region_code="3302"),
        parent=make_user(Role.PARENT, "parent"),
        school_staff=make_user(Role.SCHOOL_STAFF, "staff"),
    )


def county_campaign(people: People, **overrides: object) -> Campaign:
    """The seed 000 campaign: 2026 dates, three phases, no tasks yet."""
    fields: dict[str, object] = {
        "name": "违规办理中小学生入学行为专项治理",
        "level": Campaign.Level.COUNTY,
        "region_code": COUNTY,
        "starts_on": dt.date(2026, 7, 28),
        "ends_on": dt.date(2026, 9, 30),
        "now": NOW,
    }
    fields.update(overrides)
    actor = fields.pop("actor", people.admin)
    with_phases = fields.pop("phases", True)
    campaign = services.create_campaign(actor=actor, **fields)  # type: ignore[arg-type]
    if not with_phases:
        return campaign
    for name, start, end in [
        ("自查自纠", dt.date(2026, 7, 28), dt.date(2026, 8, 10)),
        ("督查整改", dt.date(2026, 8, 11), dt.date(2026, 8, 31)),
        ("建章立制", dt.date(2026, 9, 1), dt.date(2026, 9, 30)),
    ]:
        services.add_phase(campaign, actor=actor, name=name, starts_on=start, ends_on=end, now=NOW)
    return campaign
