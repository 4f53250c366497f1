"""The registration pages: the child, the registry findings, the schools, submitting.
Each page parses its form, calls one service and renders; the services decide everything."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.admissions.models import Address, School, Season, Zone
from sunshine.errors import DomainError
from sunshine.families.assessment import Assessment
from sunshine.families.forms import ChildForm, FindingsForm, apply_move
from sunshine.families.mapsvg import ZoneMap, zone_map
from sunshine.families.models import Registration
from sunshine.families.queries import (
    open_seasons,
    registration_of,
    require_parent,
    search_addresses,
)
from sunshine.families.registration import (
    Answer,
    ChildDetails,
    answer_findings,
    assess_registration,
    register_child,
    set_choices,
    unanswered,
    update_child,
)
from sunshine.families.submission import new_token, submit_registration
from sunshine.families.web import ID_CHECK_LABELS, lang, place_error

STEPS = ("child", "findings", "schools", "submit")


@login_required
def register(request: HttpRequest) -> HttpResponse:
    require_parent(request.user, "family.register_child")
    return _child_page(request, None)


@login_required
def child(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_page(request, registration_of(request.user, pk))


def _child_page(request: HttpRequest, registration: Registration | None) -> HttpResponse:
    if registration is not None:
        seasons: list[Season] = [registration.season]
    else:
        seasons = list(open_seasons(timezone.now()))
        if not seasons:
            return render(request, "families/closed.html", status=409)
    post = request.POST if request.method == "POST" else None
    season = _chosen_season(post, seasons)
    searching = post is not None and "search_address" in post
    query = post.get("address_query", "").strip() if post is not None else ""
    addresses = search_addresses(season, query) if query else []
    chosen = _int(post.get("address") if post is not None else None) or (
        registration.claimed_address_id if registration else None
    )
    if chosen and all(a.pk != chosen for a in addresses):
        addresses += list(Address.objects.filter(season=season, pk=chosen))
    kwargs: dict[str, Any] = {
        "seasons": seasons,
        "addresses": addresses,
        "primary_schools": list(School.objects.filter(season=season, stage="primary")),
    }
    if post is None or searching:
        initial = post.dict() if post is not None else _initial(registration, season)
        form = ChildForm(initial=initial, **kwargs)
    else:
        form = ChildForm(post, **kwargs)
        if form.is_valid():
            saved = _save_child(request, form, registration, season)
            if saved is not None:
                return redirect("families:findings", pk=saved.pk)
    context = {
        "form": form,
        "registration": registration,
        "searching": searching,
        "query": query,
        "found": len(addresses),
        "step": "child",
        "id_check_labels": ID_CHECK_LABELS,
    }
    return render(request, "families/child.html", context)


def _chosen_season(post: Any, seasons: list[Season]) -> Season:
    wanted = _int((post or {}).get("season"))
    return next((s for s in seasons if s.pk == wanted), seasons[0])


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _initial(registration: Registration | None, season: Season) -> dict[str, Any]:
    if registration is None:
        return {"season": season.pk, "stage": "primary"}
    return {
        "season": season.pk,
        "child_name": registration.child_name,
        "child_id_number": registration.child_id_number,
        "stage": registration.stage,
        "own_id_number": registration.own_id_number,
        "other_guardian_id": registration.other_guardian_id,
        "address": registration.claimed_address_id,
        "certificate_no": registration.claimed_certificate_no,
        "current_school": registration.current_school_code,
    }


def _save_child(
    request: HttpRequest, form: ChildForm, registration: Registration | None, season: Season
) -> Registration | None:
    data = form.cleaned_data
    details = ChildDetails(
        season=season.pk,
        child_name=data["child_name"],
        child_id_number=data["child_id_number"],
        stage=data["stage"],
        own_id_number=data["own_id_number"],
        other_guardian_id=data["other_guardian_id"],
        address=data["address"],
        certificate_no=data["certificate_no"],
        current_school=data["current_school"],
    )
    try:
        if registration is None:
            return register_child(actor=request.user, details=details)
        return update_child(actor=request.user, registration=registration, details=details)
    except DomainError as error:
        place_error(form, error)
        return None


@login_required
def findings(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_of(request.user, pk)
    assessment = assess_registration(registration)
    post = request.POST if request.method == "POST" else None
    form = FindingsForm(post, findings=assessment.findings, responses=registration.responses)
    if post is not None and form.is_valid():
        data = form.cleaned_data
        answers = {
            f.check: Answer(
                confirmed=data[f"answer_{f.check}"] == "confirm",
                explanation=data[f"explanation_{f.check}"],
            )
            for f in assessment.findings
        }
        try:
            answer_findings(actor=request.user, registration=registration, answers=answers)
        except DomainError as error:
            place_error(form, error)
        else:
            return redirect("families:schools", pk=registration.pk)
    context = {
        "registration": registration,
        "assessment": assessment,
        "form": form,
        "lang": lang(),
        "step": "findings",
    }
    return render(request, "families/findings.html", context)


@login_required
def schools(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_of(request.user, pk)
    error: DomainError | None = None
    if request.method == "POST":
        order = apply_move(request.POST.getlist("preference"), request.POST.get("move", ""))
        try:
            set_choices(
                actor=request.user,
                registration=registration,
                preferences=order,
                private_school=request.POST.get("private_school", ""),
            )
        except DomainError as e:
            error = e
        else:
            if "next" in request.POST:
                return redirect("families:submit", pk=registration.pk)
            return redirect("families:schools", pk=registration.pk)
    assessment = assess_registration(registration)
    by_code = {c.school.code: c for c in assessment.candidates}
    chosen = [by_code[c] for c in registration.preferences if c in by_code]
    context = {
        "registration": registration,
        "assessment": assessment,
        "chosen": chosen,
        "available": [
            c for c in assessment.candidates if c.school.code not in registration.preferences
        ],
        "full": len(chosen) >= assessment.preferences_allowed,
        "map": _map(registration, assessment),
        "error": error,
        "lang": lang(),
        "step": "schools",
    }
    return render(request, "families/schools.html", context)


def _map(registration: Registration, assessment: Assessment) -> ZoneMap | None:
    zones = Zone.objects.filter(season=registration.season, stage=registration.stage)
    schools = School.objects.filter(season=registration.season, stage=registration.stage)
    address = registration.claimed_address
    return zone_map(
        [(z.code, z.geometry) for z in zones.order_by("code")],
        [(s.code, s.name, s.kind, s.lon, s.lat) for s in schools.order_by("code")],
        selected_zone=assessment.zone.code if assessment.zone else None,
        candidates=[c.school.code for c in assessment.candidates],
        home=(address.text, address.lon, address.lat) if address else None,
    )


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = registration_of(request.user, pk)
    error: DomainError | None = None
    if request.method == "POST":
        try:
            done = submit_registration(
                actor=request.user,
                registration=registration,
                token=request.POST.get("token", ""),
            )
        except DomainError as e:
            error = e
        else:
            if done.created:
                messages.success(
                    request, _("报名已提交。报名编号：%(code)s") % {"code": done.application.code}
                )
            elif done.changed:
                messages.success(request, _("修改已提交"))
            else:
                messages.info(request, _("报名已提交，内容没有变化"))
            return redirect("families:application", pk=done.application.pk)
    assessment = assess_registration(registration)
    by_code = {c.school.code: c for c in assessment.candidates}
    private = next(
        (s for s in assessment.private_schools if s.code == registration.private_school_code), None
    )
    context = {
        "registration": registration,
        "assessment": assessment,
        "unanswered": unanswered(registration, assessment),
        "chosen": [by_code[c] for c in registration.preferences if c in by_code],
        "private": private,
        "token": new_token(),
        "error": error,
        "lang": lang(),
        "step": "submit",
    }
    return render(
        request, "families/submit.html", context, status=error.http_status if error else 200
    )
