"""A county (330110, city 3301) with one user of every role, a neighbouring county (330120)
and another city's supervisor, on the real test database."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pytest_django.fixtures import Settings

from sunshine.accounts.models import Role, User
from sunshine.audit.keys import raw_private_key
from sunshine.oversight import answers, services
from sunshine.oversight.models import AnswerTemplate, Case
from tests.portal.factories import County, build_county, make_user

TZ = ZoneInfo("Asia/Shanghai")
REGION = "330110"
NEIGHBOUR = "330120"


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)  # type: ignore[misc]


@dataclass
class People:
    admin: User  # bureau administrator of 330110: the default handler of most categories
    admin2: User  # a second administrator: approves what the first drafts or handles
    reviewer: User
    inspector: User
    supervisor: User  # city 3301
    other_admin: User  # bureau administrator of the neighbouring county 330120
    other_supervisor: User  # city 3302
    school_staff: User
    parent: User
    notary: User
    witness: User

    def all_roles(self) -> dict[str, User]:
        return dict(vars(self))


@pytest.fixture(autouse=True)
def _settings(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    key = Ed25519PrivateKey.generate()
    settings.SUNSHINE_AUDIT_SIGNING_KEY = base64.b64encode(raw_private_key(key)).decode()
    settings.SUNSHINE_AUDIT_ORIGIN = "测试县教育局"


@pytest.fixture
def county(db: None) -> County:
    return build_county(REGION)


@pytest.fixture
def people(county: County) -> People:
    # Created in this order so that routing's tie-break (fewest open cases, then lowest id)
    # gives new bureau cases to ``admin``.
    admin = make_user(Role.BUREAU_ADMIN, "admin", region_code=REGION)
    admin2 = make_user(Role.BUREAU_ADMIN, "admin2", region_code=REGION)
    parent = make_user(Role.PARENT, "parent")
    parent.applications.add(county.applications["a1"])
    return People(
        admin=admin,
        admin2=admin2,
        reviewer=make_user(Role.BUREAU_REVIEWER, "reviewer", region_code=REGION),
        inspector=make_user(Role.INSPECTOR, "inspector", region_code=REGION),
        supervisor=make_user(Role.SUPERVISOR, "supervisor", region_code="3301"),
        other_admin=make_user(Role.BUREAU_ADMIN, "other_admin", region_code=NEIGHBOUR),
        other_supervisor=make_user(Role.SUPERVISOR, "other_sup", region_code="3302"),
        school_staff=make_user(Role.SCHOOL_STAFF, "school", school=county.east),
        parent=parent,
        notary=make_user(Role.NOTARY, "notary"),
        witness=make_user(Role.WITNESS, "witness"),
    )


def new_case(**overrides: Any) -> Case:
    values: dict[str, Any] = {
        "actor": "public:web",
        "kind": "complaint",
        "category": "admission_fees",
        "summary": "学校收取与入学挂钩的赞助费",
        "region_code": REGION,
        "channel": "web",
    }
    values.update(overrides)
    return services.receive_case(**values)


def approved_template(people: People, category: str = "admission_fees") -> AnswerTemplate:
    """An answer drafted by the reviewer and approved by a second person."""
    draft = answers.draft_template(
        actor=people.reviewer,
        region_prefix=REGION,
        category=category,
        title="关于入学收费问题的答复",
        body="经核查，义务教育阶段学校不得收取与入学挂钩的任何费用。",
    )
    return answers.approve_template(draft, actor=people.admin2)


@pytest.fixture
def case(people: People) -> Case:
    return new_case()
