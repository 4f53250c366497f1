"""Use cases on ledger rows: add, change, void; complete a rectification; 回头看.

Each function takes ``actor=`` keyword-only, checks role and county first, runs in one
transaction and appends its audit event there. Row text is never put in an event in the clear
(a clue may name a person): ``before``/``after`` are stored as digests only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.audit.services import Actor, record_event
from sunshine.errors import Conflict, Invalid, NotFound
from sunshine.ledgers import scope
from sunshine.ledgers.cells import CellError, as_number, as_text
from sunshine.ledgers.models import (
    InspectionVisit,
    LedgerCounter,
    LedgerRow,
    ProblemClue,
    Rectification,
    RectificationReview,
    VisitProblem,
)
from sunshine.ledgers.specs import (
    RECTIFICATION,
    Column,
    LedgerSpec,
    audit_values,
    extra_values,
    row_values,
    spec_for,
)

REASON_LENGTH = 500
REVIEW_NOTE_LENGTH = 8000
Status = Rectification.Status

__all__ = [
    "complete_rectification",
    "create_row",
    "follow_up_rectification",
    "update_row",
    "void_row",
]


def user_or_none(actor: Actor) -> Any:
    """The user to store as created_by/updated_by; None for the CLI and system jobs."""
    return None if isinstance(actor, str) else actor


def ledger_spec(kind: str) -> LedgerSpec:
    try:
        return spec_for(kind)
    except KeyError:
        raise NotFound(_("没有这本台账：%(kind)s") % {"kind": kind}) from None


def object_ref(region_code: str, number: int) -> str:
    return f"{region_code}:{number}"


def clean_value(column: Column, value: object) -> Any:
    try:
        return column.coerce(value)
    except CellError as e:
        raise Invalid(_(e.message) % e.params, field=column.field) from None


def clean_reason(reason: object, field: str = "reason", length: int = REASON_LENGTH) -> str:
    try:
        return as_text(reason, max_length=length, required=True)
    except CellError as e:
        raise Invalid(_(e.message) % e.params, field=field) from None


def next_number(region_code: str, kind: str, at_least: int = 0) -> LedgerCounter:
    """The county ledger's counter, locked for this transaction (numbers are never reused)."""
    counter, _created = LedgerCounter.objects.select_for_update().get_or_create(
        region_code=region_code, ledger=kind
    )
    rows = ledger_spec(kind).manager().filter(region_code=region_code)
    highest = rows.aggregate(top=Max("number"))["top"]
    counter.last_number = max(counter.last_number, highest or 0, at_least)
    return counter


def active_visit(region_code: str, number: int, field: str = "visit") -> InspectionVisit:
    visit = InspectionVisit.objects.filter(
        region_code=region_code, number=number, voided_at__isnull=True
    ).first()
    if visit is None:
        message = _("走访台账中没有序号为 %(n)s 的有效走访") % {"n": number}
        raise Invalid(message, field=field)
    return visit


def _clean_extras(spec: LedgerSpec, region_code: str, extras: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in extras.items():
        if name not in spec.extras:
            raise Invalid(_("这本台账没有该字段"), field=name)
        if name == "case_code":
            try:
                out[name] = as_text(value, max_length=64, required=False)
            except CellError as e:
                raise Invalid(_(e.message) % e.params, field=name) from None
        elif name == "clue":
            try:
                number = as_number(value, required=False)
            except CellError as e:
                raise Invalid(_(e.message) % e.params, field=name) from None
            clue = None
            if number is not None:
                clue = ProblemClue.objects.filter(
                    region_code=region_code, number=number, voided_at__isnull=True
                ).first()
                if clue is None:
                    message = _("问题线索台账中没有序号为 %(n)s 的有效线索") % {"n": number}
                    raise Invalid(message, field=name)
            out[name] = clue
    return out


def apply_values(
    row: LedgerRow,
    spec: LedgerSpec,
    values: Mapping[str, Any],
    visits: Mapping[int, InspectionVisit] | None = None,
) -> None:
    """Set a row's columns from cleaned values. A blank choice leaves the current value (the
    model's default on a new row); a visit number becomes that visit (from ``visits`` if
    given, else looked up)."""
    for column in spec.columns:
        if column.field not in values:
            continue
        value = values[column.field]
        if column.kind == "choice" and value == "":
            continue
        if isinstance(row, VisitProblem) and column.kind == "visit":
            row.visit = (
                visits[value] if visits is not None else active_visit(row.region_code, value)
            )
        else:
            setattr(row, column.field, value)


def create_row(
    kind: str,
    region_code: str,
    *,
    actor: Actor,
    values: Mapping[str, Any],
    extras: Mapping[str, Any] | None = None,
) -> LedgerRow:
    """Add a row to a county's ledger under the next number. State columns start as new."""
    spec = ledger_spec(kind)
    scope.require_write(actor, region_code, spec.writers)
    cleaned = {c.field: clean_value(c, values.get(c.field)) for c in spec.editable}
    with transaction.atomic():
        clean_extras = _clean_extras(spec, region_code, extras or {})
        counter = next_number(region_code, spec.kind)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        now = timezone.now()
        user = user_or_none(actor)
        row = spec.model(
            region_code=region_code,
            number=counter.last_number,
            created_at=now,
            created_by=user,
            updated_at=now,
            updated_by=user,
            **clean_extras,
        )
        apply_values(row, spec, cleaned)
        row.save()
        after = {**row_values(spec, row), **extra_values(spec, row)}
        record_event(
            actor=actor,
            action=f"ledgers.{spec.kind}.created",
            object_type=f"ledgers.{spec.kind}",
            object_id=object_ref(region_code, row.number),
            after=audit_values(after),
            detail={"region_code": region_code, "number": row.number},
        )
    return row


def _locked_row(spec: LedgerSpec, region_code: str, number: int) -> LedgerRow:
    row = spec.manager().select_for_update().filter(region_code=region_code, number=number).first()
    if row is None:
        raise NotFound(_("台账中没有序号为 %(n)s 的记录") % {"n": number})
    return row


def update_row(
    kind: str,
    region_code: str,
    number: int,
    *,
    actor: Actor,
    changes: Mapping[str, Any],
    extras: Mapping[str, Any] | None = None,
) -> LedgerRow:
    """Change the given columns of a row (the others keep their values)."""
    spec = ledger_spec(kind)
    scope.require_write(actor, region_code, spec.writers)
    with transaction.atomic():
        row = _locked_row(spec, region_code, number)
        if row.voided:
            raise Conflict(_("该记录已作废，不能修改"))
        before = {**row_values(spec, row), **extra_values(spec, row)}
        unknown = sorted(set(changes) - {c.field for c in spec.columns})
        if unknown:
            raise Invalid(_("这本台账没有该字段"), field=unknown[0])
        for column in spec.columns:
            if not column.state or column.field not in changes:
                continue
            value = clean_value(column, changes[column.field])
            if value not in ("", before[column.field]):
                message = _("“%(name)s”只能通过整改完成或回头看更改") % {"name": _(column.header)}
                raise Invalid(message, field=column.field)
        merged = {**before, **changes}
        cleaned = {c.field: clean_value(c, merged.get(c.field)) for c in spec.editable}
        clean_extras = _clean_extras(spec, region_code, extras or {})
        apply_values(row, spec, cleaned)
        for name, value in clean_extras.items():
            setattr(row, name, value)
        after = {**row_values(spec, row), **extra_values(spec, row)}
        changed = sorted(k for k in after if after[k] != before[k])
        if not changed:
            return row
        row.updated_at = timezone.now()
        row.updated_by = user_or_none(actor)
        row.save()
        record_event(
            actor=actor,
            action=f"ledgers.{spec.kind}.updated",
            object_type=f"ledgers.{spec.kind}",
            object_id=object_ref(region_code, number),
            before=audit_values(before),
            after=audit_values(after),
            detail={"region_code": region_code, "number": number, "fields": changed},
        )
    return row


def void_row(kind: str, region_code: str, number: int, *, actor: Actor, reason: str) -> LedgerRow:
    """Strike a row out with a reason. It keeps its number and stays visible as voided."""
    spec = ledger_spec(kind)
    scope.require_write(actor, region_code, spec.writers)
    reason = clean_reason(reason)
    with transaction.atomic():
        row = _locked_row(spec, region_code, number)
        if row.voided:
            raise Conflict(_("该记录已作废"))
        if (
            isinstance(row, InspectionVisit)
            and row.problems.filter(voided_at__isnull=True).exists()
        ):
            raise Conflict(_("该走访下还有未作废的发现问题，请先作废问题台账中的记录"))
        row.voided_at = timezone.now()
        row.void_reason = reason
        row.updated_at = row.voided_at
        row.updated_by = user_or_none(actor)
        row.save()
        record_event(
            actor=actor,
            action=f"ledgers.{spec.kind}.voided",
            object_type=f"ledgers.{spec.kind}",
            object_id=object_ref(region_code, number),
            after={"void_reason": reason},
            detail={"region_code": region_code, "number": number},
        )
    return row


def complete_rectification(
    region_code: str, number: int, *, actor: Actor, on: dt.date | None = None
) -> Rectification:
    """Mark a rectification item done (from 整改中 or 回头看重开) on the day ``on``."""
    scope.require_write(actor, region_code, RECTIFICATION.writers)
    day = on or timezone.localdate()
    with transaction.atomic():
        row = _locked_row(RECTIFICATION, region_code, number)
        assert isinstance(row, Rectification)
        if row.voided:
            raise Conflict(_("该记录已作废"))
        if row.status not in (Status.IN_PROGRESS, Status.REOPENED):
            raise Conflict(_("该整改事项已完成"))
        before = row.status
        row.status = Status.DONE
        row.completed_on = day
        row.updated_at = timezone.now()
        row.updated_by = user_or_none(actor)
        row.save()
        record_event(
            actor=actor,
            action="ledgers.rectification.completed",
            object_type="ledgers.rectification",
            object_id=object_ref(region_code, number),
            detail={
                "region_code": region_code,
                "number": number,
                "from": before,
                "completed_on": day.isoformat(),
            },
        )
    return row


def follow_up_rectification(
    region_code: str,
    number: int,
    *,
    actor: Actor,
    reopen: bool,
    note: str,
    on: dt.date | None = None,
) -> RectificationReview:
    """回头看 of a completed item: confirm it, or reopen it with the reason in ``note``."""
    scope.require_review(actor, region_code)
    note = clean_reason(note, field="note", length=REASON_LENGTH)
    day = on or timezone.localdate()
    with transaction.atomic():
        row = _locked_row(RECTIFICATION, region_code, number)
        assert isinstance(row, Rectification)
        if row.voided:
            raise Conflict(_("该记录已作废"))
        if row.status != Status.DONE:
            raise Conflict(_("只有已完成的整改事项才能回头看"))
        outcome = "回头看重开" if reopen else "回头看确认"
        line = f"{day.isoformat()} {outcome}：{note}"
        review_note = f"{row.review_note}\n{line}" if row.review_note else line
        if len(review_note) > REVIEW_NOTE_LENGTH:
            raise Invalid(_("回头看情况已超过长度上限"), field="note")
        now = timezone.now()
        review = RectificationReview.objects.create(
            rectification=row,
            reviewed_on=day,
            reopened=reopen,
            note=note,
            at=now,
            by=user_or_none(actor),
        )
        row.review_note = review_note
        if reopen:
            row.status = Status.REOPENED
            row.completed_on = None
        row.updated_at = now
        row.updated_by = user_or_none(actor)
        row.save()
        record_event(
            actor=actor,
            action="ledgers.rectification.reopened" if reopen else "ledgers.rectification.reviewed",
            object_type="ledgers.rectification",
            object_id=object_ref(region_code, number),
            after={"note": note},
            detail={"region_code": region_code, "number": number, "reviewed_on": day.isoformat()},
        )
    return review
