"""The JSON API under /api/ledgers/: the same services as the pages, as JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sunshine.ledgers.models import ChecklistEvidence, ProblemClue, Rectification
from tests.ledgers.builders import HOME, OTHER, SAMPLE, People, add, sheet_cells, workbook

pytestmark = pytest.mark.django_db
API = "/api/ledgers"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _json(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def test_create_list_update_void(people: People) -> None:
    client = _client(people.inspector)
    created = _json(client, "post", f"{API}/{HOME}/clues", {**SAMPLE["clue"], "case_code": "TS-9"})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["number"], body["summary"], body["case_code"], body["voided"]) == (
        1,
        SAMPLE["clue"]["summary"],
        "TS-9",
        False,
    )
    changed = _json(client, "patch", f"{API}/{HOME}/clues/1", {"result": "属实"})
    assert changed.status_code == 200
    assert (changed.json()["result"], changed.json()["source"]) == (
        "属实",
        SAMPLE["clue"]["source"],
    )
    listed = client.get(f"{API}/{HOME}/clues")
    assert [r["number"] for r in listed.json()] == [1]
    voided = _json(client, "post", f"{API}/{HOME}/clues/1/void", {"reason": "重复"})
    assert voided.json()["voided"] is True
    assert ProblemClue.objects.get().void_reason == "重复"


def test_errors_come_back_as_json_with_their_field(people: People) -> None:
    client = _client(people.admin)
    bad = _json(
        client,
        "post",
        f"{API}/{HOME}/rectifications",
        {**SAMPLE["rectification"], "deadline": None, "issue": ""},
    )
    assert bad.status_code == 422
    assert bad.json()["field"] in {"issue", "deadline"}
    forbidden = _json(
        _client(people.inspector), "post", f"{API}/{HOME}/rectifications", {"issue": "x"}
    )
    assert forbidden.status_code in (403, 422)
    other = _json(_client(people.other_admin), "post", f"{API}/{HOME}/clues", SAMPLE["clue"])
    assert other.status_code == 403
    assert other.json()["error"] == "forbidden"
    assert Client().get(f"{API}/{HOME}/clues").status_code == 401
    assert (
        _client(people.admin).get(f"{API}/{HOME}/clues/9").status_code == 405
    )  # no GET of one row
    missing = _json(client, "patch", f"{API}/{HOME}/clues/9", {"result": "x"})
    assert missing.status_code == 404


def test_a_write_by_a_reader_is_forbidden_before_validation(people: People) -> None:
    body = {**SAMPLE["rectification"], "deadline": "2024-07-31"}
    response = _json(_client(people.inspector), "post", f"{API}/{HOME}/rectifications", body)
    assert response.status_code == 403
    assert not Rectification.objects.exists()


def test_rectification_flow(people: People) -> None:
    client = _client(people.admin)
    body = {**SAMPLE["rectification"], "deadline": "2024-07-31"}
    assert _json(client, "post", f"{API}/{HOME}/rectifications", body).status_code == 201
    status = _json(client, "patch", f"{API}/{HOME}/rectifications/1", {"status": "done"})
    assert status.status_code == 422
    assert status.json()["field"] == "status"
    done = _json(
        client, "post", f"{API}/{HOME}/rectifications/1/complete", {"completed_on": "2024-07-30"}
    )
    assert (done.json()["status"], done.json()["completed_on"]) == ("done", "2024-07-30")
    review = _json(
        _client(people.supervisor),
        "post",
        f"{API}/{HOME}/rectifications/1/follow-up",
        {"reopen": True, "note": "未到位", "reviewed_on": "2024-08-20"},
    )
    assert review.json() == {"reviewed_on": "2024-08-20", "reopened": True, "note": "未到位"}
    again = _json(
        client, "post", f"{API}/{HOME}/rectifications/1/follow-up", {"reopen": False, "note": "x"}
    )
    assert again.status_code == 409
    summary = client.get(f"{API}/{HOME}/summary").json()
    assert summary["ledgers"]["rectification"]["by_status"] == {"reopened": 1}
    assert summary["rectification_reopened"] == 1


def test_visit_problem_links_by_number(people: People) -> None:
    client = _client(people.inspector)
    visit = {**SAMPLE["visit"], "visit_date": "2024-07-10"}
    assert _json(client, "post", f"{API}/{HOME}/visits", visit).status_code == 201
    problem = _json(
        client, "post", f"{API}/{HOME}/visit-problems", {"visit": 1, "description": "电话无人接听"}
    )
    assert problem.status_code == 201
    assert (problem.json()["visit"], problem.json()["status"]) == (1, "in_progress")
    bad = _json(client, "post", f"{API}/{HOME}/visit-problems", {"visit": 4, "description": "x"})
    assert (bad.status_code, bad.json()["field"]) == (422, "visit")


def test_checklist_fill_evidence_and_export(people: People) -> None:
    client = _client(people.reviewer)
    filled = _json(
        client,
        "put",
        f"{API}/{HOME}/checklist/11",
        {"measures": "官网公开", "conclusion": "已落实"},
    )
    assert filled.status_code == 200
    assert filled.json()["text"].startswith("是否通过互联网")
    upload = client.post(
        f"{API}/{HOME}/checklist/11/evidence",
        {"file": SimpleUploadedFile("公开截图.png", b"\x89PNG")},
    )
    assert upload.status_code == 201, upload.content
    assert len(upload.json()["sha256"]) == 64
    listing = client.get(f"{API}/{HOME}/checklist").json()
    assert len(listing["items"]) == 26
    assert listing["items"][10]["evidence"][0]["name"] == "公开截图.png"
    voided = _json(
        client,
        "post",
        f"{API}/{HOME}/checklist/evidence/{upload.json()['id']}/void",
        {"reason": "错传"},
    )
    assert voided.json() == {"voided": True}
    assert ChecklistEvidence.objects.get().voided_at is not None
    export = client.get(f"{API}/{HOME}/checklist/export.xlsx")
    assert sheet_cells(export.content)[13][3:] == ["官网公开", "已落实"]
    assert (
        _json(
            _client(people.inspector), "put", f"{API}/{HOME}/checklist/11", {"measures": "x"}
        ).status_code
        == 403
    )


def test_import_and_export_through_the_api(people: People) -> None:
    add("clue", people.admin)
    client = _client(people.admin)
    export = client.get(f"{API}/{HOME}/clues/export.xlsx")
    assert export.status_code == 200
    other = _client(people.other_admin)
    ok = other.post(
        f"{API}/{OTHER}/clues/import", {"file": SimpleUploadedFile("a.xlsx", export.content)}
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["created"] == [1]
    cells = sheet_cells(export.content)
    bad = workbook([*cells, [None, "来电", None, None, None, None]])
    rejected = other.post(
        f"{API}/{OTHER}/clues/import", {"file": SimpleUploadedFile("b.xlsx", bad)}
    )
    assert rejected.status_code == 422
    problems = rejected.json()["problems"]
    assert problems[0]["row"] == 5
    assert rejected.json()["error"] == "invalid"


def test_the_openapi_schema_lists_every_ledger(db: None) -> None:
    schema = Client().get("/api/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/ledgers/")]
    for slug in ("clues", "violations", "rectifications", "visits", "visit-problems"):
        assert f"/api/ledgers/{{region}}/{slug}" in paths
        assert f"/api/ledgers/{{region}}/{slug}/import" in paths
    assert "/api/ledgers/{region}/checklist/{item_no}" in paths


def test_counties_side_by_side_for_a_supervisor(people: People) -> None:
    add("clue", people.admin)
    rows = _client(people.supervisor).get(f"{API}/counties").json()
    assert [(r["region_code"], r["name"]) for r in rows] == [(HOME, "示范县"), (OTHER, "邻县")]
    assert [r["summary"]["ledgers"]["clue"]["active"] for r in rows] == [1, 0]
    own = _client(people.inspector).get(f"{API}/counties").json()
    assert [r["region_code"] for r in own] == [HOME]
    assert _client(people.school_staff).get(f"{API}/counties").status_code == 403


def test_evidence_download_through_the_api(people: People) -> None:
    client = _client(people.admin)
    made = client.post(
        f"{API}/{HOME}/checklist/1/evidence", {"file": SimpleUploadedFile("a.pdf", b"%PDF-x")}
    )
    pk = made.json()["id"]
    response = _client(people.supervisor).get(f"{API}/{HOME}/checklist/evidence/{pk}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-x"  # type: ignore[attr-defined]
    assert client.get(f"{API}/{OTHER}/checklist/evidence/{pk}").status_code == 403
