"""Use cases moving ledgers through .xlsx: export a county's ledger in the form's shape, and
import one back.

An import is all or nothing. Every problem in the file is collected (cell values, repeated
numbers, references to missing visits, rows that may not change) and reported together with
its Excel row and column; if there is any, nothing is written. A row whose 序号 is already in
the county's ledger updates that row; a blank 序号 takes the next free number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.audit.services import Actor, EventSpec, record_events
from sunshine.errors import Invalid
from sunshine.ledgers import scope
from sunshine.ledgers.cells import chinese_date
from sunshine.ledgers.checklist import CURRENT_EDITION
from sunshine.ledgers.checklist_services import CHECKLIST_WRITERS, checklist_edition, entry_ref
from sunshine.ledgers.models import ChecklistEntry, InspectionVisit, LedgerRow, Rectification
from sunshine.ledgers.queries import checklist_entries, county_name, ledger_rows
from sunshine.ledgers.services import (
    apply_values,
    ledger_spec,
    next_number,
    object_ref,
    user_or_none,
)
from sunshine.ledgers.specs import LedgerSpec, audit_values, row_values
from sunshine.ledgers.xlsx_read import ParsedRow, Problem, read_checklist, read_ledger
from sunshine.ledgers.xlsx_write import checklist_workbook, ledger_workbook, unit_line

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

__all__ = ["export_checklist", "export_ledger", "import_checklist", "import_ledger"]


class ImportRejected(Invalid):
    """The file has problems; ``problems`` lists each with its row and column."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
        message = _("文件中有 %(n)s 处错误，未导入任何数据") % {"n": len(self.problems)}
        super().__init__(message, field="file")


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: list[int] = field(default_factory=list)  # numbers of the rows added
    updated: list[int] = field(default_factory=list)  # numbers of the rows changed
    unchanged: int = 0
    sha256: str = ""


@dataclass(frozen=True, slots=True)
class Export:
    filename: str
    data: bytes
    sha256: str


def _unit(region_code: str, actor: Actor, day: dt.date) -> str:
    name = county_name(region_code)
    unit = f"{name}教育局" if name else region_code
    if isinstance(actor, str):
        filler, phone = "", ""
    else:
        # Chinese names are written family name first.
        filler = f"{actor.last_name}{actor.first_name}".strip() or actor.get_username()
        phone = actor.phone or ""
    return unit_line(unit, filler, phone, chinese_date(day))


def _record_export(actor: Actor, kind: str, region_code: str, data: bytes, rows: int) -> str:
    sha256 = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        record_events(
            [
                EventSpec(
                    action=f"ledgers.{kind}.exported",
                    object_type=f"ledgers.{kind}",
                    object_id=region_code,
                    detail={"region_code": region_code, "rows": rows, "sha256": sha256},
                )
            ],
            actor=actor,
        )
    return sha256


def export_ledger(
    kind: str, region_code: str, *, actor: Actor, today: dt.date | None = None
) -> Export:
    """The county's ledger (voided rows left out) as the form's .xlsx; the file's digest is
    logged, so what was reported upward can be matched later."""
    spec = ledger_spec(kind)
    scope.require_read(actor, region_code)
    day = today or timezone.localdate()
    rows = [
        (r.number, row_values(spec, r))
        for r in ledger_rows(spec.kind, region_code, include_voided=False)
    ]
    data = ledger_workbook(spec, rows, _unit(region_code, actor, day))
    sha256 = _record_export(actor, spec.kind, region_code, data, len(rows))
    return Export(f"{spec.sheet}-{region_code}-{day:%Y%m%d}.xlsx", data, sha256)


def export_checklist(
    region_code: str,
    *,
    actor: Actor,
    today: dt.date | None = None,
    edition: str = CURRENT_EDITION,
) -> Export:
    checklist = checklist_edition(edition)
    scope.require_read(actor, region_code)
    day = today or timezone.localdate()
    answers = {
        n: (e.measures, e.conclusion) for n, e in checklist_entries(region_code, edition).items()
    }
    data = checklist_workbook(checklist, answers, _unit(region_code, actor, day))
    sha256 = _record_export(actor, "checklist", region_code, data, len(answers))
    return Export(f"对照检查表-{edition}-{region_code}-{day:%Y%m%d}.xlsx", data, sha256)


def _check_size(data: bytes) -> None:
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid(_("文件不能超过 5 MB"), field="file")


def _cross_check(
    spec: LedgerSpec,
    region_code: str,
    parsed: list[ParsedRow],
    existing: dict[int, LedgerRow],
    problems: list[Problem],
) -> dict[int, InspectionVisit]:
    """Problems only the database can reveal; returns the visits referred to, by number."""
    first_seen: dict[int, int] = {}
    for row in parsed:
        done = row.values.get("status") == Rectification.Status.DONE
        if row.values.get("completed_on") and not done and row.number not in existing:
            message = _("只有已完成的整改事项才能填写完成时间")
            problems.append(Problem(row.row, row.cells["completed_on"], "完成时间", message))
        if row.number is None:
            continue
        if row.number in first_seen:
            message = _("序号 %(n)s 与第 %(row)s 行重复") % {
                "n": row.number,
                "row": first_seen[row.number],
            }
            problems.append(Problem(row.row, "A", spec.headers[0], message))
            continue
        first_seen[row.number] = row.row
        current = existing.get(row.number)
        if current is None:
            continue
        if current.voided:
            message = _("序号 %(n)s 的记录已作废，不能再导入") % {"n": row.number}
            problems.append(Problem(row.row, "A", spec.headers[0], message))
            continue
        now = row_values(spec, current)
        for column in spec.columns:
            value = row.values.get(column.field, now[column.field])
            if column.kind == "choice" and value == "":
                continue  # a blank choice keeps the current value
            if column.state and value != now[column.field]:
                message = _("已有记录的“%(h)s”只能通过整改完成或回头看更改") % {
                    "h": _(column.header)
                }
                problems.append(Problem(row.row, row.cells[column.field], column.header, message))
    visits: dict[int, InspectionVisit] = {}
    refs = [c for c in spec.columns if c.kind == "visit"]
    if refs:
        wanted: set[int] = {
            row.values[c.field]
            for row in parsed
            for c in refs
            if row.values.get(c.field) is not None
        }
        found = InspectionVisit.objects.filter(
            region_code=region_code, number__in=wanted, voided_at__isnull=True
        )
        visits = {v.number: v for v in found}
        for row in parsed:
            for column in refs:
                number = row.values.get(column.field)
                if number is not None and number not in visits:
                    message = _("走访台账中没有序号为 %(n)s 的有效走访") % {"n": number}
                    problems.append(
                        Problem(row.row, row.cells[column.field], column.header, message)
                    )
    return visits


def import_ledger(kind: str, region_code: str, data: bytes, *, actor: Actor) -> ImportResult:
    """Load a ledger file into the county's ledger, or raise ImportRejected with every problem."""
    spec = ledger_spec(kind)
    scope.require_write(actor, region_code, spec.writers)
    _check_size(data)
    sha256 = hashlib.sha256(data).hexdigest()
    parsed, problems = read_ledger(spec, data)
    with transaction.atomic():
        counter = next_number(region_code, spec.kind)
        numbers = [r.number for r in parsed if r.number is not None]
        existing = {
            r.number: r
            for r in spec.manager()
            .select_for_update()
            .filter(region_code=region_code, number__in=numbers)
        }
        visits = _cross_check(spec, region_code, parsed, existing, problems)
        if problems:
            raise ImportRejected(problems)
        now, user = timezone.now(), user_or_none(actor)
        last = max([counter.last_number, *numbers])
        events: list[EventSpec] = []
        created: list[LedgerRow] = []
        changed: list[LedgerRow] = []
        unchanged = 0
        for item in parsed:
            current = existing.get(item.number) if item.number is not None else None
            if current is None:
                if item.number is None:
                    last += 1
                number = item.number or last
                row = spec.model(
                    region_code=region_code,
                    number=number,
                    created_at=now,
                    created_by=user,
                    updated_at=now,
                    updated_by=user,
                )
                apply_values(row, spec, item.values, visits)
                created.append(row)
                events.append(
                    EventSpec(
                        f"ledgers.{spec.kind}.created",
                        f"ledgers.{spec.kind}",
                        object_ref(region_code, number),
                        after=audit_values(row_values(spec, row)),
                        detail={"region_code": region_code, "number": number, "import": sha256},
                    )
                )
                continue
            before = row_values(spec, current)
            apply_values(current, spec, item.values, visits)
            after = row_values(spec, current)
            fields = sorted(k for k in after if after[k] != before[k])
            if not fields:
                unchanged += 1
                continue
            current.updated_at, current.updated_by = now, user
            changed.append(current)
            events.append(
                EventSpec(
                    f"ledgers.{spec.kind}.updated",
                    f"ledgers.{spec.kind}",
                    object_ref(region_code, current.number),
                    before=audit_values(before),
                    after=audit_values(after),
                    detail={
                        "region_code": region_code,
                        "number": current.number,
                        "fields": fields,
                        "import": sha256,
                    },
                )
            )
        spec.manager().bulk_create(created)
        if changed:
            names = [c.field for c in spec.columns] + ["updated_at", "updated_by"]
            spec.manager().bulk_update(changed, names)
        counter.last_number = max([last, *(r.number for r in created)])
        counter.save(update_fields=["last_number"])
        result = ImportResult(
            sorted(r.number for r in created), sorted(r.number for r in changed), unchanged, sha256
        )
        events.append(
            EventSpec(
                f"ledgers.{spec.kind}.imported",
                f"ledgers.{spec.kind}",
                region_code,
                detail={
                    "region_code": region_code,
                    "sha256": sha256,
                    "created": len(result.created),
                    "updated": len(result.updated),
                    "unchanged": unchanged,
                },
            )
        )
        record_events(events, actor=actor)
    return result


def import_checklist(
    region_code: str, data: bytes, *, actor: Actor, edition: str = CURRENT_EDITION
) -> ImportResult:
    """Fill the county's checklist from a file of the form; evidence files are untouched."""
    checklist = checklist_edition(edition)
    scope.require_write(actor, region_code, CHECKLIST_WRITERS)
    _check_size(data)
    sha256 = hashlib.sha256(data).hexdigest()
    parsed, problems = read_checklist(checklist, data)
    if problems:
        raise ImportRejected(problems)
    with transaction.atomic():
        entries = {
            e.item_no: e
            for e in ChecklistEntry.objects.select_for_update().filter(
                region_code=region_code, edition=edition
            )
        }
        now, user = timezone.now(), user_or_none(actor)
        events: list[EventSpec] = []
        created: list[int] = []
        updated: list[int] = []
        unchanged = 0
        for item in parsed:
            after = {"measures": item.measures, "conclusion": item.conclusion}
            entry = entries.get(item.item_no)
            if entry is None:
                if not (item.measures or item.conclusion):
                    unchanged += 1  # a blank row of the form: nothing to record
                    continue
                ChecklistEntry.objects.create(
                    region_code=region_code,
                    edition=edition,
                    item_no=item.item_no,
                    created_at=now,
                    created_by=user,
                    updated_at=now,
                    updated_by=user,
                    **after,
                )
                before = None
                created.append(item.item_no)
            else:
                before = {"measures": entry.measures, "conclusion": entry.conclusion}
                if before == after:
                    unchanged += 1
                    continue
                entry.measures, entry.conclusion = item.measures, item.conclusion
                entry.updated_at, entry.updated_by = now, user
                entry.save()
                updated.append(item.item_no)
            events.append(
                EventSpec(
                    "ledgers.checklist.filled",
                    "ledgers.checklist",
                    entry_ref(region_code, edition, item.item_no),
                    before=before,
                    after=after,
                    detail={
                        "region_code": region_code,
                        "edition": edition,
                        "item": item.item_no,
                        "import": sha256,
                    },
                )
            )
        events.append(
            EventSpec(
                "ledgers.checklist.imported",
                "ledgers.checklist",
                region_code,
                detail={
                    "region_code": region_code,
                    "edition": edition,
                    "sha256": sha256,
                    "created": len(created),
                    "updated": len(updated),
                    "unchanged": unchanged,
                },
            )
        )
        record_events(events, actor=actor)
    return ImportResult(created, updated, unchanged, sha256)
