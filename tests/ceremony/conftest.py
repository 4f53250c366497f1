"""A small synthetic season and the people who take part in a ceremony."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Season
from sunshine.admissions.services import import_package
from sunshine.ceremony import services
from sunshine.ceremony.models import Ceremony
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate

ROLES = ["notary", "parent_representative"]


@dataclass(frozen=True)
class People:
    admin: User
    second_admin: User
    notary: User
    parent_rep: User  # a parent representative holds a "witness" account
    inspector: User
    parent: User


@pytest.fixture
def season(tmp_path: Path) -> Season:
    generate(tmp_path, children=200, seed=11, progress=False)
    return import_package(read_package(tmp_path), actor="test")


@pytest.fixture
def people() -> People:
    def user(name: str, role: str) -> User:
        return User.objects.create_user(username=name, password="x-unused-x", role=role)

    return People(
        admin=user("admin", Role.BUREAU_ADMIN),
        second_admin=user("admin2", Role.BUREAU_ADMIN),
        notary=user("notary", Role.NOTARY),
        parent_rep=user("rep", Role.WITNESS),
        inspector=user("inspector", Role.INSPECTOR),
        parent=user("parent", Role.PARENT),
    )


def announced(season: Season, people: People, *, beacon: bool = False) -> Ceremony:
    ceremony = services.freeze_pool(season, actor=people.admin, label="实验小学 2025")
    return services.announce(
        ceremony,
        actor=people.admin,
        witness_roles=ROLES,
        beacon_source="drand quicknet" if beacon else "",
        beacon_round=1234 if beacon else None,
    )


def drawn(season: Season, people: People) -> Ceremony:
    ceremony = announced(season, people)
    services.add_witness_input(
        ceremony, actor=people.notary, role="notary", name="张公证", value="314159"
    )
    services.add_witness_input(
        ceremony, actor=people.parent_rep, role="parent_representative", name="李家长", value="27"
    )
    return services.draw(ceremony, actor=people.admin)


def published(season: Season, people: People) -> Ceremony:
    return services.publish(drawn(season, people), actor=people.admin)
