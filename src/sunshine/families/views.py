"""The family's own pages: its children's applications, one application's status, results
and lottery number, the answer to an offer, objections, complaints and the receipt."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sunshine.admissions.models import School
from sunshine.errors import DomainError
from sunshine.families.assessment import assess_claim
from sunshine.families.forms import ComplaintForm, ObjectionForm
from sunshine.families.offers import (
    COMPLAINT_CATEGORIES,
    lodge_complaint,
    lodge_objection,
    respond_to_offer,
)
from sunshine.families.outcome import lottery_of, outcome_of
from sunshine.families.queries import (
    application_of,
    applications_of,
    open_seasons,
    receipt_of,
    receipt_ready,
    registrations_of,
)
from sunshine.families.registration import EDITABLE, claim_of_application
from sunshine.families.submission import edit_application
from sunshine.families.timeline import timeline
from sunshine.families.web import lang, place_error


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    applications = list(applications_of(request.user))
    drafts = [
        r
        for r in registrations_of(request.user)
        if r.application_id is None or (r.submitted_at and r.updated_at > r.submitted_at)
    ]
    context = {
        "applications": applications,
        "drafts": drafts,
        "open_seasons": list(open_seasons(timezone.now())),
    }
    return render(request, "families/home.html", context)


@login_required
@require_safe
def application(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_of(request.user, pk)
    language = lang()
    assessment = assess_claim(app.season, claim_of_application(app))
    responses = {r.check_name: r for r in app.finding_responses.all()}
    now = timezone.now()
    context = {
        "application": app,
        "season": app.season,
        "findings": [(f, responses.get(f.check)) for f in assessment.findings],
        "assessment": assessment,
        "outcome": outcome_of(app, language),
        "lottery": lottery_of(app),
        "steps": timeline(app),
        "preferences": app.preferences.select_related("school").order_by("rank"),
        "editable": app.season.registration_is_open(now) and app.status in EDITABLE,
        "receipt_ready": receipt_ready(app),
        "lang": language,
    }
    return render(request, "families/application.html", context)


@login_required
@require_POST
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = edit_application(actor=request.user, application_pk=pk)
    return redirect("families:child", pk=registration.pk)


@login_required
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    decision = request.POST.get("decision")
    if decision not in ("accept", "decline"):
        messages.error(request, _("请选择接受或放弃"))
        return redirect("families:application", pk=pk)
    try:
        respond_to_offer(actor=request.user, application_pk=pk, accept=decision == "accept")
    except DomainError as error:
        if error.http_status in (403, 404):  # not this family's: the error page, not a message
            raise
        messages.error(request, str(error))
    else:
        done = _("已确认接受录取") if decision == "accept" else _("已放弃录取学位")
        messages.success(request, done)
    return redirect("families:application", pk=pk)


@login_required
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_of(request.user, pk)
    form = ObjectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            case = lodge_objection(
                actor=request.user, application_pk=pk, summary=form.cleaned_data["summary"]
            )
        except DomainError as error:
            place_error(form, error)
        else:
            messages.success(
                request, _("异议已提交，受理编号：%(code)s。请留意办理进度。") % {"code": case.code}
            )
            return redirect("families:application", pk=pk)
    return render(request, "families/objection.html", {"application": app, "form": form})


@login_required
def complaint(request: HttpRequest) -> HttpResponse:
    mine = list(applications_of(request.user))
    season_ids = {a.season_id for a in mine}
    schools = School.objects.filter(season__in=season_ids).order_by("stage", "code")
    form = ComplaintForm(
        request.POST if request.method == "POST" else None,
        categories=COMPLAINT_CATEGORIES,
        schools=list(schools),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = lodge_complaint(
                actor=request.user,
                category=data["category"],
                summary=data["summary"],
                school_pk=data["school"],
                anonymous=data["anonymous"],
            )
        except DomainError as error:
            place_error(form, error)
        else:
            messages.success(
                request, _("投诉已提交，受理编号：%(code)s。请妥善保存。") % {"code": case.code}
            )
            return redirect("families:home")
    return render(request, "families/complaint.html", {"form": form})


@login_required
@require_safe
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_of(request.user, pk)
    body = json.dumps(receipt_of(request.user, pk), ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="receipt-{app.code}.json"'
    return response
