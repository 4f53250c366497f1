"""Review decisions (分级审核): one service, one transaction, one audit event per decision.

Level 1 (a school's officer) passes, rejects or returns an application for correction. A pass
or a rejection goes to level 2 (the county bureau), where a different person confirms or
overturns it; only level 2's decision is final. A return ends the round: the family corrects
the application and the next level-1 decision opens a new round. Overrides of the engine's
results are in :mod:`sunshine.review.overrides`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.admissions.models import Application
from sunshine.audit.services import personal_ref, record_event
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.review.access import (
    FIRST_LEVEL,
    REOPENERS,
    SECOND_LEVEL,
    require,
    visible_application,
)
from sunshine.review.models import CaseState, Level, ReviewCase, ReviewRecord, Verdict

__all__ = ["decide", "reopen"]

_AFTER_FIRST = {
    Verdict.PASS: CaseState.PENDING_SECOND,
    Verdict.REJECT: CaseState.PENDING_SECOND,
    Verdict.RETURN: CaseState.RETURNED,
}
_AFTER_SECOND = {
    Verdict.PASS: CaseState.PASSED,
    Verdict.REJECT: CaseState.REJECTED,
    Verdict.RETURN: CaseState.RETURNED,
}


def _level(value: Any) -> Level:
    try:
        return Level(int(value))
    except (TypeError, ValueError):
        raise Invalid(_("审核级别只能是第一级或第二级"), field="level") from None


def _verdict(value: Any, reason: str) -> Verdict:
    try:
        verdict = Verdict(value)
    except ValueError:
        raise Invalid(_("请选择审核结论"), field="decision") from None
    if verdict != Verdict.PASS and not reason:
        raise Invalid(_("不通过或退回补正时必须填写理由"), field="reason")
    return verdict


def decide(
    *,
    actor: Any,
    application_id: int,
    level: int,
    decision: str,
    reason: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
) -> ReviewRecord:
    """Record one level's decision on an application and move its review on."""
    reason, notes = reason.strip(), notes.strip()
    lvl = _level(level)
    if lvl == Level.FIRST:
        user = require(actor, FIRST_LEVEL, _("第一级审核由报名学校的招生人员进行"))
    else:
        user = require(
            actor, SECOND_LEVEL, _("第二级审核须由本县教育局审核人员进行，学校招生人员不能进行")
        )
    verdict = _verdict(decision, reason)
    now = now or timezone.now()
    with transaction.atomic():
        application = visible_application(user, application_id)
        # One decision at a time per application: the second of two clicks sees the first.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        if application.status == Application.Status.WITHDRAWN:
            raise Conflict(_("报名已撤回，无需审核"))
        case = ReviewCase.objects.select_for_update().filter(application=application).first()
        before = None if case is None else {"state": case.state, "round": case.round}
        if lvl == Level.FIRST:
            round_no = _first_level_round(case)
            first = None
        else:
            first = _first_level_record(case, user)
            round_no = first.round
        try:
            with transaction.atomic():
                record = ReviewRecord.objects.create(
                    application=application,
                    level=lvl,
                    round=round_no,
                    decision=verdict,
                    reason=reason,
                    notes=notes,
                    reviewer=user,
                    decided_at=now,
                    first_level=first,
                    first_reviewer_id=None if first is None else first.reviewer_id,
                )
        except IntegrityError as error:  # the constraints are the last word
            raise Conflict(_("这一级审核已有结论")) from error
        state = (_AFTER_FIRST if lvl == Level.FIRST else _AFTER_SECOND)[verdict]
        ReviewCase.objects.update_or_create(
            application=application,
            defaults={"state": state, "round": round_no, "since": now, "last_record": record},
        )
        record_event(
            actor=user,
            action="review.decided",
            object_type="application",
            object_id=application.code,
            before=before,
            after={"state": state, "round": round_no, "record": record.pk},
            detail={
                "record": record.pk,
                "level": int(lvl),
                "round": round_no,
                "decision": str(verdict),
                "state": str(state),
                # Reasons are free text and may name people: only their digest is logged.
                "reason": personal_ref(reason) if reason else "",
            },
            at=now,
        )
    return record


def reopen(
    *, actor: Any, application_id: int, reason: str, now: dt.datetime | None = None
) -> ReviewRecord:
    """A county bureau administrator reopens a final (level-2) decision, saying why. The
    decision stays in the history, marked reopened; the application awaits level 2 again, and
    level 2 decides anew by the usual rules. The administrator is never the person who made
    the decision being reopened (相互检查)."""
    user = require(actor, REOPENERS, _("只有本县教育局管理员可以对第二级审核结论重新审核"))
    reason = reason.strip()
    if not reason:
        raise Invalid(_("重新审核时必须写明理由"), field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        application = visible_application(user, application_id)
        Application.objects.select_for_update().filter(pk=application.pk).first()
        case = ReviewCase.objects.select_for_update().filter(application=application).first()
        if case is None or case.state not in (CaseState.PASSED, CaseState.REJECTED):
            raise Conflict(_("这份报名没有可重新审核的第二级审核结论"))
        decision = case.last_record
        if decision.reviewer_id == user.pk:
            raise NotAllowed(_("不能对本人作出的审核结论重新审核，须由另一位管理员进行"))
        first = decision.first_level
        assert first is not None  # a level-2 record names its level-1 record (a constraint)
        before = {"state": case.state, "round": case.round, "record": decision.pk}
        decision.reopened_by = user
        decision.reopened_at = now
        decision.reopen_reason = reason
        decision.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
        case.state = CaseState.PENDING_SECOND
        case.since = now
        case.last_record = first
        case.save(update_fields=["state", "since", "last_record"])
        record_event(
            actor=user,
            action="review.reopened",
            object_type="application",
            object_id=application.code,
            before=before,
            after={"state": case.state, "round": case.round, "record": first.pk},
            detail={
                "record": decision.pk,
                "level": int(decision.level),
                "round": decision.round,
                "decision": str(decision.decision),
                "decided_by": decision.reviewer_id,
                # Free text may name people: only its digest enters the log.
                "reason": personal_ref(reason),
            },
            at=now,
        )
    return decision


def _first_level_round(case: ReviewCase | None) -> int:
    if case is None:
        return 1
    if case.state == CaseState.RETURNED:
        return case.round + 1  # the family has had the chance to correct: a new round
    raise Conflict(_("这份报名本轮已完成第一级审核"))


def _first_level_record(case: ReviewCase | None, user: Any) -> ReviewRecord:
    if case is None or case.state == CaseState.RETURNED:
        raise Conflict(_("第一级审核尚未完成，不能先进行第二级审核"))
    if case.state != CaseState.PENDING_SECOND:
        raise Conflict(_("这份报名已完成第二级审核"))
    first = case.last_record
    if first.reviewer_id == user.pk:
        raise NotAllowed(_("第二级审核须由与第一级审核不同的人进行"))
    return first
