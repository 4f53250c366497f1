"""Overriding an automatic result (相互检查): a request with a reason, then a second person's
approval or refusal. Only an approved override reaches the engine (sunshine.review.effects).

Two kinds: a tier change for an application at one school of its list (from the tier the
engine gives now to another, or to none), and an exception that makes a failed or missing check
count as passed (a late document accepted, a failed check waived). The requester may be a
school officer (a tier only at their own school) or a bureau reviewer; the approver is a bureau
reviewer or administrator of the county and never the requester, which the database also
enforces. Every step is one transaction with its audit event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Application, School
from sunshine.audit.services import personal_ref, record_event
from sunshine.core.adjustments import WAIVABLE
from sunshine.datasets.policy_toml import parse_policy
from sunshine.errors import Conflict, Invalid, NotAllowed, NotFound
from sunshine.review.access import APPROVERS, REQUESTERS, require, visible_application
from sunshine.review.assessment import Assessment, assess_applications, tier_names
from sunshine.review.effects import review_effects
from sunshine.review.models import Override

__all__ = [
    "approve_override",
    "current_assessment",
    "refuse_override",
    "request_override",
    "withdraw_override",
]

WAIVABLE_LABELS = frozenset(c.label for c in WAIVABLE)


def current_assessment(application: Application) -> Assessment:
    """The engine's view of one application with the approved overrides applied (but not a
    review rejection, so the tiers it would earn stay visible)."""
    effects = review_effects(application.season, codes=[application.code])
    adjustments = dataclasses.replace(effects.adjustments, rejected=frozenset())
    return assess_applications(application.season, [application], adjustments)[application.code]


def request_override(
    *,
    actor: Any,
    application_id: int,
    kind: str,
    reason: str,
    school: str = "",
    to_tier: int | None = None,
    check: str = "",
    now: dt.datetime | None = None,
) -> Override:
    """Ask for a tier change (``school`` code, ``to_tier`` 1-based or None for no tier) or an
    exception (``check``, a check label such as "home"); ``reason`` is required."""
    user = require(actor, REQUESTERS, _("只有学校招生人员和教育局审核人员可以申请更正"))
    try:
        kind = Override.Kind(kind)
    except ValueError:
        raise Invalid(_("请选择更正类型"), field="kind") from None
    reason = reason.strip()
    if not reason:
        raise Invalid(_("更正申请必须写明理由"), field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        application = visible_application(user, application_id)
        Application.objects.select_for_update().filter(pk=application.pk).first()
        current = current_assessment(application)
        if kind == Override.Kind.TIER:
            fields = _tier_change(user, application, current, school, to_tier)
        else:
            fields = _exception(application, current, check)
        try:
            with transaction.atomic():
                override = Override.objects.create(
                    application=application,
                    kind=kind,
                    reason=reason,
                    requested_by=user,
                    requested_at=now,
                    **fields,
                )
        except IntegrityError as error:
            raise Conflict(_("已有一份同样的更正申请在等待审批")) from error
        record_event(
            actor=user,
            action="override.requested",
            object_type="application",
            object_id=application.code,
            after=_state(override),
            detail=_detail(override),
            at=now,
        )
    return override


def _tier_change(
    user: User, application: Application, current: Assessment, code: str, to_tier: int | None
) -> dict[str, Any]:
    school = School.objects.filter(season=application.season, code=code).first()
    entry = current.entry(code) if school is not None else None
    if school is None or entry is None or entry.private:
        raise Invalid(_("请选择这份报名志愿中的一所公办学校"), field="school")
    if user.role == Role.SCHOOL_STAFF and school.pk != user.school_id:
        raise NotAllowed(_("学校招生人员只能申请更正本校的类别"))
    tiers = len(tier_names(parse_policy(application.season.policy_toml), application.stage))
    if to_tier is not None and not 1 <= to_tier <= tiers:
        raise Invalid(_("请选择招生政策中的一个类别"), field="to_tier")
    if to_tier == entry.tier:
        raise Invalid(_("新类别与现类别相同"), field="to_tier")
    return {"school": school, "from_tier": entry.tier, "to_tier": to_tier}


def _exception(application: Application, current: Assessment, check: str) -> dict[str, Any]:
    if check not in WAIVABLE_LABELS:
        raise Invalid(_("这一核验项目不能例外认定"), field="check")
    result = current.check(check).result
    if result == "pass":
        raise Invalid(_("该项核验已通过，无需例外认定"), field="check")
    approved = Override.objects.filter(
        application=application, check_name=check, state=Override.State.APPROVED
    )
    if approved.exists():
        raise Conflict(_("该项已有批准的例外认定"))
    return {"check_name": check, "check_result": result}


def approve_override(
    *, actor: Any, override_id: int, note: str = "", now: dt.datetime | None = None
) -> Override:
    """The second person approves: from now on the engine honours the override."""
    return _close(actor, override_id, Override.State.APPROVED, note.strip(), now)


def refuse_override(
    *, actor: Any, override_id: int, note: str, now: dt.datetime | None = None
) -> Override:
    """The second person refuses, saying why; the override never takes effect."""
    note = note.strip()
    if not note:
        raise Invalid(_("驳回时必须写明理由"), field="note")
    return _close(actor, override_id, Override.State.REFUSED, note, now)


def _locked(user: Any, override_id: int) -> tuple[Override, Application]:
    """The override, locked for this transaction, and its application (NotFound when either
    is not the user's to see)."""
    override = Override.objects.select_for_update().filter(pk=override_id).first()
    if override is None:
        raise NotFound(_("没有这份更正申请"))
    return override, visible_application(user, override.application_id)


def _close(
    actor: Any, override_id: int, state: Override.State, note: str, now: dt.datetime | None
) -> Override:
    user = require(actor, APPROVERS, _("更正申请须由本县教育局审核人员或管理员审批"))
    now = now or timezone.now()
    with transaction.atomic():
        override, application = _locked(user, override_id)
        if override.requested_by_id == user.pk:
            raise NotAllowed(_("不能审批本人提出的更正申请，须由另一位审核人员审批"))
        if override.state != Override.State.REQUESTED:
            raise Conflict(_("这份更正申请已经审批过了"))
        before = _state(override)
        override.state = state
        override.decided_by = user
        override.decided_at = now
        override.decision_note = note
        override.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        record_event(
            actor=user,
            action=f"override.{state}",
            object_type="application",
            object_id=application.code,
            before=before,
            after=_state(override),
            detail={**_detail(override), "note": personal_ref(note) if note else ""},
            at=now,
        )
    return override


def withdraw_override(
    *, actor: Any, override_id: int, reason: str, now: dt.datetime | None = None
) -> Override:
    """A bureau reviewer or administrator of the county withdraws an approved override, saying
    why: it stays in the history, marked withdrawn, and the next season run no longer applies
    it. Withdrawing restores the engine's own result, so it needs no second person."""
    user = require(actor, APPROVERS, _("更正须由本县教育局审核人员或管理员撤销"))
    reason = reason.strip()
    if not reason:
        raise Invalid(_("撤销时必须写明理由"), field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        override, application = _locked(user, override_id)
        if override.state == Override.State.WITHDRAWN:
            raise Conflict(_("这份更正已经撤销过了"))
        if override.state != Override.State.APPROVED:
            raise Conflict(_("只能撤销已批准的更正"))
        before = _state(override)
        override.state = Override.State.WITHDRAWN
        override.withdrawn_by = user
        override.withdrawn_at = now
        override.withdrawal_reason = reason
        override.save(update_fields=["state", "withdrawn_by", "withdrawn_at", "withdrawal_reason"])
        record_event(
            actor=user,
            action="override.withdrawn",
            object_type="application",
            object_id=application.code,
            before=before,
            after=_state(override),
            detail={**_detail(override), "withdrawal_reason": personal_ref(reason)},
            at=now,
        )
    return override


def _state(o: Override) -> dict[str, Any]:
    state = {
        "override": o.pk,
        "state": o.state,
        "decided_by": o.decided_by_id,
        "decision_note": o.decision_note,
    }
    if o.withdrawn_by_id is not None:
        state["withdrawn_by"] = o.withdrawn_by_id
    return state


def _detail(o: Override) -> dict[str, Any]:
    return {
        "override": o.pk,
        "kind": str(o.kind),
        "school": o.school.code if o.school is not None else "",
        "from_tier": o.from_tier,
        "to_tier": o.to_tier,
        "check": o.check_name,
        "requested_by": o.requested_by_id,
        # Free text may name people: only its digest enters the log.
        "reason": personal_ref(o.reason),
    }
