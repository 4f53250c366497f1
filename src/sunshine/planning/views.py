"""Staff pages of plans and zones: the overview, plan changes and applying what is due.
Views parse, call a service, and render; refusals are shown beside the field at fault."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import is_staff_member
from sunshine.admissions.models import Season
from sunshine.errors import DomainError
from sunshine.planning import queries, services
from sunshine.planning.cosign import cosigner
from sunshine.planning.forms import ApplyForm, PlanChangeForm, ReasonForm, add_domain_error
from sunshine.planning.models import PlanChange


def staff_season(request: HttpRequest, season_id: int | str | None) -> Season | None:
    """The season asked for if it is in the user's scope (404 if not), else the latest one."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    seasons = queries.planning_seasons(request.user)
    if season_id in (None, ""):
        return seasons.first()
    try:
        return seasons.get(pk=int(season_id))
    except (ValueError, Season.DoesNotExist):
        raise Http404("no such season in your scope") from None


def home_url(season: Season, anchor: str = "") -> str:
    return f"{reverse('planning:home')}?season={season.pk}{'#' + anchor if anchor else ''}"


def _context(request: HttpRequest, season: Season | None, **forms: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"season": season, "seasons": queries.planning_seasons(request.user)}
    if season is None:
        return context
    may_change = queries.may_change(request.user, season)
    context.update(
        schools=queries.schools_with_plans(season),
        zones=queries.zones_of(season),
        plan_changes=queries.plan_changes(season),
        zone_changes=queries.zone_changes(season),
        may_change=may_change,
        is_admin=may_change and request.user.role == Role.BUREAU_ADMIN,  # type: ignore[union-attr]
        notice_days=services.notice_period().days,
    )
    if may_change:
        schools = context["schools"]
        context["plan_form"] = forms.get("plan_form") or PlanChangeForm(schools=schools)
        context["apply_form"] = forms.get("apply_form") or ApplyForm()
    return context


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    season = staff_season(request, request.GET.get("season"))
    return render(request, "planning/home.html", _context(request, season))


@require_POST
@login_required
def plan_change_create(request: HttpRequest, season_id: int) -> HttpResponse:
    season = staff_season(request, season_id)
    assert season is not None
    form = PlanChangeForm(request.POST, schools=queries.schools_with_plans(season))
    if form.is_valid():
        data = form.cleaned_data
        try:
            approver = cosigner(
                request,
                actor=request.user,  # type: ignore[arg-type]
                username=data["cosigner_username"],
                password=data["cosigner_password"],
                roles={Role.BUREAU_ADMIN},
                region_code=season.region_code,
            )
            change = services.request_plan_change(
                data["school"],
                actor=request.user,
                approver=approver,
                plan_seats=data["plan_seats"],
                effective_from=data["effective_from"],
                reason=data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            messages.success(
                request,
                _("已登记计划调整 #%(pk)d，将于 %(when)s 生效。")
                % {"pk": change.pk, "when": timezone.localtime(change.effective_from)},
            )
            return HttpResponseRedirect(home_url(season, "plans"))
    else:
        status = 422
    context = _context(request, season, plan_form=form)
    return render(request, "planning/home.html", context, status=status)


@require_POST
@login_required
def plan_change_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_object_or_404(PlanChange.objects.select_related("season"), pk=pk)
    season = staff_season(request, change.season_id)
    assert season is not None
    form = ReasonForm(request.POST)
    status = 422
    if not form.is_valid():
        messages.error(request, _("撤回需要填写理由。"))
    else:
        try:
            services.withdraw_plan_change(
                change, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, str(error))
            status = error.http_status
        else:
            messages.success(request, _("计划调整 #%(pk)d 已撤回。") % {"pk": change.pk})
            return HttpResponseRedirect(home_url(season, "plans"))
    return render(request, "planning/home.html", _context(request, season), status=status)


@require_POST
@login_required
def apply_due(request: HttpRequest, season_id: int) -> HttpResponse:
    season = staff_season(request, season_id)
    assert season is not None
    form = ApplyForm(request.POST)
    if form.is_valid():
        as_of = form.cleaned_data["as_of"] or timezone.now()
        try:
            result = services.apply_due_changes(season, as_of, actor=request.user)
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            messages.success(
                request,
                _("已生效：%(plans)d 项计划调整，%(zones)d 项片区调整。")
                % {"plans": len(result.plans), "zones": len(result.zones)},
            )
            for change in result.unpublished:
                messages.warning(
                    request,
                    _("片区调整 #%(pk)d（%(code)s）未经公示，已过生效时间，不会生效。")
                    % {"pk": change.pk, "code": change.code},
                )
            return HttpResponseRedirect(home_url(season))
    else:
        status = 422
    context = _context(request, season, apply_form=form)
    return render(request, "planning/home.html", context, status=status)
