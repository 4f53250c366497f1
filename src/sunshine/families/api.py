"""JSON API of the families app (mounted under /api/family/ by sunshine.config.api): every
action of the family pages, through the same services and with the same scope (a family sees
and acts on its own registrations and applications only; anything else is 404)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.security import django_auth

from sunshine.families import schemas as s
from sunshine.families.assessment import assess_claim
from sunshine.families.offers import lodge_complaint, lodge_objection, respond_to_offer
from sunshine.families.outcome import lottery_of, outcome_of
from sunshine.families.queries import (
    application_of,
    applications_of,
    family_address_search,
    open_seasons,
    receipt_of,
    registration_of,
    registrations_of,
    require_parent,
)
from sunshine.families.registration import (
    EDITABLE,
    Answer,
    ChildDetails,
    answer_findings,
    assess_registration,
    claim_of_application,
    register_child,
    set_choices,
    unanswered,
    update_child,
)
from sunshine.families.submission import edit_application, submit_registration
from sunshine.families.timeline import timeline
from sunshine.families.web import lang

router = Router(tags=["families"], auth=django_auth)


@router.get("/seasons", response=list[s.SeasonOut])
def seasons(request: HttpRequest) -> list[s.SeasonOut]:
    """Seasons taking online registrations now."""
    require_parent(request.user, "family.view")
    return [s.season_out(x) for x in open_seasons(timezone.now())]


@router.get("/seasons/{season_id}/addresses", response=list[s.AddressOut])
def addresses(request: HttpRequest, season_id: int, q: str = "") -> list[s.AddressOut]:
    """Addresses of the season containing every word of ``q``: a season open for online
    registration, or one of the family's own registrations (as on the page); else 404."""
    found = family_address_search(request.user, season_id, q, timezone.now())
    return [s.AddressOut(id=a.pk, code=a.code, text=a.text) for a in found]


@router.get("/registrations", response=list[s.RegistrationOut])
def registrations(request: HttpRequest) -> list[s.RegistrationOut]:
    return [s.registration_out(r) for r in registrations_of(request.user)]


def _details(body: s.ChildIn) -> ChildDetails:
    return ChildDetails(**body.model_dump())


@router.post("/registrations", response={201: s.RegistrationOut})
def create_registration(request: HttpRequest, body: s.ChildIn) -> Status[s.RegistrationOut]:
    """Register a child (again for the same child: the same registration, updated)."""
    registration = register_child(actor=request.user, details=_details(body))
    return Status(201, s.registration_out(registration))


@router.get("/registrations/{pk}", response=s.RegistrationOut)
def registration(request: HttpRequest, pk: int) -> s.RegistrationOut:
    return s.registration_out(registration_of(request.user, pk))


@router.put("/registrations/{pk}/child", response=s.RegistrationOut)
def change_child(request: HttpRequest, pk: int, body: s.ChildIn) -> s.RegistrationOut:
    r = update_child(
        actor=request.user, registration=registration_of(request.user, pk), details=_details(body)
    )
    return s.registration_out(r)


@router.get("/registrations/{pk}/findings", response=s.FindingsOut)
def findings(request: HttpRequest, pk: int) -> s.FindingsOut:
    """What the registries say, checked by the engine's rules, with the family's answers."""
    r = registration_of(request.user, pk)
    assessment = assess_registration(r)
    return s.findings_out(assessment, r.responses, unanswered(r, assessment))


@router.put("/registrations/{pk}/findings", response=s.FindingsOut)
def answer(request: HttpRequest, pk: int, body: s.AnswersIn) -> s.FindingsOut:
    answers = {k: Answer(v.confirmed, v.explanation) for k, v in body.answers.items()}
    r = answer_findings(
        actor=request.user, registration=registration_of(request.user, pk), answers=answers
    )
    assessment = assess_registration(r)
    return s.findings_out(assessment, r.responses, unanswered(r, assessment))


@router.get("/registrations/{pk}/schools", response=s.SchoolsOut)
def schools(request: HttpRequest, pk: int) -> s.SchoolsOut:
    """The zone of the address, its public schools with the child's level at each, and the
    private schools of the stage (公民同招)."""
    r = registration_of(request.user, pk)
    return s.schools_out(assess_registration(r), r)


@router.put("/registrations/{pk}/choices", response=s.SchoolsOut)
def choices(request: HttpRequest, pk: int, body: s.ChoicesIn) -> s.SchoolsOut:
    r = set_choices(
        actor=request.user,
        registration=registration_of(request.user, pk),
        preferences=body.preferences,
        private_school=body.private_school,
    )
    return s.schools_out(assess_registration(r), r)


@router.post("/registrations/{pk}/submit", response=s.SubmitOut)
def submit(request: HttpRequest, pk: int, body: s.SubmitIn) -> s.SubmitOut:
    """Submit within the window. Retrying with the same token returns the same application;
    the submission time changes nothing about the outcome."""
    done = submit_registration(
        actor=request.user, registration=registration_of(request.user, pk), token=body.token
    )
    a = done.application
    return s.SubmitOut(application=a.pk, code=a.code, created=done.created, changed=done.changed)


@router.get("/applications", response=list[s.ApplicationSummaryOut])
def applications(request: HttpRequest) -> list[s.ApplicationSummaryOut]:
    return [s.summary_out(a) for a in applications_of(request.user)]


@router.get("/applications/{pk}", response=s.ApplicationOut)
def application(request: HttpRequest, pk: int) -> s.ApplicationOut:
    """Status, timeline, verification results, the outcome explained and the lottery number
    with its derivation."""
    a = application_of(request.user, pk)
    language = lang()
    assessment = assess_claim(a.season, claim_of_application(a))
    responses = {
        r.check_name: {"confirmed": r.confirmed, "explanation": r.explanation, "reason": r.reason}
        for r in a.finding_responses.all()
    }
    outcome = outcome_of(a, language)
    lottery = lottery_of(a)
    summary: dict[str, Any] = s.summary_out(a).model_dump()
    return s.ApplicationOut(
        **summary,
        findings=s.findings_out(assessment, responses, []).findings,
        timeline=[s.step_out(x) for x in timeline(a)],
        outcome=s.outcome_out(outcome) if outcome else None,
        lottery=s.lottery_out(lottery) if lottery else None,
        editable=a.season.registration_is_open(timezone.now()) and a.status in EDITABLE,
    )


@router.post("/applications/{pk}/edit", response=s.RegistrationOut)
def edit(request: HttpRequest, pk: int) -> s.RegistrationOut:
    """The registration through which a submitted application is changed."""
    return s.registration_out(edit_application(actor=request.user, application_pk=pk))


@router.post("/applications/{pk}/offer", response=s.OfferOut)
def offer(request: HttpRequest, pk: int, body: s.OfferIn) -> s.OfferOut:
    admission = respond_to_offer(actor=request.user, application_pk=pk, accept=body.accept)
    return s.OfferOut(
        school=admission.school.code, kind=admission.kind, accepted=admission.accepted
    )


def _case_out(case: Any) -> s.CaseOut:
    return s.CaseOut(
        code=case.code,
        kind=case.kind,
        category=case.category,
        status=case.status,
        received_at=case.received_at,
    )


@router.post("/applications/{pk}/objection", response={201: s.CaseOut})
def objection(request: HttpRequest, pk: int, body: s.ObjectionIn) -> Status[s.CaseOut]:
    case = lodge_objection(actor=request.user, application_pk=pk, summary=body.summary)
    return Status(201, _case_out(case))


@router.post("/complaints", response={201: s.CaseOut})
def complaint(request: HttpRequest, body: s.ComplaintIn) -> Status[s.CaseOut]:
    case = lodge_complaint(
        actor=request.user,
        category=body.category,
        summary=body.summary,
        school_pk=body.school,
        application_pk=body.application,
        anonymous=body.anonymous,
    )
    return Status(201, _case_out(case))


@router.get("/applications/{pk}/receipt", response=dict[str, Any])
def receipt(request: HttpRequest, pk: int) -> dict[str, Any]:
    """The application's receipt: its registration event with an inclusion proof against the
    latest signed checkpoint (verify it on the public audit page)."""
    return receipt_of(request.user, pk)
