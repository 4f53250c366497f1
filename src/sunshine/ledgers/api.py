"""JSON API of the ledgers app (mounted under /api/ledgers/ by sunshine.config.api).

Every action of the pages, through the same services: list, add, change and void rows of each
ledger; complete and 回头看 a rectification; fill the checklist and attach evidence; export
and import the .xlsx forms. Each ledger's schemas are generated from its columns (specs.py),
so the API, the pages and the spreadsheets always have the same fields.
"""

# No ``from __future__ import annotations`` here: django-ninja reads the handlers' annotations
# at import time, and the per-ledger schemas below exist only as values.
import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import create_model

from sunshine.ledgers import checklist_services, scope, services, xlsx_services
from sunshine.ledgers.checklist import load_checklist
from sunshine.ledgers.checklist_views import evidence_response
from sunshine.ledgers.models import ChecklistEntry, ChecklistEvidence, LedgerRow
from sunshine.ledgers.queries import (
    checklist_entries,
    counties_visible_to,
    county_summary,
    ledger_rows,
    region_summaries,
)
from sunshine.ledgers.specs import SPECS, LedgerSpec, extra_values, row_values
from sunshine.ledgers.views import xlsx_response

router = Router(tags=["ledgers"], auth=django_auth)

_TYPES: dict[str, Any] = {"text": str, "date": dt.date | None, "choice": str, "visit": int}
_EXTRA_TYPES: dict[str, Any] = {"case_code": str, "clue": int | None}


def _schemas(spec: LedgerSpec) -> tuple[type[Schema], type[Schema], type[Schema]]:
    """(create body, change body, row out) for one ledger."""
    name = "".join(part.title() for part in spec.kind.split("_"))
    create: dict[str, Any] = {}
    change: dict[str, Any] = {}
    out: dict[str, Any] = {"number": (int, ...)}
    for column in spec.columns:
        kind = _TYPES[column.kind]
        out[column.field] = (kind, ...)
        # State columns may be sent (a client echoing a row back); the service refuses a change.
        change[column.field] = (kind | None, None)
        if column.state:
            continue
        required = column.required or column.kind == "visit"
        default = ... if required else (None if column.kind == "date" else "")
        create[column.field] = (kind, default)
    for extra in spec.extras:
        kind = _EXTRA_TYPES[extra]
        create[extra] = (kind, None if extra == "clue" else "")
        change[extra] = (kind | None, None)
        out[extra] = (kind, ...)
    out.update(
        voided=(bool, ...),
        void_reason=(str, ...),
        created_at=(dt.datetime, ...),
        updated_at=(dt.datetime, ...),
    )
    return (
        create_model(f"{name}In", __base__=Schema, **create),
        create_model(f"{name}Change", __base__=Schema, **change),
        create_model(f"{name}Out", __base__=Schema, **out),
    )


def _row_out(spec: LedgerSpec, row: LedgerRow) -> dict[str, Any]:
    return {
        "number": row.number,
        **row_values(spec, row),
        **extra_values(spec, row),
        "voided": row.voided,
        "void_reason": row.void_reason,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def _split(spec: LedgerSpec, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    values = {k: v for k, v in body.items() if k not in spec.extras}
    extras = {k: v for k, v in body.items() if k in spec.extras}
    return values, extras


class ReasonIn(Schema):
    reason: str


class ProblemOut(Schema):
    row: int | None
    column: str | None
    header: str | None
    message: str


class ImportOut(Schema):
    created: list[int]
    updated: list[int]
    unchanged: int
    sha256: str


class ImportRejectedOut(Schema):
    error: str
    message: str
    problems: list[ProblemOut]


def _rejected(e: xlsx_services.ImportRejected) -> Status[dict[str, Any]]:
    body = {**e.as_json(), "problems": [p.as_json() for p in e.problems]}
    return Status(422, body)


ROW_OUT: dict[str, type[Schema]] = {}


def _mount(spec: LedgerSpec) -> None:
    create_in, change_in, row_out = _schemas(spec)
    ROW_OUT[spec.kind] = row_out
    base = f"/{{region}}/{spec.slug}"
    op = f"ledgers_{spec.kind}"
    title = spec.kind.replace("_", " ") + " ledger"

    @router.get(
        base,
        response=list[row_out],  # type: ignore[valid-type]
        operation_id=f"{op}_list",
        summary=f"List the rows of the {title}",
    )
    def list_rows(request: HttpRequest, region: str) -> list[dict[str, Any]]:
        scope.require_read(request.user, region)
        return [_row_out(spec, r) for r in ledger_rows(spec.kind, region)]

    @router.post(
        base,
        response={201: row_out},
        operation_id=f"{op}_create",
        summary=f"Add a row to the {title}",
    )
    def create(request: HttpRequest, region: str, payload: create_in) -> Status[Any]:  # type: ignore[valid-type]
        values, extras = _split(spec, payload.dict())  # type: ignore[attr-defined]
        row = services.create_row(
            spec.kind, region, actor=request.user, values=values, extras=extras
        )
        return Status(201, _row_out(spec, row))

    @router.patch(
        f"{base}/{{int:number}}",
        response=row_out,
        operation_id=f"{op}_update",
        summary=f"Change a row of the {title}",
    )
    def update(request: HttpRequest, region: str, number: int, payload: change_in) -> Any:  # type: ignore[valid-type]
        values, extras = _split(spec, payload.dict(exclude_unset=True))  # type: ignore[attr-defined]
        row = services.update_row(
            spec.kind, region, number, actor=request.user, changes=values, extras=extras
        )
        return _row_out(spec, row)

    @router.post(
        f"{base}/{{int:number}}/void",
        response=row_out,
        operation_id=f"{op}_void",
        summary=f"Void a row of the {title}",
    )
    def void(request: HttpRequest, region: str, number: int, payload: ReasonIn) -> Any:
        row = services.void_row(
            spec.kind, region, number, actor=request.user, reason=payload.reason
        )
        return _row_out(spec, row)

    @router.get(
        f"{base}/export.xlsx",
        operation_id=f"{op}_export",
        summary=f"Export the {title} as the official .xlsx form",
    )
    def export(request: HttpRequest, region: str) -> HttpResponse:
        return xlsx_response(xlsx_services.export_ledger(spec.kind, region, actor=request.user))

    @router.post(
        f"{base}/import",
        response={200: ImportOut, 422: ImportRejectedOut},
        operation_id=f"{op}_import",
        summary=f"Import the {title} from an .xlsx of the form; all or nothing",
    )
    def import_file(request: HttpRequest, region: str, file: File[UploadedFile]) -> Any:
        try:
            return xlsx_services.import_ledger(spec.kind, region, file.read(), actor=request.user)
        except xlsx_services.ImportRejected as e:
            return _rejected(e)


for _spec in SPECS.values():
    _mount(_spec)


class CompleteIn(Schema):
    completed_on: dt.date | None = None


class FollowUpIn(Schema):
    reopen: bool
    note: str
    reviewed_on: dt.date | None = None


class ReviewOut(Schema):
    reviewed_on: dt.date
    reopened: bool
    note: str


@router.post(
    "/{region}/rectifications/{int:number}/complete",
    response=ROW_OUT["rectification"],
    operation_id="ledgers_rectification_complete",
    summary="Mark a rectification item done",
)
def complete_rectification(
    request: HttpRequest, region: str, number: int, payload: CompleteIn
) -> Any:
    row = services.complete_rectification(
        region, number, actor=request.user, on=payload.completed_on
    )
    return _row_out(SPECS["rectification"], row)


@router.post(
    "/{region}/rectifications/{int:number}/follow-up",
    response=ReviewOut,
    operation_id="ledgers_rectification_follow_up",
    summary="Record a follow-up review (回头看) of a completed item: confirm or reopen",
)
def follow_up_rectification(
    request: HttpRequest, region: str, number: int, payload: FollowUpIn
) -> Any:
    return services.follow_up_rectification(
        region,
        number,
        actor=request.user,
        reopen=payload.reopen,
        note=payload.note,
        on=payload.reviewed_on,
    )


class CountyOut(Schema):
    region_code: str
    name: str
    summary: dict[str, Any]


@router.get(
    "/counties",
    response=list[CountyOut],
    operation_id="ledgers_counties",
    summary="The counties whose ledgers you may read, each with its summary",
)
def counties(request: HttpRequest) -> list[dict[str, Any]]:
    scope.require_ledger_staff(request.user)
    names = dict(counties_visible_to(request.user))
    return [
        {"region_code": s.region_code, "name": names[s.region_code], "summary": s.as_dict()}
        for s in region_summaries(names)
    ]


@router.get(
    "/{region}/summary",
    operation_id="ledgers_summary",
    summary="Counts per ledger and status, and checklist progress, of a county",
)
def summary(request: HttpRequest, region: str) -> dict[str, Any]:
    """Counts per ledger and status, overdue and reopened rectifications, checklist progress."""
    scope.require_read(request.user, region)
    return county_summary(region).as_dict()


class EvidenceOut(Schema):
    id: int
    name: str
    sha256: str
    size: int
    uploaded_at: dt.datetime
    voided: bool


class ChecklistItemOut(Schema):
    number: int
    group: str
    text: str
    measures: str
    conclusion: str
    evidence: list[EvidenceOut]


class ChecklistOut(Schema):
    edition: str
    title: str
    items: list[ChecklistItemOut]


class ChecklistFillIn(Schema):
    measures: str = ""
    conclusion: str = ""


def _evidence_out(e: ChecklistEvidence) -> dict[str, Any]:
    return {
        "id": e.pk,
        "name": e.name,
        "sha256": e.sha256,
        "size": e.size,
        "uploaded_at": e.uploaded_at,
        "voided": e.voided_at is not None,
    }


def _item_out(region: str, item_no: int, entry: ChecklistEntry | None) -> dict[str, Any]:
    item = load_checklist().item(item_no)
    assert item is not None
    return {
        "number": item.number,
        "group": item.group,
        "text": item.text,
        "measures": entry.measures if entry else "",
        "conclusion": entry.conclusion if entry else "",
        "evidence": [_evidence_out(e) for e in entry.evidence.all()] if entry else [],
    }


@router.get(
    "/{region}/checklist",
    response=ChecklistOut,
    operation_id="ledgers_checklist",
    summary="The county's checklist: every item with its answer and evidence files",
)
def checklist(request: HttpRequest, region: str) -> dict[str, Any]:
    scope.require_read(request.user, region)
    current = load_checklist()
    entries = checklist_entries(region)
    return {
        "edition": current.edition,
        "title": current.title,
        "items": [_item_out(region, i.number, entries.get(i.number)) for i in current.items],
    }


@router.put(
    "/{region}/checklist/{int:item_no}",
    response=ChecklistItemOut,
    operation_id="ledgers_checklist_fill",
    summary="Write the measures taken and the conclusion of a checklist item",
)
def fill_checklist_item(
    request: HttpRequest, region: str, item_no: int, payload: ChecklistFillIn
) -> dict[str, Any]:
    entry = checklist_services.fill_checklist_item(
        region,
        item_no,
        actor=request.user,
        measures=payload.measures,
        conclusion=payload.conclusion,
    )
    return _item_out(region, item_no, entry)


@router.post(
    "/{region}/checklist/{int:item_no}/evidence",
    response={201: EvidenceOut},
    operation_id="ledgers_checklist_evidence",
    summary="Attach an evidence file to a checklist item (its SHA-256 is logged)",
)
def attach_evidence(
    request: HttpRequest, region: str, item_no: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    evidence = checklist_services.attach_evidence(region, item_no, actor=request.user, upload=file)
    return Status(201, _evidence_out(evidence))


@router.get(
    "/{region}/checklist/evidence/{int:pk}",
    operation_id="ledgers_checklist_evidence_file",
    summary="Download an evidence file (always as an attachment)",
)
def evidence_file(request: HttpRequest, region: str, pk: int) -> FileResponse:
    scope.require_read(request.user, region)
    return evidence_response(region, pk)


@router.post(
    "/{region}/checklist/evidence/{int:pk}/void",
    operation_id="ledgers_checklist_evidence_void",
    summary="Void an evidence file, with a reason",
)
def void_evidence(request: HttpRequest, region: str, pk: int, payload: ReasonIn) -> dict[str, bool]:
    checklist_services.void_evidence(region, pk, actor=request.user, reason=payload.reason)
    return {"voided": True}


@router.get(
    "/{region}/checklist/export.xlsx",
    operation_id="ledgers_checklist_export",
    summary="Export the checklist as the official .xlsx form",
)
def export_checklist(request: HttpRequest, region: str) -> HttpResponse:
    return xlsx_response(xlsx_services.export_checklist(region, actor=request.user))


@router.post(
    "/{region}/checklist/import",
    response={200: ImportOut, 422: ImportRejectedOut},
    operation_id="ledgers_checklist_import",
    summary="Fill the checklist from an .xlsx of the form; all or nothing",
)
def import_checklist(request: HttpRequest, region: str, file: File[UploadedFile]) -> Any:
    try:
        return xlsx_services.import_checklist(region, file.read(), actor=request.user)
    except xlsx_services.ImportRejected as e:
        return _rejected(e)
