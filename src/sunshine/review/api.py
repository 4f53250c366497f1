"""JSON API of the review app (mounted under /api/review/ by sunshine.config.api).

Every action of the review pages, through the same services: the queues, one application's
review, level-1 and level-2 decisions and the reopening of a final one, override requests,
their approval or refusal, and the withdrawal of an approved one.
"""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from sunshine.review import overrides as override_services
from sunshine.review import services
from sunshine.review.assessment import Assessment, CheckResult
from sunshine.review.detail import review_detail
from sunshine.review.models import Override, ReviewRecord
from sunshine.review.queues import overrides_visible_to, review_queue

router = Router(tags=["review"], auth=django_auth)
PAGE_SIZE = 50


class CheckOut(Schema):
    check: str
    result: str
    text: dict[str, str]  # the reason by language: "zh", "en"


class EntryOut(Schema):
    school: str
    private: bool
    listed: bool
    tier: int | None  # 1 = the policy's first tier; None = none
    admissible: bool


class RecordOut(Schema):
    id: int
    level: int
    round: int
    decision: str
    reason: str
    notes: str
    reviewer: str
    decided_at: dt.datetime
    reopened_by: str | None  # a final decision reopened: by whom, when, why
    reopened_at: dt.datetime | None
    reopen_reason: str


class OverrideOut(Schema):
    id: int
    application_id: int
    application: str  # its public code
    kind: str
    school: str | None
    from_tier: int | None
    to_tier: int | None
    check: str
    reason: str
    state: str
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str
    withdrawn_by: str | None  # an approved override withdrawn: by whom, when, why
    withdrawn_at: dt.datetime | None
    withdrawal_reason: str


class QueueItem(Schema):
    application_id: int
    code: str
    child_name: str
    waiting_since: dt.datetime
    age_days: int
    eligible: bool | None
    failures: list[CheckOut]
    first_level: RecordOut | None


class QueueOut(Schema):
    season: int | None
    level: int
    count: int
    oldest_days: int | None
    page: int
    pages: int
    items: list[QueueItem]


class DetailOut(Schema):
    application_id: int
    code: str
    stage: str
    state: str  # pending_first, pending_second, returned, passed, rejected
    next_level: int | None
    eligible: bool
    checks: list[CheckOut]
    entries: list[EntryOut]
    records: list[RecordOut]
    overrides: list[OverrideOut]


class DecisionIn(Schema):
    level: int
    decision: str  # pass | reject | return
    reason: str = ""
    notes: str = ""


class OverrideIn(Schema):
    kind: str  # tier | exception
    reason: str
    school: str = ""  # tier: the school's code
    to_tier: int | None = None  # tier: 1-based, None = no tier
    check: str = ""  # exception: a check label, e.g. "home"


class NoteIn(Schema):
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""  # required: the service says so (422, field "reason")


def _check(c: CheckResult) -> CheckOut:
    return CheckOut(check=c.check, result=c.result, text=c.text)


def _record(r: ReviewRecord) -> RecordOut:
    return RecordOut(
        id=r.pk,
        level=r.level,
        round=r.round,
        decision=r.decision,
        reason=r.reason,
        notes=r.notes,
        reviewer=r.reviewer.get_username(),
        decided_at=r.decided_at,
        reopened_by=r.reopened_by.get_username() if r.reopened_by is not None else None,
        reopened_at=r.reopened_at,
        reopen_reason=r.reopen_reason,
    )


def _override(o: Override) -> OverrideOut:
    return OverrideOut(
        id=o.pk,
        application_id=o.application_id,
        application=o.application.code,
        kind=o.kind,
        school=o.school.code if o.school is not None else None,
        from_tier=o.from_tier,
        to_tier=o.to_tier,
        check=o.check_name,
        reason=o.reason,
        state=o.state,
        requested_by=o.requested_by.get_username(),
        requested_at=o.requested_at,
        decided_by=o.decided_by.get_username() if o.decided_by is not None else None,
        decided_at=o.decided_at,
        decision_note=o.decision_note,
        withdrawn_by=o.withdrawn_by.get_username() if o.withdrawn_by is not None else None,
        withdrawn_at=o.withdrawn_at,
        withdrawal_reason=o.withdrawal_reason,
    )


def _entries(a: Assessment) -> list[EntryOut]:
    return [
        EntryOut(
            school=e.school_code,
            private=e.private,
            listed=e.listed,
            tier=e.tier,
            admissible=e.admissible,
        )
        for e in a.entries
    ]


@router.get(
    "/queue", response=QueueOut, summary="A review queue, oldest first", operation_id="review_queue"
)
def queue(
    request: HttpRequest, season: int | None = None, level: int | None = None, page: int = 1
) -> QueueOut:
    q = review_queue(actor=request.user, season_id=season, level=level, page=page)
    return QueueOut(
        season=q.season.pk if q.season else None,
        level=q.level,
        count=q.count,
        oldest_days=q.oldest_days,
        page=q.page.number if q.page else 1,
        pages=q.page.paginator.num_pages if q.page else 0,
        items=[
            QueueItem(
                application_id=row.application.pk,
                code=row.application.code,
                child_name=row.child_name,
                waiting_since=row.waiting_since,
                age_days=row.age_days,
                eligible=row.assessment.eligible if row.assessment else None,
                failures=[_check(c) for c in row.assessment.failures] if row.assessment else [],
                first_level=_record(row.case.last_record) if row.case else None,
            )
            for row in q.rows
        ],
    )


@router.get(
    "/applications/{application_id}",
    response=DetailOut,
    summary="One application",
    operation_id="review_application",
)
def application(request: HttpRequest, application_id: int) -> DetailOut:
    d = review_detail(actor=request.user, application_id=application_id)
    return DetailOut(
        application_id=d.application.pk,
        code=d.application.code,
        stage=d.application.stage,
        state=d.case.state if d.case else "pending_first",
        next_level=d.next_level,
        eligible=d.assessment.eligible,
        checks=[_check(c) for c in d.assessment.checks],
        entries=_entries(d.assessment),
        records=[_record(r) for r in d.records],
        overrides=[_override(o) for o in d.overrides],
    )


@router.post(
    "/applications/{application_id}/decisions",
    response={201: RecordOut},
    summary="Decide at level 1 (school) or level 2 (bureau)",
    operation_id="review_decide",
)
def decide(request: HttpRequest, application_id: int, body: DecisionIn) -> Status[RecordOut]:
    record = services.decide(
        actor=request.user,
        application_id=application_id,
        level=body.level,
        decision=body.decision,
        reason=body.reason,
        notes=body.notes,
    )
    return Status(201, _record(record))


@router.post(
    "/applications/{application_id}/reopen",
    response=RecordOut,
    summary="Reopen a final (level-2) decision (a bureau admin who did not make it)",
    operation_id="review_reopen",
)
def reopen(request: HttpRequest, application_id: int, body: ReasonIn) -> RecordOut:
    record = services.reopen(actor=request.user, application_id=application_id, reason=body.reason)
    return _record(record)


@router.post(
    "/applications/{application_id}/overrides",
    response={201: OverrideOut},
    summary="Request an override (a tier change or an exception), with its reason",
    operation_id="review_request_override",
)
def request_override(
    request: HttpRequest, application_id: int, body: OverrideIn
) -> Status[OverrideOut]:
    override = override_services.request_override(
        actor=request.user,
        application_id=application_id,
        kind=body.kind,
        reason=body.reason,
        school=body.school,
        to_tier=body.to_tier,
        check=body.check,
    )
    return Status(201, _override(override))


@router.get(
    "/overrides",
    response=list[OverrideOut],
    summary="Overrides in your scope",
    operation_id="review_overrides",
)
def override_list(request: HttpRequest, state: str = "", page: int = 1) -> list[OverrideOut]:
    found = overrides_visible_to(actor=request.user, state=state)
    return [_override(o) for o in Paginator(found, PAGE_SIZE).get_page(page).object_list]


@router.post(
    "/overrides/{override_id}/approve",
    response=OverrideOut,
    summary="Approve an override (a second person)",
    operation_id="review_approve_override",
)
def approve(request: HttpRequest, override_id: int, body: NoteIn) -> OverrideOut:
    override = override_services.approve_override(
        actor=request.user, override_id=override_id, note=body.note
    )
    return _override(override)


@router.post(
    "/overrides/{override_id}/refuse",
    response=OverrideOut,
    summary="Refuse an override",
    operation_id="review_refuse_override",
)
def refuse(request: HttpRequest, override_id: int, body: NoteIn) -> OverrideOut:
    override = override_services.refuse_override(
        actor=request.user, override_id=override_id, note=body.note
    )
    return _override(override)


@router.post(
    "/overrides/{override_id}/withdraw",
    response=OverrideOut,
    summary="Withdraw an approved override, with its reason",
    operation_id="review_withdraw_override",
)
def withdraw(request: HttpRequest, override_id: int, body: ReasonIn) -> OverrideOut:
    override = override_services.withdraw_override(
        actor=request.user, override_id=override_id, reason=body.reason
    )
    return _override(override)
