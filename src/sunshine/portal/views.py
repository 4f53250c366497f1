"""The public portal (信息公开): the season's policy, schools with plans, and the zone map."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from sunshine.admissions.models import STAGE_CHOICES, Application, Season
from sunshine.portal.directory import directory
from sunshine.portal.forms import AddressSearchForm, StageFilterForm
from sunshine.portal.geojson import FeatureCollection, schools_collection, zones_collection
from sunshine.portal.models import Hotline
from sunshine.portal.policy_summary import summarize_text
from sunshine.portal.queries import SchoolRow, current_season, school_rows, zones_with_schools

# The map script's words, handed over with json_script so the script itself holds no text.
MAP_LABELS = {
    "zone": _("片区"),
    "schools": _("对应学校"),
    "multi": _("多校划片"),
    "single": _("单校划片"),
    "none": _("无对应学校"),
    "public": _("公办学校"),
    "private": _("民办学校"),
    "plan": _("招生计划"),
    "loading": _("地图加载中…"),
    "failed": _("地图加载失败，请使用下方的片区列表。"),
    "map": _("招生片区地图"),
    "pick": _("点击地图上的任一位置，查询该点对应的学校。"),
    "here": _("查询的位置"),
}


def season_or_404(request: HttpRequest) -> Season | None:
    """The season named by ``?season=``, else the latest; None only when there is none."""
    wanted = request.GET.get("season")
    season = current_season(wanted)
    if season is None and wanted:
        raise Http404("no such season")
    return season


def chosen_season_id(request: HttpRequest, season: Season) -> int | None:
    """The season's id when the visitor chose one, to keep it on the links they follow."""
    return season.pk if request.GET.get("season") else None


def _stage_totals(season: Season, rows: list[SchoolRow]) -> list[dict[str, object]]:
    applications = dict(
        Application.objects.filter(season=season)
        .order_by()
        .values("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    totals = []
    for stage, label in STAGE_CHOICES:
        schools = [r.school for r in rows if r.school.stage == stage]
        totals.append(
            {
                "stage": stage,
                "label": label,
                "schools": len(schools),
                "plan_seats": sum(s.plan_seats for s in schools),
                "applications": applications.get(stage, 0),
            }
        )
    return totals


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    season = season_or_404(request)
    if season is None:
        return render(request, "portal/empty.html")
    form = StageFilterForm(request.GET)
    stage = form.stage_value()
    all_rows = school_rows(season)
    rows = [r for r in all_rows if not stage or r.school.stage == stage]
    context = {
        "season": season,
        "other_seasons": Season.objects.exclude(pk=season.pk).order_by("-school_year")[:20],
        "policy": summarize_text(season.policy_toml),
        "hotlines": list(Hotline.objects.filter(season=season)),
        "totals": _stage_totals(season, all_rows),
        "form": form,
        "stage": stage,
        "rows": rows,
        "zones": zones_with_schools(season),
        "stage_choices": STAGE_CHOICES,
        "map_labels": MAP_LABELS,
        "season_id": chosen_season_id(request, season),
        "directory": directory(chosen_season_id(request, season)),
        "search_form": AddressSearchForm(),
    }
    return render(request, "portal/home.html", context)


def _geojson(collection: FeatureCollection) -> JsonResponse:
    response = JsonResponse(collection, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json"
    return response


_EMPTY: FeatureCollection = {"type": "FeatureCollection", "features": []}


@require_safe
@cache_control(public=True, max_age=300)
def zones_geojson(request: HttpRequest) -> JsonResponse:
    season = season_or_404(request)
    return _geojson(zones_collection(season) if season else _EMPTY)


@require_safe
@cache_control(public=True, max_age=300)
def schools_geojson(request: HttpRequest) -> JsonResponse:
    season = season_or_404(request)
    return _geojson(schools_collection(season) if season else _EMPTY)
