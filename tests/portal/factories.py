"""Rows for web tests, made with the ORM on the real test database (no mocks).

``build_county()`` makes a small county: two public primary schools sharing a multi-school
zone, a private primary school, a junior school, and a handful of applications."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import (
    Address,
    Admission,
    Application,
    Preference,
    School,
    Season,
    Zone,
)
from sunshine.core.ids import id_check_char

POLICY_TOML = """\
region_code = "{region_code}"
region_name = "{region_name}"
school_year = {school_year}
age_cutoff = {school_year}-08-31
mechanism = "priority_first"
preferences_allowed = 3
overflow = "nearest_with_seats"

[stages.primary]
min_age = 6
seat_lock_years = 6
class_size = 45

[[stages.primary.tiers]]
name = "房户一致"
name_en = "Hukou and home at one address"
hukou_home_same_address = true
hukou_since_before = {cutoff_year}-08-31

[[stages.primary.tiers]]
name = "片区内居住"
name_en = "Living in the zone"
any_address_in_zone = true

[stages.junior]
seat_lock_years = 3
class_size = 50
use_feeders = true

[[stages.junior.tiers]]
name = "户籍在片区"
name_en = "Hukou in the zone"
hukou_in_zone = true

[[stages.junior.tiers]]
name = "社保满一年"
name_en = "A year of social insurance"
social_security_months_at_least = 12
"""

_seq = itertools.count(1)


def id_number(region_code: str = "330110", birth: str = "20190512") -> str:
    first17 = f"{region_code}{birth}{next(_seq) % 1000:03d}"
    return first17 + id_check_char(first17)


def square(lon: float, lat: float, size: float = 0.02) -> dict[str, Any]:
    ring = [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def make_season(
    region_code: str = "330110", region_name: str = "示范县", school_year: int = 2026
) -> Season:
    text = POLICY_TOML.format(
        region_code=region_code,
        region_name=region_name,
        school_year=school_year,
        cutoff_year=school_year - 1,
    )
    return Season.objects.create(
        region_code=region_code,
        region_name=region_name,
        school_year=school_year,
        policy_toml=text,
        policy_sha256="0" * 64,
        imported_at=timezone.now(),
    )


def make_school(
    season: Season,
    code: str,
    name: str,
    *,
    stage: str = "primary",
    kind: str = "public",
    plan_seats: int = 90,
    lon: float = 120.01,
    lat: float = 30.01,
) -> School:
    return School.objects.create(
        season=season,
        code=code,
        name=name,
        stage=stage,
        kind=kind,
        lon=lon,
        lat=lat,
        plan_seats=plan_seats,
    )


def make_zone(season: Season, code: str, stage: str, schools: list[School], lon: float) -> Zone:
    zone = Zone.objects.create(
        season=season, code=code, stage=stage, geometry=square(lon, 30.0, 0.05)
    )
    zone.schools.set(schools)
    return zone


def make_application(
    season: Season,
    code: str,
    *,
    name: str = "张小三",
    stage: str = "primary",
    preferences: tuple[School, ...] = (),
    private_school: School | None = None,
    status: str = Application.Status.SUBMITTED,
    priority_group: str = "",
    special_needs: str = "",
    address: Address | None = None,
) -> Application:
    if address is None:
        address = Address.objects.create(
            season=season, code=f"ADDR-{code}", text="幸福路1号", lon=120.0, lat=30.0
        )
    application = Application.objects.create(
        season=season,
        code=code,
        child_id_number=id_number(season.region_code),
        child_name=name,
        gender="M",
        birth_date=dt.date(2019, 5, 12),
        stage=stage,
        claimed_address=address,
        private_school=private_school,
        status=status,
        priority_group=priority_group,
        special_needs=special_needs,
    )
    Preference.objects.bulk_create(
        Preference(application=application, rank=i, school=s)
        for i, s in enumerate(preferences, start=1)
    )
    return application


def admit(application: Application, school: School) -> Admission:
    application.status = Application.Status.ADMITTED
    application.save(update_fields=["status"])
    return Admission.objects.create(
        season=application.season,
        application=application,
        child_id_number=application.child_id_number,
        school=school,
        kind=Admission.Kind.ADMITTED,
    )


def make_user(role: Role, username: str | None = None, **scope: Any) -> User:
    user = User.objects.create_user(
        username=username or f"{role.value}-{next(_seq)}", password="pw-for-tests-only", role=role
    )
    for key, value in scope.items():
        setattr(user, key, value)
    user.save()
    return user


@dataclass
class County:
    season: Season
    east: School  # public primary, its own zone and a share of the multi-school zone
    west: School  # public primary, only in the multi-school zone
    private: School  # private primary
    junior: School
    applications: dict[str, Application] = field(default_factory=dict)


def build_county(region_code: str = "330110", region_name: str = "示范县") -> County:
    season = make_season(region_code, region_name)
    p = region_code  # school codes must not clash across seasons in readable assertions
    east = make_school(season, f"{p}-P1", "城东小学", plan_seats=90, lon=120.02)
    west = make_school(season, f"{p}-P2", "城西小学", plan_seats=45, lon=120.07)
    private = make_school(season, f"{p}-P9", "育才民办小学", kind="private", plan_seats=40)
    junior = make_school(season, f"{p}-J1", "第一初级中学", stage="junior", plan_seats=200)
    make_zone(season, "Z01", "primary", [east], 120.0)
    make_zone(season, "Z02", "primary", [east, west], 120.05)
    make_zone(season, "ZJ1", "junior", [junior], 120.0)
    county = County(season, east, west, private, junior)
    apps = county.applications
    apps["a1"] = make_application(season, f"{p}-A1", name="张小三", preferences=(east, west))
    apps["a2"] = make_application(season, f"{p}-A2", name="李四", preferences=(west,))
    apps["a3"] = make_application(
        season, f"{p}-A3", name="王五六", preferences=(west, east), special_needs="disabled"
    )
    apps["a4"] = make_application(
        season, f"{p}-A4", name="赵六", private_school=private, priority_group="military"
    )
    apps["j1"] = make_application(
        season, f"{p}-J01", name="孙七", stage="junior", preferences=(junior,)
    )
    admit(apps["a2"], west)
    return county
