"""The JSON API's OpenAPI schema: it is served, every operation is described, and every action a
page offers has an operation (issue #5, item 5).

``PAGE_OPERATIONS`` is the list we maintain: each page's URL name and the API operations that do
what the page does (or why it needs none). A new page must be added here, with its operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatch
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.no_postgres_rerun

# URL name -> operation ids of /api/openapi.json, or a str saying why the page needs none.
PAGE_OPERATIONS: dict[str, tuple[str, ...] | str] = {
    # The public portal
    "portal:home": ("public_seasons", "public_policy", "public_schools", "public_zones"),
    "portal:zones_geojson": ("public_zones",),
    "portal:schools_geojson": ("public_schools",),
    "portal:policy": ("public_policy",),
    "portal:policy_toml": ("public_policy",),
    "portal:schools": ("public_schools",),
    "portal:hotlines": ("public_hotlines",),
    "portal:address_lookup": ("public_address_lookup",),
    "portal:publication_index": ("public_publications",),
    "portal:publication_version": ("public_publication_version",),
    "portal:publication_rows_json": ("public_publication_version",),
    "portal:publication_diff": ("public_publication_diff",),
    "portal:audit_checkpoints": ("audit_checkpoints",),
    "portal:audit_checkpoints_json": ("audit_checkpoints",),
    "portal:audit_receipt": ("audit_verify_receipt",),
    "portal:audit_events": ("audit_events",),
    # The public lottery pages
    "ceremony:list": ("public_ceremonies",),
    "ceremony:detail": ("public_ceremony",),
    "ceremony:transcript": ("public_ceremony_transcript",),
    "ceremony:number": ("public_lottery_number",),
    "ceremony:verifier": "a download of the stand-alone verifier program, not data",
    # Staff reading applications
    "admissions:application_list": ("staff_seasons", "staff_schools", "staff_applications"),
    # Plans and zones, class assignment, the dashboard (planning)
    "planning:home": ("planning_overview",),
    "planning:plan_change_create": ("planning_plan_change_create",),
    "planning:plan_change_withdraw": ("planning_plan_change_withdraw",),
    "planning:apply_due": ("planning_apply_due",),
    "planning:zone_change_new": ("planning_zone_change_create",),
    "planning:zone_change": ("planning_zone_change",),
    "planning:zone_change_publish": ("planning_zone_change_publish",),
    "planning:zone_change_withdraw": ("planning_zone_change_withdraw",),
    "planning:public_changes": ("planning_public_changes",),
    "planning:public_change": ("planning_public_changes",),
    "planning:classes": ("classes_balance",),
    "planning:classes_run": ("classes_assign",),
    "analytics:dashboard": ("dashboard",),
    # The staff ceremony and staff publication pages (planning)
    "ceremony:staff": ("lottery_staff_ceremonies", "lottery_freeze"),
    "ceremony:staff_detail": ("lottery_staff_ceremony",),
    "ceremony:staff_step": (
        "lottery_announce",
        "lottery_witness_input",
        "lottery_beacon",
        "lottery_draw",
        "lottery_redraw",
        "lottery_publish",
        "lottery_run",
    ),
    "admissions:staff_publications": ("staff_publication_preview", "staff_publication_lists"),
    "admissions:staff_publish": ("staff_publish",),
    # The campaign ledgers (ledgers)
    "ledgers:home": ("ledgers_counties",),
    "ledgers:county": ("ledgers_summary",),
    "ledgers:list": (
        "ledgers_clue_list",
        "ledgers_violation_list",
        "ledgers_rectification_list",
        "ledgers_visit_list",
        "ledgers_visit_problem_list",
    ),
    "ledgers:create": (
        "ledgers_clue_create",
        "ledgers_violation_create",
        "ledgers_rectification_create",
        "ledgers_visit_create",
        "ledgers_visit_problem_create",
    ),
    "ledgers:edit": (
        "ledgers_clue_update",
        "ledgers_violation_update",
        "ledgers_rectification_update",
        "ledgers_visit_update",
        "ledgers_visit_problem_update",
    ),
    "ledgers:void": (
        "ledgers_clue_void",
        "ledgers_violation_void",
        "ledgers_rectification_void",
        "ledgers_visit_void",
        "ledgers_visit_problem_void",
    ),
    "ledgers:export": (
        "ledgers_clue_export",
        "ledgers_violation_export",
        "ledgers_rectification_export",
        "ledgers_visit_export",
        "ledgers_visit_problem_export",
    ),
    "ledgers:import": (
        "ledgers_clue_import",
        "ledgers_violation_import",
        "ledgers_rectification_import",
        "ledgers_visit_import",
        "ledgers_visit_problem_import",
    ),
    "ledgers:rectification_complete": ("ledgers_rectification_complete",),
    "ledgers:rectification_follow_up": ("ledgers_rectification_follow_up",),
    "ledgers:checklist": ("ledgers_checklist",),
    "ledgers:checklist_item": ("ledgers_checklist_fill", "ledgers_checklist_evidence"),
    "ledgers:checklist_export": ("ledgers_checklist_export",),
    "ledgers:checklist_import": ("ledgers_checklist_import",),
    "ledgers:evidence": ("ledgers_checklist_evidence_file",),
    "ledgers:evidence_void": ("ledgers_checklist_evidence_void",),
    # Accounts
    "accounts:login": "the API signs in with the same session: docs/api.md says how",
    "accounts:logout": "the API signs out with the same session: docs/api.md says how",
    "set_language": "a page setting; the API answers in the language of Accept-Language",
}
# Pages whose owners are still writing them: they add their entries above when done.
AWAITING = (
    "families:*",
    "review:*",
    "campaigns:*",
    "blacklist:*",
    "complaints:*",
    "open311:*",
    "oversight:*",
    "accounts:signup*",
)
NOT_PAGES = ("admin:*", "api:*")  # the Django admin; the API itself


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_the_schema_is_openapi_3_with_every_router(schema: dict[str, Any]) -> None:
    assert schema["openapi"].startswith("3.")
    prefixes = {path.split("/")[2] for path, _m, _o in _operations(schema)}
    assert {"public", "admissions", "audit"} <= prefixes


def test_every_operation_has_a_summary_a_tag_and_a_unique_id(schema: dict[str, Any]) -> None:
    ids = []
    for path, method, operation in _operations(schema):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), f"{where} has no summary"
        assert operation.get("tags"), f"{where} has no tag"
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_signed_in_operations_declare_the_session_and_public_ones_do_not(
    schema: dict[str, Any],
) -> None:
    for path, _method, operation in _operations(schema):
        secured = bool(operation.get("security"))
        if path.startswith("/api/admissions/") or path == "/api/audit/events":
            assert secured, path
        if path.startswith("/api/public/"):
            assert not secured, path


def _page_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _page_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_page_has_its_api_operations(schema: dict[str, Any]) -> None:
    operations = {o["operationId"] for _p, _m, o in _operations(schema)}
    pages = set(_page_names(get_resolver().url_patterns))
    unlisted = sorted(
        name
        for name in pages
        if name not in PAGE_OPERATIONS
        and not any(fnmatch(name, p) for p in (*AWAITING, *NOT_PAGES))
    )
    assert not unlisted, f"pages missing from PAGE_OPERATIONS: {unlisted}"
    gone = sorted(set(PAGE_OPERATIONS) - pages)
    assert not gone, f"PAGE_OPERATIONS lists pages that no longer exist: {gone}"
    for page, wanted in PAGE_OPERATIONS.items():
        if isinstance(wanted, str):
            assert wanted, f"{page}: say why it needs no operation"
            continue
        absent = [w for w in wanted if w not in operations]
        assert not absent, f"{page}: no such API operations {absent}"
