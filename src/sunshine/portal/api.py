"""The public JSON API (/api/public/): what the public pages show, as data, with no sign-in.

Handlers parse, call the same reads as the pages (``portal.queries``, ``portal.lookup``,
``portal.records``) and serialise. The published lists and lottery ceremonies are in
``portal.api_records``; the audit log's checkpoints and receipts in ``/api/audit/``.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sunshine.admissions.models import Season
from sunshine.errors import NotFound
from sunshine.portal import lookup
from sunshine.portal.api_records import router as records_router
from sunshine.portal.documents import documents_for
from sunshine.portal.geojson import zones_collection
from sunshine.portal.models import Hotline
from sunshine.portal.policy_summary import summarize_text
from sunshine.portal.queries import current_season, school_rows
from sunshine.portal.schemas import (
    HotlineOut,
    LookupOut,
    PlacementOut,
    PolicyOut,
    SchoolOut,
    SeasonOut,
)

router = Router(tags=["public"])
router.add_router("/", records_router)


class SeasonQuery(Schema):
    season: int | None = None  # a season id; the latest season when left out


def _season(season_id: int | None) -> Season:
    season = current_season(season_id)
    if season is None:
        raise NotFound(_("没有这个招生季。") if season_id is not None else _("尚未导入招生数据"))
    return season


def season_out(season: Season) -> dict[str, Any]:
    return {
        "id": season.pk,
        "region_code": season.region_code,
        "region_name": season.region_name,
        "school_year": season.school_year,
    }


@router.get(
    "/seasons",
    response=list[SeasonOut],
    summary="Seasons, latest first",
    operation_id="public_seasons",
)
def seasons(request: HttpRequest) -> list[dict[str, Any]]:
    ordered = Season.objects.order_by("-school_year", "-imported_at", "-pk")
    return [season_out(s) for s in ordered.defer("policy_toml", "extra_columns")]


@router.get(
    "/policy",
    response=PolicyOut,
    summary="The season's policy and its documents",
    operation_id="public_policy",
)
def policy(request: HttpRequest, q: Query[SeasonQuery]) -> dict[str, Any]:
    season = _season(q.season)
    summary = summarize_text(season.policy_toml)
    stages = []
    for stage in summary.stages if summary else ():
        tiers = [
            {"number": t.number, "name": t.name, "conditions": t.conditions} for t in stage.tiers
        ]
        stages.append(
            {
                "stage": stage.stage,
                "label": stage.label,
                "min_age": stage.min_age,
                "seat_lock_years": stage.seat_lock_years,
                "class_size": stage.class_size,
                "tiers": tiers,
            }
        )
    return {
        "season": season_out(season),
        "sha256": hashlib.sha256(season.policy_toml.encode("utf-8")).hexdigest(),
        "policy_toml": season.policy_toml,
        "readable": summary is not None,
        "age_cutoff": summary.age_cutoff if summary else None,
        "mechanism": summary.mechanism if summary else "",
        "preferences_allowed": summary.preferences_allowed if summary else None,
        "overflow": summary.overflow if summary else "",
        "stages": stages,
        "documents": documents_for(season.region_code),
    }


class SchoolQuery(SeasonQuery):
    stage: str = ""  # "primary" or "junior"; all when left out
    kind: str = ""  # "public" or "private"; all when left out


@router.get(
    "/schools",
    response=list[SchoolOut],
    summary="Schools with their plans and demand",
    operation_id="public_schools",
)
def schools(request: HttpRequest, q: Query[SchoolQuery]) -> list[dict[str, Any]]:
    rows = school_rows(_season(q.season), q.stage)
    return [
        {
            "code": r.school.code,
            "name": r.school.name,
            "stage": r.school.stage,
            "kind": r.school.kind,
            "plan_seats": r.school.plan_seats,
            "lon": r.school.lon,
            "lat": r.school.lat,
            "applications": r.applications,
            "first_choice": r.first_choice,
            "zones": list(r.zone_codes),
        }
        for r in rows
        if not q.kind or r.school.kind == q.kind
    ]


@router.get(
    "/zones",
    response=dict[str, Any],
    summary="The zones as GeoJSON, with their schools",
    operation_id="public_zones",
)
def zones(request: HttpRequest, q: Query[SeasonQuery]) -> dict[str, Any]:
    return zones_collection(_season(q.season))


@router.get(
    "/hotlines",
    response=list[HotlineOut],
    summary="The season's hotlines",
    operation_id="public_hotlines",
)
def hotlines(request: HttpRequest, q: Query[SeasonQuery]) -> list[Hotline]:
    return list(Hotline.objects.filter(season=_season(q.season)))


class LookupQuery(SeasonQuery):
    q: str = ""  # part of an address's text (at least 2 characters)
    address: str = ""  # an address code, from a previous search's matches
    lon: float | None = None  # or a point
    lat: float | None = None


def placement_out(found: lookup.Lookup) -> dict[str, Any]:
    address = found.address
    return {
        "lon": found.lon,
        "lat": found.lat,
        "address": None
        if address is None
        else {"code": address.code, "text": address.text, "lon": address.lon, "lat": address.lat},
        "stages": [
            {
                "stage": a.stage,
                "zone": a.zone,
                "outside": a.outside,
                "shared_border": a.shared_border,
                "near_border": a.near_border,
                "border_metres": a.border_metres,
                "containing": list(a.containing),
                "nearby": a.nearby,
                "schools": a.schools,
                "private_schools": a.private_schools,
            }
            for a in found.stages
        ],
    }


@router.get(
    "/lookup",
    response=LookupOut,
    summary="Which schools serve an address (text, code or point)",
    operation_id="public_address_lookup",
)
def address_lookup(request: HttpRequest, q: Query[LookupQuery]) -> dict[str, Any]:
    season = _season(q.season)
    if q.address:
        address = lookup.address_by_code(season, q.address)
        found = lookup.lookup_point(season, address.lon, address.lat, address)
        return {"total": 1, "matches": [address], "result": placement_out(found)}
    if q.q:
        matches, total = lookup.find_addresses(season, q.q)
        result: PlacementOut | dict[str, Any] | None = None
        if total == 1:
            only = matches[0]
            result = placement_out(lookup.lookup_point(season, only.lon, only.lat, only))
        return {"total": total, "matches": matches, "result": result}
    lon, lat = lookup.parse_point(q.lon, q.lat)
    return {
        "total": 0,
        "matches": [],
        "result": placement_out(lookup.lookup_point(season, lon, lat)),
    }
