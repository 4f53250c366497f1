"""Staff pages of the lottery ceremony: the administrator freezes, announces, draws, publishes
and (co-signed) redraws; notaries and witnesses type their inputs on the same page.

Each step is a POST to ``staff/<pk>/<step>/`` that parses a form, calls the ceremony service
and redirects back; a refusal re-renders the page with the message beside the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sunshine.accounts.models import Role
from sunshine.admissions.models import SeasonRun
from sunshine.ceremony import services, staff
from sunshine.ceremony.forms import (
    AnnounceForm,
    BeaconForm,
    FreezeForm,
    RedrawForm,
    WitnessInputForm,
)
from sunshine.ceremony.models import Ceremony
from sunshine.errors import DomainError
from sunshine.planning.cosign import cosigner
from sunshine.planning.forms import add_domain_error

State = Ceremony.State
STEPS = (State.FROZEN, State.ANNOUNCED, State.DRAWN, State.PUBLISHED)


def _require_staff(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in staff.STAFF_ROLES:
        raise PermissionDenied


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    seasons = staff.seasons_to_freeze(request.user)
    form = FreezeForm(request.POST or None, seasons=seasons)
    status = 200
    if request.method == "POST":
        if not seasons.exists():
            raise PermissionDenied
        wanted = request.POST.get("season", "")
        if wanted and not seasons.filter(pk=wanted if wanted.isdigit() else 0).exists():
            raise Http404("no such season in your county")
        if form.is_valid():
            season = form.cleaned_data["season"]
            try:
                staff.require_operator(request.user, season)
                ceremony = services.freeze_pool(
                    season, actor=request.user, label=form.cleaned_data["label"]
                )
            except DomainError as error:
                add_domain_error(form, error)
                status = error.http_status
            else:
                messages.success(request, _("报名名单已冻结，名单指纹已生成。"))
                return HttpResponseRedirect(reverse("ceremony:staff_detail", args=[ceremony.pk]))
        else:
            status = 422
    context = {
        "ceremonies": staff.ceremonies_for(request.user),
        "freeze_form": form if seasons.exists() else None,
    }
    return render(request, "ceremony/staff/list.html", context, status=status)


def _ceremony(request: HttpRequest, pk: int) -> Ceremony:
    _require_staff(request)
    return get_object_or_404(staff.ceremonies_for(request.user), pk=pk)


def _open_roles(ceremony: Ceremony) -> list[str]:
    entered = set(ceremony.inputs.values_list("role", flat=True))
    return [r for r in ceremony.witness_roles if r not in entered]


def _context(request: HttpRequest, ceremony: Ceremony, **bound: Any) -> dict[str, Any]:
    role = getattr(request.user, "role", None)
    operator = role == Role.BUREAU_ADMIN
    witness = role in staff.WITNESS_ROLES
    state = ceremony.state
    entries = {e.role: e for e in ceremony.inputs.select_related("entered_by")}
    open_roles = _open_roles(ceremony)
    announced = state == State.ANNOUNCED
    drawn = state in (State.DRAWN, State.PUBLISHED)
    context: dict[str, Any] = {
        "ceremony": ceremony,
        "season": ceremony.season,
        "steps": [(s, Ceremony.State(s).label, STEPS.index(s) < STEPS.index(state)) for s in STEPS],
        "pool_size": len(Ceremony.objects.values_list("pool_ids", flat=True).get(pk=ceremony.pk)),
        # Values stay hidden until the draw, from the administrator too.
        "witness_rows": [(role, entries.get(role)) for role in ceremony.witness_roles],
        "show_values": drawn,
        "missing": services._missing(ceremony) if announced else [],
        "redraws": list(ceremony.redraws.all()),
        "operator": operator,
        "runs": SeasonRun.objects.filter(season=ceremony.season, lottery_seed=ceremony.seed)
        if ceremony.seed
        else [],
    }
    if operator and state == State.FROZEN:
        context["announce_form"] = bound.get("announce_form") or AnnounceForm()
    if witness and announced and open_roles:
        context["input_form"] = bound.get("input_form") or WitnessInputForm(roles=open_roles)
    if operator and announced and ceremony.beacon_source and not ceremony.beacon_value:
        context["beacon_form"] = bound.get("beacon_form") or BeaconForm()
    if operator and state == State.DRAWN:
        context["redraw_form"] = bound.get("redraw_form") or RedrawForm()
    context["step_error"] = bound.get("step_error", "")
    return context


@require_safe
@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = _ceremony(request, pk)
    return render(request, "ceremony/staff/detail.html", _context(request, ceremony))


# --- steps: each returns a success message, or raises a DomainError ------------------------------


Step = Callable[[HttpRequest, Ceremony, "forms.Form | None"], str]


def _announce(request: HttpRequest, ceremony: Ceremony, form: forms.Form | None) -> str:
    assert isinstance(form, AnnounceForm)
    staff.require_operator(request.user, ceremony.season)
    data = form.cleaned_data
    services.announce(
        ceremony,
        actor=request.user,
        witness_roles=form.roles(),
        beacon_source=data["beacon_source"],
        beacon_round=data["beacon_round"],
    )
    return _("已公告随机种子的全部输入。")


def _input(request: HttpRequest, ceremony: Ceremony, form: forms.Form | None) -> str:
    assert form is not None
    staff.require_witness(request.user, ceremony)
    data = form.cleaned_data
    services.add_witness_input(
        ceremony, actor=request.user, role=data["role"], name=data["name"], value=data["value"]
    )
    return _("见证输入已记录；摇号后公开。")


def _beacon(request: HttpRequest, ceremony: Ceremony, form: forms.Form | None) -> str:
    assert form is not None
    staff.require_operator(request.user, ceremony.season)
    services.enter_beacon(ceremony, actor=request.user, value=form.cleaned_data["value"])
    return _("信标值已记录。")


def _draw(request: HttpRequest, ceremony: Ceremony, form: forms.Form | None) -> str:
    staff.require_operator(request.user, ceremony.season)
    services.draw(ceremony, actor=request.user)
    return _("摇号完成：随机种子和每个号码已生成。核对无误后公布。")


def _redraw(request: HttpRequest, ceremony: Ceremony, form: forms.Form | None) -> str:
    assert isinstance(form, RedrawForm)
    staff.require_operator(request.user, ceremony.season)
    data = form.cleaned_data
    approver = cosigner(
        request,
        actor=request.user,  # type: ignore[arg-type]
        username=data["cosigner_username"],
        password=data["cosigner_password"],
        roles={Role.BUREAU_ADMIN},
        region_code=ceremony.season.region_code,
    )
    staff.redraw_cosigned(ceremony, actor=request.user, approver=approver, reason=data["reason"])
    return _("本次摇号已作废并保留记录；请重新收集见证输入后再摇号。")


def _publish(request: HttpRequest, ceremony: Ceremony, form: forms.Form | None) -> str:
    staff.require_operator(request.user, ceremony.season)
    services.publish(ceremony, actor=request.user)
    return _("摇号记录已公布。")


def _run(request: HttpRequest, ceremony: Ceremony, form: forms.Form | None) -> str:
    run = staff.run_with_ceremony(ceremony, actor=request.user)
    return _("已按本次摇号运行录取（运行 #%(pk)d）。") % {"pk": run.pk}


# step -> (form class or None, context key of the bound form, handler)
STEP_HANDLERS: dict[str, tuple[Callable[..., forms.Form] | None, str, Step]] = {
    "announce": (AnnounceForm, "announce_form", _announce),
    "input": (WitnessInputForm, "input_form", _input),
    "beacon": (BeaconForm, "beacon_form", _beacon),
    "draw": (None, "", _draw),
    "redraw": (RedrawForm, "redraw_form", _redraw),
    "publish": (None, "", _publish),
    "run": (None, "", _run),
}


@require_POST
@login_required
def staff_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    ceremony = _ceremony(request, pk)
    if step not in STEP_HANDLERS:
        raise Http404("no such step")
    form_class, key, handler = STEP_HANDLERS[step]
    form: forms.Form | None = None
    if form_class is WitnessInputForm:
        form = WitnessInputForm(request.POST, roles=_open_roles(ceremony))
    elif form_class is not None:
        form = form_class(request.POST)
    status, step_error = 422, ""
    if form is None or form.is_valid():
        try:
            done = handler(request, ceremony, form)
        except DomainError as error:
            status = error.http_status
            if form is not None and error.field in form.fields:
                add_domain_error(form, error)
            else:  # shown at the top: the form may not even be offered to this user
                step_error = str(error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("ceremony:staff_detail", args=[ceremony.pk]))
    ceremony.refresh_from_db()
    bound: dict[str, Any] = {key: form} if form is not None else {}
    context = _context(request, ceremony, step_error=step_error, **bound)
    return render(request, "ceremony/staff/detail.html", context, status=status)
