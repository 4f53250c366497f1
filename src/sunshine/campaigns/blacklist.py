"""The blacklist's lifecycle, one service per step (see docs/campaigns.md)::

    propose ─▶ notified ──(objection in window)──▶ objected ──upheld──▶ withdrawn
                  │  ▲                                 │
                  │  └──────────── rejected ───────────┘
                  │ (window over, or objection rejected)
                  ▼
     request_publication ─▶ pending ──second person approves──▶ published
                               │ refused: back to notified          │
                                                    (repair period over, review passed)
                                                                    ▼
                                                                 removed

A bureau administrator of the entry's county proposes, records and decides objections, asks
for publication and reviews the exit; a *different* bureau administrator approves publication
(also a database constraint). Before publication an entry may be withdrawn. Each step writes
its audit event in its transaction; the principal's name enters the log only as a salted
digest. Time is an argument (``now``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import School
from sunshine.audit.services import Actor, personal_ref, record_event
from sunshine.campaigns.models import BlacklistEntry
from sunshine.campaigns.scope import is_system, region_of
from sunshine.errors import Conflict, Invalid, NotAllowed

Status = BlacklistEntry.Status
Outcome = BlacklistEntry.Outcome

# A party may object within this many calendar days of the notice (about five working days);
# a bureau may set 1..MAX_OBJECTION_DAYS per entry, or change the default in settings.
DEFAULT_OBJECTION_DAYS = int(getattr(settings, "SUNSHINE_BLACKLIST_OBJECTION_DAYS", 7))
MAX_OBJECTION_DAYS = 30
# A listing stays published for a repair period, by default a year and at most three years,
# as the credit-repair rules set for serious dishonesty (check the local rule; docs/campaigns.md).
# The bureau sets it per entry.
DEFAULT_REPAIR_DAYS = int(getattr(settings, "SUNSHINE_BLACKLIST_REPAIR_DAYS", 365))
MIN_REPAIR_DAYS, MAX_REPAIR_DAYS = 1, 3 * 366

__all__ = [
    "decide_objection",
    "decide_publication",
    "propose_entry",
    "record_objection",
    "request_publication",
    "review_exit",
    "withdraw_entry",
]


def _snapshot(entry: BlacklistEntry) -> dict[str, Any]:
    """The entry as the log's before/after digests see it."""
    return {
        "status": entry.status,
        "subject": entry.subject,
        "school_name": entry.school_name,
        "school_code": entry.school_code,
        "principal_name": entry.principal_name,
        "violation": entry.violation,
        "legal_basis": entry.legal_basis,
        "objection_text": entry.objection_text,
        "objection_outcome": entry.objection_outcome,
        "objection_reason": entry.objection_reason,
        "exit_review": entry.exit_review,
        "withdrawn_reason": entry.withdrawn_reason,
    }


def _save_and_record(
    entry: BlacklistEntry,
    *,
    actor: Actor,
    action: str,
    before: dict[str, Any] | None,
    now: dt.datetime,
    **detail: Any,
) -> None:
    entry.save()
    record_event(
        actor=actor,
        action=action,
        object_type="blacklist_entry",
        object_id=str(entry.pk),
        before=before,
        after=_snapshot(entry),
        detail={"region_code": entry.region_code, "status": entry.status, **detail},
        at=now,
    )


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(_("此项不能为空。"), field=field)
    return value


def _whole(value: int, low: int, high: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(
            _("应为 %(low)d 到 %(high)d 之间的整数。") % {"low": low, "high": high}, field=field
        )
    return value


def _require_admin(actor: Actor, entry: BlacklistEntry, action: str) -> None:
    require_role(actor, Role.BUREAU_ADMIN, action=action)
    if not is_system(actor) and region_of(actor) != entry.region_code:
        raise NotAllowed(_("该黑名单条目不属于您所在的县区。"))


def _lock(entry: BlacklistEntry, *allowed: str) -> BlacklistEntry:
    locked = BlacklistEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status not in allowed:
        raise Conflict(
            _("当前状态为“%(state)s”，不能进行此操作。") % {"state": locked.get_status_display()}
        )
    return locked


def _refreshed(entry: BlacklistEntry) -> BlacklistEntry:
    # The caller keeps its object; give it the committed values.
    entry.refresh_from_db()
    return entry


def propose_entry(
    *,
    actor: Actor,
    subject: str,
    violation: str,
    legal_basis: str,
    now: dt.datetime,
    school: School | None = None,
    school_name: str = "",
    school_code: str = "",
    principal_name: str = "",
    region_code: str = "",
    objection_days: int | None = None,
    repair_days: int | None = None,
) -> BlacklistEntry:
    """Propose listing a school or its principal and give notice (告知) at ``now``: the
    objection window runs ``objection_days`` calendar days from the notice."""
    require_role(actor, Role.BUREAU_ADMIN, action="propose a blacklist entry")
    if subject not in BlacklistEntry.Subject.values:
        raise Invalid(_("未知的对象类型：%(s)s") % {"s": subject}, field="subject")
    if is_system(actor):
        if len(region_code) != 6 or not region_code.isdigit():
            raise Invalid(_("行政区划代码应为 6 位数字。"), field="region_code")
    else:
        own = region_of(actor)
        if own is None or (region_code and region_code != own):
            raise NotAllowed(_("只能为本县区提出黑名单。"))
        region_code = own
    if school is not None:
        if school.season.region_code != region_code:
            raise NotAllowed(_("该学校不属于本县区。"))
        school_name, school_code = school.name, school.code
    school_name = _text(school_name, "school_name")
    principal_name = (principal_name or "").strip()
    if subject == BlacklistEntry.Subject.PRINCIPAL and not principal_name:
        raise Invalid(_("列入校长时须填写校长姓名。"), field="principal_name")
    if subject == BlacklistEntry.Subject.SCHOOL:
        principal_name = ""
    days = _whole(
        DEFAULT_OBJECTION_DAYS if objection_days is None else objection_days,
        1,
        MAX_OBJECTION_DAYS,
        "objection_days",
    )
    repair = _whole(
        DEFAULT_REPAIR_DAYS if repair_days is None else repair_days,
        MIN_REPAIR_DAYS,
        MAX_REPAIR_DAYS,
        "repair_days",
    )
    with transaction.atomic():
        entry = BlacklistEntry.objects.create(
            region_code=region_code,
            subject=subject,
            school=school,
            school_name=school_name,
            school_code=(school_code or "").strip(),
            principal_name=principal_name,
            violation=_text(violation, "violation"),
            legal_basis=_text(legal_basis, "legal_basis"),
            status=Status.NOTIFIED,
            objection_days=days,
            repair_days=repair,
            proposed_by=None if is_system(actor) else actor,
            notified_at=now,
            objection_deadline=now + dt.timedelta(days=days),
            updated_at=now,
        )
        _save_and_record(
            entry,
            actor=actor,
            action="blacklist.notified",
            before=None,
            now=now,
            subject=subject,
            school_code=entry.school_code,
            principal=personal_ref(principal_name) if principal_name else None,
            objection_deadline=entry.objection_deadline.isoformat(),
            repair_days=repair,
        )
    return entry


def record_objection(
    entry: BlacklistEntry, *, actor: Actor, text: str, now: dt.datetime
) -> BlacklistEntry:
    """Record the party's objection (one per entry), received within the window."""
    _require_admin(actor, entry, "record a blacklist objection")
    text = _text(text, "text")
    with transaction.atomic():
        locked = _lock(entry, Status.NOTIFIED)
        if locked.objection_at is not None:
            raise Conflict(_("该条目已受理过异议。"))
        if now > locked.objection_deadline:
            raise Conflict(
                _("异议期已于 %(deadline)s 届满。") % {"deadline": locked.objection_deadline}
            )
        before = _snapshot(locked)
        locked.objection_text, locked.objection_at = text, now
        locked.status, locked.updated_at = Status.OBJECTED, now
        _save_and_record(
            locked, actor=actor, action="blacklist.objection_recorded", before=before, now=now
        )
        return _refreshed(entry)


def decide_objection(
    entry: BlacklistEntry, *, actor: Actor, upheld: bool, reason: str, now: dt.datetime
) -> BlacklistEntry:
    """Upheld: the entry is withdrawn. Rejected: it returns to the notified state and may be
    put forward for publication at once (the party has been heard)."""
    _require_admin(actor, entry, "decide a blacklist objection")
    reason = _text(reason, "reason")
    with transaction.atomic():
        locked = _lock(entry, Status.OBJECTED)
        before = _snapshot(locked)
        locked.objection_outcome = Outcome.UPHELD if upheld else Outcome.REJECTED
        locked.objection_reason, locked.objection_decided_at = reason, now
        locked.status = Status.WITHDRAWN if upheld else Status.NOTIFIED
        if upheld:
            locked.withdrawn_reason = reason
        locked.updated_at = now
        _save_and_record(
            locked,
            actor=actor,
            action="blacklist.objection_decided",
            before=before,
            now=now,
            outcome=locked.objection_outcome,
        )
        return _refreshed(entry)


def request_publication(entry: BlacklistEntry, *, actor: Actor, now: dt.datetime) -> BlacklistEntry:
    """Put the entry forward for publication once the window is over (or the objection has
    been rejected); a second administrator then approves or refuses."""
    _require_admin(actor, entry, "request blacklist publication")
    with transaction.atomic():
        locked = _lock(entry, Status.NOTIFIED)
        heard = locked.objection_outcome == Outcome.REJECTED
        if now <= locked.objection_deadline and not heard:
            raise Conflict(
                _("异议期至 %(deadline)s 届满，届满前不能提请公示。")
                % {"deadline": locked.objection_deadline}
            )
        before = _snapshot(locked)
        locked.status = Status.PENDING
        locked.publication_requested_by = None if is_system(actor) else actor
        locked.publication_requested_at = locked.updated_at = now
        _save_and_record(
            locked, actor=actor, action="blacklist.publication_requested", before=before, now=now
        )
        return _refreshed(entry)


def decide_publication(
    entry: BlacklistEntry, *, actor: Actor, approve: bool, reason: str = "", now: dt.datetime
) -> BlacklistEntry:
    """A second bureau administrator (neither the proposer nor the requester) approves: the
    entry is published (公示) and the repair period starts. Refused (with a reason): back to
    the notified state."""
    _require_admin(actor, entry, "approve blacklist publication")
    if is_system(actor):
        raise NotAllowed(_("公示须由另一名管理员本人审批。"))
    with transaction.atomic():
        locked = _lock(entry, Status.PENDING)
        if actor.pk in (locked.proposed_by_id, locked.publication_requested_by_id):
            raise NotAllowed(_("提出或提请公示的人不能审批本条目的公示，须由另一名管理员审批。"))
        before = _snapshot(locked)
        if approve:
            locked.status, locked.approved_by = Status.PUBLISHED, actor
            locked.published_at = now
            locked.exit_eligible_at = now + dt.timedelta(days=locked.repair_days)
            action = "blacklist.published"
        else:
            reason = _text(reason, "reason")
            locked.status = Status.NOTIFIED
            locked.publication_requested_by, locked.publication_requested_at = None, None
            action = "blacklist.publication_refused"
        locked.updated_at = now
        eligible = locked.exit_eligible_at
        extra = {"exit_eligible_at": eligible.isoformat()} if approve and eligible else {}
        _save_and_record(locked, actor=actor, action=action, before=before, now=now, **extra)
        return _refreshed(entry)


def review_exit(
    entry: BlacklistEntry, *, actor: Actor, passed: bool, review: str, now: dt.datetime
) -> BlacklistEntry:
    """After the repair period, review the repair: passed, the entry leaves the list (移出);
    not passed, it stays published and the review is kept."""
    _require_admin(actor, entry, "review a blacklist exit")
    review = _text(review, "review")
    with transaction.atomic():
        locked = _lock(entry, Status.PUBLISHED)
        assert locked.exit_eligible_at is not None  # set on publication
        if now < locked.exit_eligible_at:
            raise Conflict(
                _("整改期至 %(date)s 届满，届满前不能移出。") % {"date": locked.exit_eligible_at}
            )
        before = _snapshot(locked)
        locked.exit_review, locked.updated_at = review, now
        if passed:
            locked.status, locked.removed_at = Status.REMOVED, now
        action = "blacklist.removed" if passed else "blacklist.exit_refused"
        _save_and_record(locked, actor=actor, action=action, before=before, now=now)
        return _refreshed(entry)


def withdraw_entry(
    entry: BlacklistEntry, *, actor: Actor, reason: str, now: dt.datetime
) -> BlacklistEntry:
    """Drop an entry that has not been published (wrong facts, a decision of a higher body)."""
    _require_admin(actor, entry, "withdraw a blacklist entry")
    reason = _text(reason, "reason")
    with transaction.atomic():
        locked = _lock(entry, Status.NOTIFIED, Status.OBJECTED, Status.PENDING)
        before = _snapshot(locked)
        locked.status, locked.withdrawn_reason, locked.updated_at = Status.WITHDRAWN, reason, now
        _save_and_record(locked, actor=actor, action="blacklist.withdrawn", before=before, now=now)
        return _refreshed(entry)
