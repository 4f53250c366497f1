"""Read-only queries behind the public pages: set-based, a fixed number of queries per page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from sunshine.admissions.models import STAGE_CHOICES, Application, Preference, School, Season, Zone

# Grade 1 before grade 7, as families read it (the codes themselves sort the other way).
STAGE_ORDER = {stage: i for i, (stage, _label) in enumerate(STAGE_CHOICES)}


def current_season(season_id: int | str | None = None) -> Season | None:
    """The season asked for by id, else the latest one (by school year, then import time)."""
    seasons = Season.objects.order_by("-school_year", "-imported_at", "-pk")
    if season_id is not None and season_id != "":
        try:
            pk = int(season_id)
        except ValueError:
            return None
        return seasons.filter(pk=pk).first()
    return seasons.first()


@dataclass(frozen=True, slots=True)
class SchoolRow:
    school: School
    applications: int  # applications listing it as a preference or as their private school
    first_choice: int  # applications listing it first (for a private school: choosing it)
    zone_codes: tuple[str, ...]


def zone_codes_by_school(season: Season) -> dict[int, list[str]]:
    through = Zone.schools.through.objects.filter(zone__season=season)
    result: dict[int, list[str]] = defaultdict(list)
    for school_id, code in through.order_by("zone__code").values_list("school_id", "zone__code"):
        result[school_id].append(code)
    return result


def demand_by_school(season: Season) -> tuple[dict[int, int], dict[int, int]]:
    """(applications listing each school, applications listing it first), by school pk."""
    listed: dict[int, int] = defaultdict(int)
    first: dict[int, int] = defaultdict(int)
    prefs = (
        Preference.objects.filter(application__season=season)
        .values("school_id")
        .annotate(n=Count("id"), first=Count("id", filter=Q(rank=1)))
    )
    for row in prefs:
        listed[row["school_id"]] += row["n"]
        first[row["school_id"]] += row["first"]
    # 公民同招: a private school is chosen outside the ranked public preferences.
    private = (
        Application.objects.filter(season=season, private_school__isnull=False)
        .values("private_school_id")
        .annotate(n=Count("id"))
    )
    for school_id, n in private.values_list("private_school_id", "n"):
        listed[school_id] += n
        first[school_id] += n
    return listed, first


def school_rows(season: Season, stage: str = "") -> list[SchoolRow]:
    schools = School.objects.filter(season=season).order_by("stage", "code")
    if stage:
        schools = schools.filter(stage=stage)
    zones = zone_codes_by_school(season)
    listed, first = demand_by_school(season)
    rows = [
        SchoolRow(s, listed.get(s.pk, 0), first.get(s.pk, 0), tuple(zones.get(s.pk, ())))
        for s in schools
    ]
    rows.sort(key=lambda r: (STAGE_ORDER.get(r.school.stage, 9), r.school.code))
    return rows


def zones_with_schools(season: Season) -> list[Zone]:
    zones = list(Zone.objects.filter(season=season).prefetch_related("schools").defer("geometry"))
    zones.sort(key=lambda z: (STAGE_ORDER.get(z.stage, 9), z.code))
    return zones
