"""The campaign ledgers' pages and API (/staff/ledgers/, /api/ledgers/). Every action targets
county A; the rows it needs (a clue, a completed rectification, an evidence file) are made
inside it by the system actor, in the test's rolled-back transaction."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import override_settings

from sunshine.ledgers import services
from sunshine.ledgers.checklist_services import attach_evidence
from sunshine.ledgers.models import ChecklistEvidence
from sunshine.ledgers.specs import SPECS
from sunshine.ledgers.xlsx_services import export_checklist, export_ledger
from tests.role_matrix.framework import COUNTY_A_READERS, Action, Attempt, page
from tests.role_matrix.world import COUNTY_A

SYSTEM = "cli:matrix"
A = COUNTY_A
BUREAU_A = frozenset({"bureau_reviewer", "bureau_admin"})
# The clue, violation and inspection-visit ledgers are kept with the county's inspector.
WRITERS_A = {
    kind: BUREAU_A | ({"inspector"} if "inspector" in spec.writers else set())
    for kind, spec in SPECS.items()
}
# Everyone who keeps or oversees ledgers somewhere sees the index (of their own counties).
LEDGER_STAFF = frozenset(
    {
        "bureau_reviewer",
        "bureau_admin",
        "bureau_admin_other_county",
        "inspector",
        "inspector_other_county",
        "supervisor",
        "supervisor_other_city",
    }
)
MEDIA = Path(tempfile.gettempdir()) / "sunshine-role-matrix-media"

VALUES: dict[str, dict[str, Any]] = {
    "clue": {"source": "来电", "summary": "反映收取共建费"},
    "violation": {"violator": "城东小学", "behaviour": "组织入学测试"},
    "rectification": {
        "issue": "热线未公布",
        "measures": "官网公布",
        "owner": "基础教育股",
        "deadline": "2024-07-31",
    },
    "visit": {"visit_date": "2024-07-10", "unit": "城东小学", "method": "covert"},
    "visit_problem": {"description": "电话无人接听", "status": "in_progress"},
}


def _values(kind: str) -> dict[str, Any]:
    """Values for a new row of ``kind`` in county A (a problem gets a visit to hang on)."""
    values = dict(VALUES[kind])
    if kind == "visit_problem":
        values["visit"] = services.create_row(
            "visit", A, actor=SYSTEM, values=VALUES["visit"]
        ).number
    return values


def _row(kind: str) -> int:
    return services.create_row(kind, A, actor=SYSTEM, values=_values(kind)).number


def _done_rectification() -> int:
    number = _row("rectification")
    services.complete_rectification(A, number, actor=SYSTEM)
    return number


def _evidence() -> ChecklistEvidence:
    upload = SimpleUploadedFile("matrix.pdf", b"%PDF-1.4 matrix")
    with override_settings(MEDIA_ROOT=str(MEDIA)):
        return attach_evidence(A, 1, actor=SYSTEM, upload=upload)


def _xlsx(kind: str) -> SimpleUploadedFile:
    """County A's ledger as exported (with one row), to import back unchanged."""
    _row(kind)
    return SimpleUploadedFile(f"{kind}.xlsx", export_ledger(kind, A, actor=SYSTEM).data)


def _form(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _json(a: Attempt, method: str, path: str, body: Any) -> HttpResponseBase:
    send = getattr(a.client, method)
    response: HttpResponseBase = send(path, json.dumps(body), content_type="application/json")
    return response


def _download(a: Attempt, path: str) -> HttpResponseBase:
    with override_settings(MEDIA_ROOT=str(MEDIA)):
        return a.get(path)


def _ledger_actions(kind: str) -> list[Action]:
    slug = SPECS[kind].slug
    pages = f"/staff/ledgers/{A}/{slug}"
    api = f"/api/ledgers/{A}/{slug}"
    writers = WRITERS_A[kind]
    op = f"api:ledgers_{kind}"

    def create_page(a: Attempt) -> HttpResponseBase:
        return a.post(f"{pages}/new/", _form(_values(kind)))

    def edit_page(a: Attempt) -> HttpResponseBase:
        number = _row(kind)
        return a.post(f"{pages}/{number}/", _form({**_values(kind), "remarks": "改"}))

    def void_page(a: Attempt) -> HttpResponseBase:
        return a.post(f"{pages}/{_row(kind)}/void/", {"reason": "重复"})

    def import_page(a: Attempt) -> HttpResponseBase:
        return a.post(f"{pages}/import/", {"file": _xlsx(kind)})

    def api_create(a: Attempt) -> HttpResponseBase:
        return _json(a, "post", api, _values(kind))

    def api_update(a: Attempt) -> HttpResponseBase:
        first = SPECS[kind].editable[1 if kind == "visit_problem" else 0]
        change = {first.field: "2024-07-11" if first.kind == "date" else "改过"}
        return _json(a, "patch", f"{api}/{_row(kind)}", change)

    def api_void(a: Attempt) -> HttpResponseBase:
        return _json(a, "post", f"{api}/{_row(kind)}/void", {"reason": "重复"})

    def api_import(a: Attempt) -> HttpResponseBase:
        return a.post(f"{api}/import", {"file": _xlsx(kind)})

    def edit_form(a: Attempt) -> HttpResponseBase:
        return a.get(f"{pages}/{_row(kind)}/")

    return [
        page(f"ledgers: the {kind} list", f"{pages}/", COUNTY_A_READERS, "ledgers:list"),
        page(
            f"ledgers: the {kind} export",
            f"{pages}/export.xlsx",
            COUNTY_A_READERS,
            "ledgers:export",
        ),
        page(f"ledgers: the new {kind} form", f"{pages}/new/", writers, "ledgers:create"),
        page(f"ledgers: the {kind} import form", f"{pages}/import/", writers, "ledgers:import"),
        Action(f"ledgers: view a {kind}", edit_form, COUNTY_A_READERS, ("ledgers:edit",)),
        Action(f"ledgers: add a {kind}", create_page, writers, ("ledgers:create",)),
        Action(f"ledgers: change a {kind}", edit_page, writers, ("ledgers:edit",)),
        Action(f"ledgers: void a {kind}", void_page, writers, ("ledgers:void",)),
        Action(f"ledgers: import the {kind} ledger", import_page, writers, ("ledgers:import",)),
        page(f"api: list the {kind} ledger", f"{api}", COUNTY_A_READERS, f"{op}_list"),
        page(
            f"api: export the {kind} ledger", f"{api}/export.xlsx", COUNTY_A_READERS, f"{op}_export"
        ),
        Action(f"api: add a {kind}", api_create, writers, (f"{op}_create",)),
        Action(f"api: change a {kind}", api_update, writers, (f"{op}_update",)),
        Action(f"api: void a {kind}", api_void, writers, (f"{op}_void",)),
        Action(f"api: import the {kind} ledger", api_import, writers, (f"{op}_import",)),
    ]


def _complete(
    path: Callable[[int], str], body: dict[str, Any], json_body: bool
) -> Callable[[Attempt], HttpResponseBase]:
    def perform(a: Attempt) -> HttpResponseBase:
        target = path(_row("rectification"))
        return _json(a, "post", target, body) if json_body else a.post(target, body)

    return perform


def _follow_up(
    path: Callable[[int], str], json_body: bool
) -> Callable[[Attempt], HttpResponseBase]:
    def perform(a: Attempt) -> HttpResponseBase:
        target = path(_done_rectification())
        if json_body:
            return _json(a, "post", target, {"reopen": True, "note": "未到位"})
        return a.post(target, {"outcome": "reopen", "note": "未到位", "reviewed_on": "2024-08-20"})

    return perform


def _checklist_item(a: Attempt) -> HttpResponseBase:
    data = {"item3-measures": "已纳入", "item3-conclusion": "已落实"}
    return a.post(f"/staff/ledgers/{A}/checklist/3/", data)


def _checklist_import(api: bool) -> Callable[[Attempt], HttpResponseBase]:
    def perform(a: Attempt) -> HttpResponseBase:
        data = export_checklist(A, actor=SYSTEM).data
        path = (
            f"/api/ledgers/{A}/checklist/import" if api else f"/staff/ledgers/{A}/checklist/import/"
        )
        return a.post(path, {"file": SimpleUploadedFile("checklist.xlsx", data)})

    return perform


def _evidence_download(a: Attempt) -> HttpResponseBase:
    return _download(a, f"/staff/ledgers/{A}/evidence/{_evidence().pk}/")


def _evidence_void(api: bool) -> Callable[[Attempt], HttpResponseBase]:
    def perform(a: Attempt) -> HttpResponseBase:
        pk = _evidence().pk
        if api:
            return _json(
                a, "post", f"/api/ledgers/{A}/checklist/evidence/{pk}/void", {"reason": "错传"}
            )
        return a.post(f"/staff/ledgers/{A}/evidence/{pk}/void/", {"reason": "错传"})

    return perform


def _api_evidence(a: Attempt) -> HttpResponseBase:
    upload = SimpleUploadedFile("matrix.png", b"\x89PNG matrix")
    with override_settings(MEDIA_ROOT=str(MEDIA)):
        return a.post(f"/api/ledgers/{A}/checklist/4/evidence", {"file": upload})


ACTIONS: list[Action] = [
    page("ledgers: the index", "/staff/ledgers/", LEDGER_STAFF, "ledgers:home"),
    page("ledgers: county A's index", f"/staff/ledgers/{A}/", COUNTY_A_READERS, "ledgers:county"),
    *(action for kind in SPECS for action in _ledger_actions(kind)),
    Action(
        "ledgers: complete a rectification",
        _complete(
            lambda n: f"/staff/ledgers/{A}/rectifications/{n}/complete/",
            {"completed_on": "2024-07-30"},
            False,
        ),
        BUREAU_A,
        ("ledgers:rectification_complete",),
    ),
    Action(
        "ledgers: follow up a rectification",
        _follow_up(lambda n: f"/staff/ledgers/{A}/rectifications/{n}/follow-up/", False),
        COUNTY_A_READERS,
        ("ledgers:rectification_follow_up",),
    ),
    Action(
        "api: complete a rectification",
        _complete(lambda n: f"/api/ledgers/{A}/rectifications/{n}/complete", {}, True),
        BUREAU_A,
        ("api:ledgers_rectification_complete",),
    ),
    Action(
        "api: follow up a rectification",
        _follow_up(lambda n: f"/api/ledgers/{A}/rectifications/{n}/follow-up", True),
        COUNTY_A_READERS,
        ("api:ledgers_rectification_follow_up",),
    ),
    page(
        "ledgers: the checklist",
        f"/staff/ledgers/{A}/checklist/",
        COUNTY_A_READERS,
        "ledgers:checklist",
    ),
    page(
        "ledgers: the checklist export",
        f"/staff/ledgers/{A}/checklist/export.xlsx",
        COUNTY_A_READERS,
        "ledgers:checklist_export",
    ),
    page(
        "ledgers: the checklist import form",
        f"/staff/ledgers/{A}/checklist/import/",
        BUREAU_A,
        "ledgers:checklist_import",
    ),
    Action(
        "ledgers: fill a checklist item", _checklist_item, BUREAU_A, ("ledgers:checklist_item",)
    ),
    Action(
        "ledgers: import the checklist",
        _checklist_import(False),
        BUREAU_A,
        ("ledgers:checklist_import",),
    ),
    Action(
        "ledgers: download an evidence file",
        _evidence_download,
        COUNTY_A_READERS,
        ("ledgers:evidence",),
    ),
    Action(
        "ledgers: void an evidence file",
        _evidence_void(False),
        BUREAU_A,
        ("ledgers:evidence_void",),
    ),
    page("api: the ledger counties", "/api/ledgers/counties", LEDGER_STAFF, "api:ledgers_counties"),
    page(
        "api: county A's ledger summary",
        f"/api/ledgers/{A}/summary",
        COUNTY_A_READERS,
        "api:ledgers_summary",
    ),
    page(
        "api: county A's checklist",
        f"/api/ledgers/{A}/checklist",
        COUNTY_A_READERS,
        "api:ledgers_checklist",
    ),
    Action(
        "api: fill a checklist item",
        lambda a: _json(
            a, "put", f"/api/ledgers/{A}/checklist/5", {"measures": "未发现", "conclusion": "无"}
        ),
        BUREAU_A,
        ("api:ledgers_checklist_fill",),
    ),
    Action(
        "api: download checklist evidence",
        lambda a: _download(a, f"/api/ledgers/{A}/checklist/evidence/{_evidence().pk}"),
        COUNTY_A_READERS,
        ("api:ledgers_checklist_evidence_file",),
    ),
    Action(
        "api: attach checklist evidence",
        _api_evidence,
        BUREAU_A,
        ("api:ledgers_checklist_evidence",),
    ),
    Action(
        "api: void checklist evidence",
        _evidence_void(True),
        BUREAU_A,
        ("api:ledgers_checklist_evidence_void",),
    ),
    page(
        "api: export the checklist",
        f"/api/ledgers/{A}/checklist/export.xlsx",
        COUNTY_A_READERS,
        "api:ledgers_checklist_export",
    ),
    Action(
        "api: import the checklist",
        _checklist_import(True),
        BUREAU_A,
        ("api:ledgers_checklist_import",),
    ),
]
