"""JSON API of casework (/api/cases/): intake, the scoped list and case, every lifecycle step,
the handler's audited read of a reporter, the unified answers, and the public status and
receipt. Handlers parse, call the same services as the pages, and serialise; no output except
``/reporter`` ever carries a reporter's identity."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.security import django_auth

from sunshine.accounts.models import User
from sunshine.admissions.models import Application, School
from sunshine.audit.checkpoints import AuditError, receipt_for_object
from sunshine.errors import Conflict, Invalid, NotFound
from sunshine.oversight import answers, casework, exports, services
from sunshine.oversight.models import AnswerTemplate, Case
from sunshine.oversight.public import public_case
from sunshine.oversight.queries import cases_of_reporter, cases_visible_to, visible_case

router = Router(tags=["oversight"])
PUBLIC_ACTOR = "public:api"


class CaseIn(Schema):
    kind: str
    category: str
    summary: str
    region_code: str
    school_id: int | None = None
    application_code: str = ""
    anonymous: bool = True
    reporter_name: str = ""
    reporter_contact: str = ""
    about_unit_head: bool = False


class StaffCaseIn(CaseIn):
    channel: str = "api"
    received_at: dt.datetime | None = None


class ClockOut(Schema):
    name: str
    due_date: dt.date
    due_at: dt.datetime
    stopped_at: dt.datetime | None
    met: bool | None
    provisional: bool


class StatusOut(Schema):
    code: str
    status: str
    status_label: str
    received_at: dt.datetime
    decided_at: dt.datetime | None
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    clocks: list[ClockOut]


class CaseOut(Schema):
    code: str
    kind: str
    category: str
    channel: str
    region_code: str
    handling_unit: str
    handler_id: int | None
    status: str
    anonymous: bool
    summary: str
    received_at: dt.datetime
    reassign_count: int
    reopen_count: int
    extension_days: int
    disposition: str
    satisfaction: str
    clocks: list[ClockOut]


class Receipt(Schema):
    code: str


def _clock(c: Any) -> ClockOut:
    return ClockOut(
        name=c.name,
        due_date=c.due_date,
        due_at=c.due_at,
        stopped_at=c.stopped_at,
        met=c.met,
        provisional=c.provisional,
    )


def _case(case: Case) -> CaseOut:
    return CaseOut(
        code=case.code,
        kind=case.kind,
        category=case.category,
        channel=case.channel,
        region_code=case.region_code,
        handling_unit=case.handling_unit,
        handler_id=case.handler_id,
        status=case.status,
        anonymous=case.anonymous,
        summary=case.summary,
        received_at=case.received_at,
        reassign_count=case.reassign_count,
        reopen_count=case.reopen_count,
        extension_days=case.extension_days,
        disposition=case.disposition,
        satisfaction=case.satisfaction,
        clocks=[_clock(c) for c in case.clocks.order_by("started_at", "pk")],
    )


def _links(body: CaseIn) -> tuple[School | None, Application | None]:
    school = None
    if body.school_id is not None:
        school = School.objects.select_related("season").filter(pk=body.school_id).first()
        if school is None:
            raise Invalid("no such school", field="school_id")
    application = None
    if body.application_code:
        application = (
            Application.objects.select_related("season")
            .filter(code=body.application_code, season__region_code=body.region_code)
            .first()
        )
        if application is None:
            raise Invalid("no such application in this region", field="application_code")
    return school, application


@router.post("/public", response={201: Receipt})
def submit_public(request: HttpRequest, body: CaseIn) -> Status[Receipt]:
    """Anonymous-capable public intake. Acts as the public, never as a signed-in session."""
    if body.application_code:
        raise Invalid("sign in to refer to an application", field="application_code")
    school, _ = _links(body)
    case = services.receive_case(
        actor=PUBLIC_ACTOR,
        kind=body.kind,
        category=body.category,
        summary=body.summary,
        region_code=body.region_code,
        channel="api",
        school=school,
        anonymous=body.anonymous,
        reporter_name=body.reporter_name,
        reporter_contact=body.reporter_contact,
        about_unit_head=body.about_unit_head,
    )
    return Status(201, Receipt(code=case.code))


@router.post("/", response={201: Receipt}, auth=django_auth)
def submit(request: HttpRequest, body: StaffCaseIn) -> Status[Receipt]:
    """Signed-in intake: a family's objection or complaint, or staff entering a call."""
    school, application = _links(body)
    case = services.receive_case(
        actor=request.user,
        kind=body.kind,
        category=body.category,
        summary=body.summary,
        region_code=body.region_code,
        channel=body.channel,
        school=school,
        application=application,
        anonymous=body.anonymous,
        reporter_name=body.reporter_name,
        reporter_contact=body.reporter_contact,
        received_at=body.received_at,
        about_unit_head=body.about_unit_head,
    )
    return Status(201, Receipt(code=case.code))


@router.get("/status/{code}", response=StatusOut)
def status(request: HttpRequest, code: str) -> StatusOut:
    """Public: status and dates only."""
    view = public_case(code)
    return StatusOut(
        code=view.code,
        status=view.status,
        status_label=view.status_label,
        received_at=view.received_at,
        decided_at=view.decided_at,
        replied_at=view.replied_at,
        closed_at=view.closed_at,
        clocks=[_clock(c) for c in view.clocks],
    )


@router.get("/status/{code}/receipt")
def receipt(request: HttpRequest, code: str) -> dict[str, Any]:
    """Public: the case's ``case.received`` event with its inclusion proof."""
    view = public_case(code)
    try:
        return receipt_for_object("case", view.code)
    except AuditError as e:
        raise Conflict(str(e)) from None


@router.get("/", response=list[CaseOut], auth=django_auth)
def case_list(request: HttpRequest, status: str = "") -> list[CaseOut]:
    cases = cases_visible_to(request.user).order_by("-received_at", "-pk")
    if status:
        cases = cases.filter(status=status)
    return [_case(c) for c in cases[:500]]


@router.get("/export.xlsx", auth=django_auth)
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        exports.export_cases(actor=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="cases.xlsx"'
    return response


class TemplateIn(Schema):
    region_prefix: str
    category: str
    title: str
    body: str


class TemplateOut(Schema):
    id: int
    region_prefix: str
    category: str
    title: str
    body: str
    status: str
    usage_count: int


def _template(t: AnswerTemplate) -> TemplateOut:
    return TemplateOut(
        id=t.pk,
        region_prefix=t.region_prefix,
        category=t.category,
        title=t.title,
        body=t.body,
        status=t.status,
        usage_count=t.usage_count,
    )


def _visible_template(user: Any, pk: int) -> AnswerTemplate:
    found = answers.templates_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotFound(f"no answer template {pk} in your scope")
    return found


@router.get("/templates", response=list[TemplateOut], auth=django_auth)
def template_list(request: HttpRequest) -> list[TemplateOut]:
    return [_template(t) for t in answers.templates_visible_to(request.user)]


@router.post("/templates", response={201: TemplateOut}, auth=django_auth)
def template_draft(request: HttpRequest, body: TemplateIn) -> Status[TemplateOut]:
    t = answers.draft_template(actor=request.user, **body.dict())
    return Status(201, _template(t))


@router.post("/templates/{pk}/approve", response=TemplateOut, auth=django_auth)
def template_approve(request: HttpRequest, pk: int) -> TemplateOut:
    t = answers.approve_template(_visible_template(request.user, pk), actor=request.user)
    return _template(t)


@router.post("/templates/{pk}/retire", response=TemplateOut, auth=django_auth)
def template_retire(request: HttpRequest, pk: int) -> TemplateOut:
    t = answers.retire_template(_visible_template(request.user, pk), actor=request.user)
    return _template(t)


@router.get("/{code}", response=CaseOut, auth=django_auth)
def case_detail(request: HttpRequest, code: str) -> CaseOut:
    return _case(visible_case(request.user, code))


class ReporterOut(Schema):
    name: str
    contact: str
    account: str


@router.get("/{code}/reporter", response=ReporterOut, auth=django_auth)
def reporter(request: HttpRequest, code: str) -> ReporterOut:
    """The designated handler only; every read is written to the audit log."""
    identity = casework.reporter_identity(visible_case(request.user, code), actor=request.user)
    return ReporterOut(name=identity.name, contact=identity.contact, account=identity.account)


class DecisionIn(Schema):
    accept: bool
    reason: str = ""


class ExtensionIn(Schema):
    days: int
    reason: str


class ReplyIn(Schema):
    template_id: int
    note: str = ""


class CloseIn(Schema):
    satisfaction: str | None = None


class NoteIn(Schema):
    note: str


class ReassignIn(Schema):
    handler_id: int
    reason: str


class ReasonIn(Schema):
    reason: str


class TransferIn(Schema):
    disposition: str
    note: str = ""
    receiver_id: int | None = None


def _user(pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk).first()
    if found is None:
        raise Invalid("no such user", field=field)
    return found


@router.post("/{code}/decision", response=CaseOut, auth=django_auth)
def decide(request: HttpRequest, code: str, body: DecisionIn) -> CaseOut:
    case = visible_case(request.user, code)
    return _case(
        services.decide_case(case, actor=request.user, accept=body.accept, reason=body.reason)
    )


@router.post("/{code}/extension", response=CaseOut, auth=django_auth)
def extend(request: HttpRequest, code: str, body: ExtensionIn) -> CaseOut:
    case = visible_case(request.user, code)
    return _case(services.extend_case(case, actor=request.user, days=body.days, reason=body.reason))


@router.post("/{code}/reply", response=CaseOut, auth=django_auth)
def reply(request: HttpRequest, code: str, body: ReplyIn) -> CaseOut:
    case = visible_case(request.user, code)
    template = _visible_template(request.user, body.template_id)
    return _case(casework.reply_case(case, actor=request.user, template=template, note=body.note))


@router.post("/{code}/close", response=CaseOut, auth=django_auth)
def close(request: HttpRequest, code: str, body: CloseIn) -> CaseOut:
    case = Case.objects.filter(code=code).first()
    if case is None or not (
        cases_visible_to(request.user).filter(pk=case.pk).exists()
        or cases_of_reporter(request.user).filter(pk=case.pk).exists()
    ):
        raise NotFound(f"no case {code} in your scope")
    return _case(casework.close_case(case, actor=request.user, satisfaction=body.satisfaction))


@router.post("/{code}/feedback", response=CaseOut, auth=django_auth)
def feedback(request: HttpRequest, code: str, body: NoteIn) -> CaseOut:
    case = visible_case(request.user, code)
    return _case(casework.give_feedback(case, actor=request.user, note=body.note))


@router.post("/{code}/reassign", response=CaseOut, auth=django_auth)
def reassign(request: HttpRequest, code: str, body: ReassignIn) -> CaseOut:
    case = visible_case(request.user, code)
    handler = _user(body.handler_id, "handler_id") or User()  # a blank user is refused
    return _case(
        casework.reassign_case(case, actor=request.user, handler=handler, reason=body.reason)
    )


@router.post("/{code}/reopen", response=CaseOut, auth=django_auth)
def reopen(request: HttpRequest, code: str, body: ReasonIn) -> CaseOut:
    case = visible_case(request.user, code)
    return _case(casework.reopen_case(case, actor=request.user, reason=body.reason))


@router.post("/{code}/transfer", response=CaseOut, auth=django_auth)
def transfer(request: HttpRequest, code: str, body: TransferIn) -> CaseOut:
    case = visible_case(request.user, code)
    receiver = _user(body.receiver_id, "receiver_id")
    return _case(
        casework.transfer_case(
            case,
            actor=request.user,
            disposition=body.disposition,
            note=body.note,
            receiver=receiver,
        )
    )
