"""The JSON API: every action of the pages, the same refusals, errors as JSON with a field."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from sunshine.campaigns import blacklist
from sunshine.campaigns.models import BlacklistEntry, Task
from tests.campaigns.conftest import COUNTY, People

pytestmark = pytest.mark.django_db
API = "/api/campaigns"


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(API + path, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def admin(client: Client, people: People) -> Client:
    client.force_login(people.admin)
    return client


def current_campaign(admin: Client) -> dict[str, Any]:
    today = timezone.localdate()
    response = post(
        admin,
        "/",
        {
            "name": "阳光招生专项行动",
            "level": "county",
            "region_code": COUNTY,
            "starts_on": str(today - dt.timedelta(days=20)),
            "ends_on": str(today + dt.timedelta(days=40)),
        },
    )
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_a_campaign_its_phases_tasks_alerts_and_summary(admin: Client, people: People) -> None:
    today = timezone.localdate()
    campaign = current_campaign(admin)
    cid = campaign["id"]
    phase = post(
        admin,
        f"/{cid}/phases",
        {
            "name": "自查自纠",
            "starts_on": str(today - dt.timedelta(days=20)),
            "ends_on": str(today + dt.timedelta(days=5)),
        },
    )
    assert phase.status_code == 201
    late = post(
        admin,
        f"/{cid}/tasks",
        {
            "title": "建立问题台账",
            "responsible_unit": "各中小学",
            "deadline": str(today - dt.timedelta(days=2)),
            "phase_id": phase.json()["id"],
        },
    )
    assert late.status_code == 201
    assert late.json()["overdue"] is True
    assert late.json()["number"] == 1
    detail = admin.get(f"{API}/{cid}").json()
    assert detail["phases"][0]["state"] == "current"
    assert detail["counts"] == {"total": 1, "done": 0, "done_late": 0, "overdue": 1, "open": 1}
    alerts = post(admin, "/alerts").json()["alerted"]
    assert [a["number"] for a in alerts] == [1]
    assert post(admin, "/alerts").json()["alerted"] == []
    task_id = late.json()["id"]
    done = post(admin, f"/tasks/{task_id}/status", {"status": "done", "note": "已建立"})
    assert done.json()["late"] is True
    assert Task.objects.get(pk=task_id).status == "done"
    summary = admin.get(f"{API}/{cid}/summary").json()
    assert summary["scope"] == COUNTY
    assert summary["counts"]["done_late"] == 1
    assert [c["region_code"] for c in summary["counties"]] == [COUNTY]
    assert summary["counties"][0]["ledgers"]["clues"] == 0
    xlsx = admin.get(f"{API}/{cid}/summary.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book["概况"]["B1"].value == "阳光招生专项行动"
    listed = admin.get(f"{API}/").json()
    assert [c["id"] for c in listed] == [cid]


def test_errors_are_json_with_their_field(admin: Client, people: People) -> None:
    campaign = current_campaign(admin)
    bad = post(
        admin,
        f"/{campaign['id']}/tasks",
        {"title": "x", "responsible_unit": "y", "deadline": "2099-01-01"},
    )
    assert bad.status_code == 422
    assert bad.json() == {
        "error": "invalid",
        "message": bad.json()["message"],
        "field": "deadline",
    }
    wrong_phase = post(
        admin,
        f"/{campaign['id']}/tasks",
        {
            "title": "x",
            "responsible_unit": "y",
            "deadline": str(timezone.localdate()),
            "phase_id": 999,
        },
    )
    assert wrong_phase.json()["field"] == "phase_id"
    assert admin.get(f"{API}/999999").status_code == 404


def test_refusals_match_the_pages(client: Client, people: People) -> None:
    assert client.get(f"{API}/").status_code == 401
    client.force_login(people.parent)
    assert client.get(f"{API}/").status_code == 403
    client.force_login(people.inspector)
    assert client.get(f"{API}/").json() == []
    refused = post(
        client,
        "/",
        {
            "name": "x",
            "level": "county",
            "region_code": COUNTY,
            "starts_on": "2026-01-01",
            "ends_on": "2026-02-01",
        },
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"


def test_the_blacklist_lifecycle_through_the_api(client: Client, people: People) -> None:
    client.force_login(people.admin)
    created = post(
        client,
        "/blacklist/",
        {
            "subject": "principal",
            "school_name": "城东小学",
            "principal_name": "欧阳明辉",
            "violation": "组织入学考试",
            "legal_basis": "《义务教育法》第十二条",
            "objection_days": 3,
        },
    )
    assert created.status_code == 201
    entry_id = created.json()["id"]
    assert created.json()["status"] == "notified"
    objection = post(client, f"/blacklist/{entry_id}/objection", {"text": "并非本人组织"})
    assert objection.json()["status"] == "objected"
    decided = post(
        client,
        f"/blacklist/{entry_id}/objection-decision",
        {"upheld": False, "reason": "有录音为证"},
    )
    assert decided.json()["objection_outcome"] == "rejected"
    assert post(client, f"/blacklist/{entry_id}/publication-request").json()["status"] == "pending"
    same = post(client, f"/blacklist/{entry_id}/publication-decision", {"approve": True})
    assert same.status_code == 403
    client.force_login(people.admin2)
    approved = post(client, f"/blacklist/{entry_id}/publication-decision", {"approve": True})
    assert approved.json()["status"] == "published"
    early = post(client, f"/blacklist/{entry_id}/exit-review", {"passed": True, "review": "好"})
    assert early.status_code == 409
    client.logout()
    public = client.get(f"{API}/blacklist/public").json()
    assert [(p["school_name"], p["principal"]) for p in public] == [("城东小学", "欧**辉")]
    assert "欧阳明辉" not in json.dumps(public, ensure_ascii=False)
    client.force_login(people.inspector)
    assert [e["id"] for e in client.get(f"{API}/blacklist/").json()] == [entry_id]
    assert post(client, f"/blacklist/{entry_id}/withdraw", {"reason": "x"}).status_code == 403
    client.force_login(people.neighbour_admin)
    assert client.get(f"{API}/blacklist/{entry_id}").status_code == 404


def test_withdraw_and_school_lookup_through_the_api(client: Client, people: People) -> None:
    client.force_login(people.admin)
    missing = post(
        client,
        "/blacklist/",
        {"subject": "school", "school_id": 424242, "violation": "x", "legal_basis": "y"},
    )
    assert missing.status_code == 422
    assert missing.json()["field"] == "school_id"
    entry = blacklist.propose_entry(
        actor=people.admin,
        subject="school",
        school_name="育才民办小学",
        violation="超计划招生",
        legal_basis="十项严禁",
        now=timezone.now(),
    )
    withdrawn = post(client, f"/blacklist/{entry.pk}/withdraw", {"reason": "数据有误"})
    assert withdrawn.json()["status"] == BlacklistEntry.Status.WITHDRAWN
    assert client.get(f"{API}/blacklist/", {"status": "withdrawn"}).json()[0]["id"] == entry.pk
