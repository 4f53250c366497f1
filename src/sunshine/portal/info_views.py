"""Public pages of the season's rules and offer: the policy with the documents it rests on, the
schools with their plans, and the hotlines."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sunshine.admissions.models import KIND_CHOICES, STAGE_CHOICES
from sunshine.portal.documents import documents_for
from sunshine.portal.forms import SchoolFilterForm
from sunshine.portal.models import Hotline
from sunshine.portal.policy_summary import summarize_text
from sunshine.portal.queries import school_rows
from sunshine.portal.views import chosen_season_id, season_or_404


def _empty(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/empty.html")


@require_safe
def policy(request: HttpRequest) -> HttpResponse:
    season = season_or_404(request)
    if season is None:
        return _empty(request)
    context = {
        "season": season,
        "season_id": chosen_season_id(request, season),
        "policy": summarize_text(season.policy_toml),
        "policy_sha256": hashlib.sha256(season.policy_toml.encode("utf-8")).hexdigest(),
        "documents": [(d, *d.localized()) for d in documents_for(season.region_code)],
    }
    return render(request, "portal/policy.html", context)


@require_safe
def policy_toml(request: HttpRequest) -> HttpResponse:
    """The policy file exactly as the engine ran it: its SHA-256 is the one the page shows."""
    season = season_or_404(request)
    if season is None:
        raise Http404("no season has been imported")
    response = HttpResponse(
        season.policy_toml.encode("utf-8"), content_type="application/toml; charset=utf-8"
    )
    filename = f"policy-{season.region_code}-{season.school_year}.toml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def schools(request: HttpRequest) -> HttpResponse:
    season = season_or_404(request)
    if season is None:
        return _empty(request)
    form = SchoolFilterForm(request.GET)
    stage, kind = form.stage_value(), form.kind_value()
    rows = [r for r in school_rows(season, stage) if not kind or r.school.kind == kind]
    context = {
        "season": season,
        "season_id": chosen_season_id(request, season),
        "form": form,
        "rows": rows,
        "plan_total": sum(r.school.plan_seats for r in rows),
        "stage_choices": STAGE_CHOICES,
        "kind_choices": KIND_CHOICES,
    }
    return render(request, "portal/schools.html", context)


@require_safe
def hotlines(request: HttpRequest) -> HttpResponse:
    season = season_or_404(request)
    if season is None:
        return _empty(request)
    context = {"season": season, "hotlines": list(Hotline.objects.filter(season=season))}
    return render(request, "portal/hotlines.html", context)
