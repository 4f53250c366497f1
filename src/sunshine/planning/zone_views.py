"""Zone-change pages: drafting, publishing (公示) and withdrawing for staff, and the public
list of published changes, reachable without signing in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sunshine.admissions.models import School
from sunshine.errors import DomainError
from sunshine.planning import queries, services
from sunshine.planning.forms import ReasonForm, ZoneChangeForm, add_domain_error
from sunshine.planning.models import ZoneChange
from sunshine.planning.svg import outlines
from sunshine.planning.views import staff_season


def _detail_url(change: ZoneChange) -> str:
    return reverse("planning:zone_change", args=[change.pk])


def _zone_form(season_id: int, data: Any = None, initial: Any = None) -> ZoneChangeForm:
    return ZoneChangeForm(
        data,
        initial=initial,
        zones=queries.zones_of(season_id),
        schools=School.objects.filter(season_id=season_id, kind="public").order_by("stage", "code"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def zone_change_new(request: HttpRequest, season_id: int) -> HttpResponse:
    season = staff_season(request, season_id)
    assert season is not None
    if not queries.may_change(request.user, season):
        raise PermissionDenied
    status = 200
    if request.method != "POST":
        form = _zone_form(season.pk, initial={"zone": request.GET.get("zone")})
    else:
        form = _zone_form(season.pk, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = services.draft_zone_change(
                    season,
                    actor=request.user,
                    zone=data["zone"],
                    code=data["code"],
                    stage=data["stage"],
                    geometry=data["geometry"],
                    schools=list(data["schools"]),
                    effective_from=data["effective_from"],
                    reason=data["reason"],
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.http_status
            else:
                messages.success(request, _("片区调整草稿已保存。公示后才会生效。"))
                return HttpResponseRedirect(_detail_url(change))
        else:
            status = 422
    context = {
        "season": season,
        "form": form,
        "may_change": queries.may_change(request.user, season),
    }
    return render(request, "planning/zone_change_new.html", context, status=status)


def _map(change: ZoneChange) -> dict[str, Any]:
    shapes = outlines([change.old_geometry(), change.geometry])
    return {"view_box": shapes.view_box, "old_path": shapes.paths[0], "new_path": shapes.paths[1]}


@require_safe
@login_required
def zone_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(queries.zone_changes_all(), pk=pk)
    season = staff_season(request, change.season_id)
    assert season is not None
    return render(request, "planning/zone_change.html", _detail_context(request, change))


def _detail_context(request: HttpRequest, change: ZoneChange, **extra: Any) -> dict[str, Any]:
    may_change = queries.may_change(request.user, change.season)
    return {
        "season": change.season,
        "change": change,
        "may_change": may_change,
        "is_admin": may_change and request.user.role == "bureau_admin",  # type: ignore[union-attr]
        "withdraw_form": extra.get("withdraw_form") or ReasonForm(),
        "publish_error": extra.get("publish_error", ""),
        "notice_days": services.notice_period().days,
        **_map(change),
    }


@require_POST
@login_required
def zone_change_publish(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(queries.zone_changes_all(), pk=pk)
    staff_season(request, change.season_id)
    try:
        services.publish_zone_change(change, actor=request.user)
    except DomainError as error:
        context = _detail_context(request, change, publish_error=str(error))
        return render(request, "planning/zone_change.html", context, status=error.http_status)
    messages.success(request, _("片区调整已公示。"))
    return HttpResponseRedirect(_detail_url(change))


@require_POST
@login_required
def zone_change_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(queries.zone_changes_all(), pk=pk)
    staff_season(request, change.season_id)
    form = ReasonForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            services.withdraw_zone_change(
                change, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            messages.success(request, _("片区调整已撤回。"))
            return HttpResponseRedirect(_detail_url(change))
    context = _detail_context(request, change, withdraw_form=form)
    return render(request, "planning/zone_change.html", context, status=status)


# --- public ------------------------------------------------------------------------------------


@require_safe
def public_changes(request: HttpRequest) -> HttpResponse:
    context = {
        "zone_changes": queries.public_zone_changes(),
        "plan_changes": queries.public_plan_changes(),
    }
    return render(request, "planning/public_changes.html", context)


@require_safe
def public_change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = queries.public_zone_changes().filter(pk=pk).first()
    if change is None:
        raise Http404("no such published zone change")
    return render(request, "planning/public_change.html", {"change": change, **_map(change)})
