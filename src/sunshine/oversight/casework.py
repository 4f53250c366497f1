"""The later steps of a case: reply with an approved answer, close with the reporter's
satisfaction, feed the result back to a named reporter, reassign, reopen, transfer to
discipline inspection (纪检监察), and the handler's audited read of a reporter's identity.

Same rules as :mod:`sunshine.oversight.services`: one transaction each, ``actor=``
keyword-only, role and scope first, the audit event in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sunshine.accounts.models import Role, User
from sunshine.audit.services import Actor
from sunshine.errors import Conflict, Invalid, NotAllowed, NotFound
from sunshine.oversight import clocks
from sunshine.oversight.models import AnswerTemplate, Case, Disposition, Reporter, Satisfaction
from sunshine.oversight.queries import CASE_ROLES, cases_visible_to, is_handler
from sunshine.oversight.services import (
    MANAGERS,
    Clock,
    event,
    lock,
    require_manager_or_handler,
)

__all__ = [
    "close_case",
    "give_feedback",
    "reassign_case",
    "reopen_case",
    "reply_case",
    "reporter_identity",
    "transfer_case",
]

HANDLING = (Case.Status.ACCEPTED, Case.Status.TRANSFERRED)
OPEN = (Case.Status.RECEIVED, *HANDLING, Case.Status.REPLIED)


def _require_handler(actor: Actor, case: Case, action: str) -> None:
    # 谁承办、谁答复: only the designated handler answers (the CLI may act for it).
    if isinstance(actor, str):
        return
    if not (is_handler(actor, case) and actor.is_active and actor.role in CASE_ROLES):
        raise NotAllowed(f"{action}: only the case's handler may")


def _handling_on_time(case: Case) -> bool:
    clock = case.clocks.filter(name=Clock.HANDLING).order_by("-round").first()
    return bool(clock and clock.met)


def reply_case(
    case: Case,
    *,
    actor: Actor,
    template: AnswerTemplate,
    note: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Answer the reporter from an approved unified answer (统一答复口径) of the case's
    question type, with the case's own particulars in ``note``. Stops the handling clock and
    counts the template's use."""
    at = at or timezone.now()
    with transaction.atomic():
        case = lock(case)
        _require_handler(actor, case, "reply to a case")
        if case.status not in HANDLING:
            raise Conflict(f"case {case.code} cannot be answered now ({case.status})")
        template = AnswerTemplate.objects.select_for_update().get(pk=template.pk)
        if template.status != AnswerTemplate.Status.APPROVED:
            raise Invalid("only an approved answer template may be used", field="template")
        if template.category != case.category:
            raise Invalid("the template is for another question type", field="template")
        if not case.region_code.startswith(template.region_prefix):
            raise Invalid("the template is not in force in this region", field="template")
        AnswerTemplate.objects.filter(pk=template.pk).update(usage_count=F("usage_count") + 1)
        clock = clocks.stop_clock(case, Clock.HANDLING, at)
        note = note.strip()
        case.template = template
        case.reply_text = template.body + (f"\n\n{note}" if note else "")
        case.replied_at = at
        case.status = Case.Status.REPLIED
        case.save()
        on_time = bool(clock and clock.met)
        event(case, "case.replied", actor=actor, on_time=on_time, template=template.pk)
    return case


def close_case(
    case: Case, *, actor: Actor, satisfaction: str | None, at: dt.datetime | None = None
) -> Case:
    """Close an answered case with the reporter's satisfaction (``None`` when it could not be
    asked, e.g. an anonymous reporter). A named reporter may rate it from its own account."""
    if satisfaction is not None and satisfaction not in Satisfaction.values:
        raise Invalid(f"unknown satisfaction {satisfaction!r}", field="satisfaction")
    at = at or timezone.now()
    with transaction.atomic():
        case = lock(case)
        own = (
            not isinstance(actor, str)
            and Reporter.objects.filter(case=case, account=actor).exists()
        )
        if not own:
            require_manager_or_handler(actor, case, "close a case")
        if case.status != Case.Status.REPLIED:
            raise Conflict(f"case {case.code} has not been answered yet ({case.status})")
        case.satisfaction = satisfaction or ""
        case.closed_at = at
        case.status = Case.Status.CLOSED
        case.save()
        if not case.anonymous and clocks.running_clock(case, Clock.FEEDBACK) is None:
            clocks.start_clock(case, Clock.FEEDBACK, at)
        on_time = _handling_on_time(case)
        event(case, "case.closed", actor=actor, on_time=on_time, satisfaction=satisfaction)
    return case


def give_feedback(case: Case, *, actor: Actor, note: str, at: dt.datetime | None = None) -> Case:
    """Record that the result was fed back to the named reporter (结果反馈)."""
    note = note.strip()
    if not note:
        raise Invalid("say how and what was fed back", field="note")
    at = at or timezone.now()
    with transaction.atomic():
        case = lock(case)
        _require_handler(actor, case, "record feedback")
        if case.anonymous:
            raise Conflict("an anonymous reporter cannot be reached for feedback")
        clock = clocks.stop_clock(case, Clock.FEEDBACK, at)
        if clock is None:
            raise Conflict(f"case {case.code} has no feedback due ({case.status})")
        case.feedback_note = note
        case.feedback_at = at
        case.save()
        event(case, "case.feedback_given", actor=actor, on_time=bool(clock.met))
    return case


def _check_new_handler(case: Case, handler: Any) -> None:
    if not isinstance(handler, User) or not handler.is_active or handler.role not in CASE_ROLES:
        raise Invalid(
            "the new handler must be an active bureau, inspection or supervisor user",
            field="handler",
        )
    # Whoever takes the case must be able to see it: for a case sent up because it concerns
    # a bureau's head this keeps it away from that county's staff.
    if not cases_visible_to(handler).filter(pk=case.pk).exists():
        raise Invalid("the new handler's scope does not cover this case", field="handler")


def reassign_case(case: Case, *, actor: Actor, handler: User, reason: str) -> Case:
    """Give the case to another handler. Clocks run on from arrival; every reassignment is
    counted, so ping-pong between units shows."""
    reason = reason.strip()
    if not reason:
        raise Invalid("say why the case is reassigned", field="reason")
    with transaction.atomic():
        case = lock(case)
        if not isinstance(actor, str) and not (
            actor.is_active
            and actor.role in MANAGERS
            and cases_visible_to(actor).filter(pk=case.pk).exists()
        ):
            raise NotAllowed("only the unit's administrator or a supervisor may reassign")
        if case.status not in OPEN:
            raise Conflict(f"case {case.code} is not open ({case.status})")
        _check_new_handler(case, handler)
        if handler.pk == case.handler_id:
            raise Invalid("the case is already with this handler", field="handler")
        case.handler = handler
        case.reassign_count += 1
        case.save()
        event(case, "case.reassigned", actor=actor, count=case.reassign_count)
    return case


def reopen_case(case: Case, *, actor: Actor, reason: str, at: dt.datetime | None = None) -> Case:
    """Reopen a closed or declined case (e.g. the reporter was unsatisfied, or a follow-up
    review found the problem unsolved). Counted; a new round of the clock starts now."""
    reason = reason.strip()
    if not reason:
        raise Invalid("say why the case is reopened", field="reason")
    at = at or timezone.now()
    with transaction.atomic():
        case = lock(case)
        if not isinstance(actor, str) and not (
            actor.is_active
            and actor.role in MANAGERS
            and cases_visible_to(actor).filter(pk=case.pk).exists()
        ):
            raise NotAllowed("only the unit's administrator or a supervisor may reopen")
        if case.status == Case.Status.CLOSED:
            case.status = Case.Status.ACCEPTED
            clocks.start_clock(case, Clock.HANDLING, at)
        elif case.status == Case.Status.DECLINED:
            case.status = Case.Status.RECEIVED
            clocks.start_clock(case, Clock.ACCEPTANCE, at)
        else:
            raise Conflict(f"case {case.code} is still open ({case.status})")
        case.reopen_count += 1
        case.satisfaction = ""
        case.closed_at = None
        case.save()
        event(case, "case.reopened", actor=actor, count=case.reopen_count)
    return case


def transfer_case(
    case: Case,
    *,
    actor: Actor,
    disposition: str,
    note: str = "",
    receiver: User | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """Transfer an accepted case to discipline inspection (纪检监察) and record how it
    disposes of the clue: 谈话函询, 初步核实, 暂存待查 or 予以了结. An inspector who records
    it becomes the handler (or ``receiver``, when given); the clocks run on."""
    if disposition not in Disposition.values:
        raise Invalid(f"unknown disposition {disposition!r}", field="disposition")
    at = at or timezone.now()
    with transaction.atomic():
        case = lock(case)
        if not isinstance(actor, str):
            allowed = {Role.INSPECTOR, Role.SUPERVISOR, Role.BUREAU_ADMIN}
            if not (
                actor.is_active
                and actor.role in allowed
                and cases_visible_to(actor).filter(pk=case.pk).exists()
            ):
                raise NotAllowed("only inspectors, supervisors or the unit's administrator")
            if receiver is None and actor.role == Role.INSPECTOR:
                receiver = actor
        if case.status != Case.Status.ACCEPTED:
            raise Conflict(f"only an accepted case can be transferred ({case.status})")
        if receiver is not None:
            if receiver.role not in (Role.INSPECTOR, Role.SUPERVISOR):
                raise Invalid("the receiver must be an inspector", field="receiver")
            _check_new_handler(case, receiver)
            case.handler = receiver
        case.disposition = disposition
        case.transfer_note = note.strip()
        case.transferred_at = at
        case.status = Case.Status.TRANSFERRED
        case.save()
        event(case, "case.transferred", actor=actor, disposition=disposition)
    return case


@dataclass(frozen=True, slots=True)
class Identity:
    name: str
    contact: str
    account: str  # the family account's username, if it reported from its own page


def reporter_identity(case: Case, *, actor: Actor) -> Identity:
    """A named reporter's identity, for the designated handler only; each read is logged."""
    with transaction.atomic():
        case = lock(case)
        if isinstance(actor, str) or not (
            is_handler(actor, case) and actor.is_active and actor.role in CASE_ROLES
        ):
            raise NotAllowed("only the designated handler may see who reported")
        reporter = Reporter.objects.select_related("account").filter(case=case).first()
        if reporter is None:
            raise NotFound("this case was reported anonymously")
        event(case, "case.identity_viewed", actor=actor)
    account = reporter.account.get_username() if reporter.account else ""
    return Identity(reporter.name, reporter.contact, account)
