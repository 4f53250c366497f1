"""A small contested county for review tests, loaded through the real import, and its people.

Primary school P1 has one seat and P2 plenty; three children (K1..K3) live in the zone both
serve, list P1 then P2 and earn the same tier ("片区内居住"), so the lottery alone decides who
gets P1. K4 is under age (ineligible) unless an exception is approved. K5 holds an unknown home
certificate. P3, in another zone, is listed by nobody: its officer sees none of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Application, School, Season
from sunshine.admissions.services import import_package
from sunshine.datasets.package import Zone
from tests.admissions.packages import make_package, make_table, policy_text
from tests.portal.factories import id_number, make_user

REGION = "330102"
OTHER_REGION = "330199"


def _square(lon: float) -> dict[str, Any]:
    ring = [[lon, 30.0], [lon + 0.1, 30.0], [lon + 0.1, 30.1], [lon, 30.1], [lon, 30.0]]
    return {"type": "Polygon", "coordinates": [ring]}


def _child(code: str, born: dt.date, **extra: Any) -> dict[str, Any]:
    return {
        "application_id": code,
        "child_id": id_number(REGION, f"{born:%Y%m%d}"),
        "child_name": f"孩子{code}",
        "gender": "M",
        "birth_date": born,
        "stage": "primary",
        "guardian_ids": (f"G-{code}",),
        "claimed_address_id": "A1",
        "preferences": ("P1", "P2"),
        **extra,
    }


def contest_package(region_code: str = REGION) -> Any:
    d = dt.date
    schools = make_table(
        "schools",
        [
            {"school_id": "J1", "name": "第一中学", "stage": "junior", "kind": "public",
             "lon": 120.05, "lat": 30.05, "plan_seats": 10},
            {"school_id": "P1", "name": "实验小学", "stage": "primary", "kind": "public",
             "lon": 120.01, "lat": 30.01, "plan_seats": 1},
            {"school_id": "P2", "name": "城南小学", "stage": "primary", "kind": "public",
             "lon": 120.02, "lat": 30.02, "plan_seats": 10},
            {"school_id": "P3", "name": "城北小学", "stage": "primary", "kind": "public",
             "lon": 120.31, "lat": 30.01, "plan_seats": 10},
        ],
    )  # fmt: skip
    addresses = make_table(
        "addresses",
        [
            {"address_id": "A1", "text": "幸福路1号", "lon": 120.011, "lat": 30.011},
            {"address_id": "A3", "text": "北街3号", "lon": 120.311, "lat": 30.011},
        ],
    )
    born = d(2019, 5, 12)
    applications = make_table(
        "applications",
        [
            _child("K1", born),
            _child("K2", born),
            _child("K3", born),
            _child("K4", d(2020, 10, 1), preferences=("P2",)),
            _child("K5", born, claimed_certificate_no="NOPE-1", preferences=("P2",)),
        ],
    )
    zones = (
        Zone("Z1", "primary", ("P1", "P2"), _square(120.0), {"zone_id": "Z1"}),
        Zone("Z3", "primary", ("P3",), _square(120.3), {"zone_id": "Z3"}),
        Zone("ZJ", "junior", ("J1",), _square(120.0), {"zone_id": "ZJ"}),
    )
    tables = {"schools": schools, "addresses": addresses, "applications": applications}
    return make_package(tables, zones, policy_text(region_code))


@dataclass
class World:
    season: Season
    p1: School
    p2: School
    p3: School
    apps: dict[str, Application]
    officer: User  # school staff of P1 (listed by K1..K3)
    officer2: User  # school staff of P2 (listed by all)
    stranger: User  # school staff of P3 (listed by nobody)
    reviewer: User  # bureau reviewer of the county
    reviewer2: User  # another bureau reviewer of the county
    admin: User  # bureau admin of the county
    inspector: User
    supervisor: User
    foreign: User  # bureau reviewer of another county
    parent: User
    witness: User
    notary: User

    def app(self, code: str) -> Application:
        return Application.objects.get(season=self.season, code=code)


def build_world() -> World:
    season = import_package(contest_package(), actor="test")
    schools = {s.code: s for s in School.objects.filter(season=season)}
    apps = {a.code: a for a in Application.objects.filter(season=season)}
    parent = make_user(Role.PARENT, "parent")
    parent.applications.add(apps["K1"])
    return World(
        season=season,
        p1=schools["P1"],
        p2=schools["P2"],
        p3=schools["P3"],
        apps=apps,
        officer=make_user(Role.SCHOOL_STAFF, "officer", school=schools["P1"]),
        officer2=make_user(Role.SCHOOL_STAFF, "officer2", school=schools["P2"]),
        stranger=make_user(Role.SCHOOL_STAFF, "stranger", school=schools["P3"]),
        reviewer=make_user(Role.BUREAU_REVIEWER, "reviewer", region_code=REGION),
        reviewer2=make_user(Role.BUREAU_REVIEWER, "reviewer2", region_code=REGION),
        admin=make_user(Role.BUREAU_ADMIN, "admin", region_code=REGION),
        inspector=make_user(Role.INSPECTOR, "inspector", region_code=REGION),
        supervisor=make_user(Role.SUPERVISOR, "supervisor", region_code="33"),
        foreign=make_user(Role.BUREAU_REVIEWER, "foreign", region_code=OTHER_REGION),
        parent=parent,
        witness=make_user(Role.WITNESS, "witness"),
        notary=make_user(Role.NOTARY, "notary"),
    )
