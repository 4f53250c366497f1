"""The public page "which schools serve my address" (查询地址对应学校)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sunshine.admissions.models import STAGE_CHOICES, Address
from sunshine.errors import DomainError
from sunshine.portal.forms import AddressSearchForm, PointForm
from sunshine.portal.lookup import (
    MAX_MATCHES,
    Lookup,
    address_by_code,
    find_addresses,
    lookup_point,
)
from sunshine.portal.policy_summary import STAGE_LABELS
from sunshine.portal.views import MAP_LABELS, chosen_season_id, season_or_404


@require_safe
def address_lookup(request: HttpRequest) -> HttpResponse:
    season = season_or_404(request)
    if season is None:
        return render(request, "portal/empty.html")
    query = request.GET
    search = AddressSearchForm(query if "q" in query else None)
    point = PointForm(query if ("lon" in query or "lat" in query) else None)
    result: Lookup | None = None
    matches: list[Address] = []
    total, status = 0, 200
    problem = ""
    if query.get("address"):
        try:
            address = address_by_code(season, query["address"])
        except DomainError as error:
            problem, status = str(error), error.http_status
        else:
            result = lookup_point(season, address.lon, address.lat, address)
    elif search.is_bound and search.is_valid():
        try:
            matches, total = find_addresses(season, search.cleaned_data["q"])
        except DomainError as error:
            search.add_error(error.field or "q", str(error))
        else:
            if total == 0:
                search.add_error("q", _("没有找到包含这些字的地址。请换一种写法，或在地图上点选。"))
            elif total == 1:
                only = matches[0]
                result = lookup_point(season, only.lon, only.lat, only)
    elif point.is_bound and point.is_valid():
        result = lookup_point(season, point.cleaned_data["lon"], point.cleaned_data["lat"])
    context = {
        "season": season,
        "season_id": chosen_season_id(request, season),
        "search": search,
        "point": point,
        "matches": matches if result is None else [],
        "total": total,
        "max_matches": MAX_MATCHES,
        "result": result,
        "stages": [(a, STAGE_LABELS[a.stage]) for a in result.stages] if result else [],
        "problem": problem,
        "map_labels": MAP_LABELS,
        "stage_choices": STAGE_CHOICES,
        "pick_url": reverse("portal:address_lookup") + f"?season={season.pk}",
        "marker_lon": result.lon if result else None,
        "marker_lat": result.lat if result else None,
    }
    return render(request, "portal/lookup.html", context, status=status)
