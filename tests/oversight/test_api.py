"""The JSON API runs the same services as the pages."""

from __future__ import annotations

from django.test import Client

from sunshine.oversight.models import AnswerTemplate, Case
from tests.oversight.conftest import REGION, People, new_case


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_public_intake_never_acts_as_the_signed_in_user(people: People) -> None:
    body = {
        "kind": "complaint",
        "category": "key_classes",
        "summary": "快慢班",
        "region_code": REGION,
    }
    response = _client(people.admin).post(
        "/api/cases/public", body, content_type="application/json"
    )
    assert response.status_code == 201
    case = Case.objects.get(code=response.json()["code"])
    assert case.channel == "api"
    assert case.anonymous
    bad = Client().post(
        "/api/cases/public", {**body, "category": "nope"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert bad.json() == {
        "error": "invalid",
        "message": "unknown category 'nope'",
        "field": "category",
    }
    status = Client().get(f"/api/cases/status/{case.code}").json()
    assert status["status"] == "received"
    assert status["clocks"][0]["name"] == "acceptance"
    assert "summary" not in status


def test_a_family_objects_through_the_api_and_rates_the_answer(
    people: People, county: object
) -> None:
    parent = _client(people.parent)
    response = parent.post(
        "/api/cases/",
        {
            "kind": "objection",
            "category": "admission_result",
            "summary": "对调剂结果有异议",
            "region_code": REGION,
            "channel": "family",
            "application_code": f"{REGION}-A1",
            "anonymous": False,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    reviewer = _client(people.reviewer)
    assert (
        reviewer.post(
            f"/api/cases/{code}/decision", {"accept": True}, content_type="application/json"
        ).status_code
        == 200
    )
    draft = (
        _client(people.reviewer)
        .post(
            "/api/cases/templates",
            {
                "region_prefix": REGION,
                "category": "admission_result",
                "title": "异议答复",
                "body": "经复核……",
            },
            content_type="application/json",
        )
        .json()
    )
    assert (
        _client(people.admin).post(f"/api/cases/templates/{draft['id']}/approve").json()["status"]
        == "approved"
    )
    replied = reviewer.post(
        f"/api/cases/{code}/reply", {"template_id": draft["id"]}, content_type="application/json"
    )
    assert replied.json()["status"] == "replied"
    closed = parent.post(
        f"/api/cases/{code}/close", {"satisfaction": "satisfied"}, content_type="application/json"
    )
    assert closed.status_code == 200
    assert closed.json()["satisfaction"] == "satisfied"
    assert AnswerTemplate.objects.get().usage_count == 1
    # The family reads nothing else of the staff API.
    assert parent.get(f"/api/cases/{code}").status_code == 404
    assert parent.get("/api/cases/").json() == []


def test_every_step_has_an_endpoint(people: People) -> None:
    case = new_case(anonymous=False, reporter_name="某人")
    admin, admin2 = _client(people.admin), _client(people.admin2)

    def post(client: Client, step: str, body: dict[str, object]) -> dict[str, object]:
        response = client.post(
            f"/api/cases/{case.code}/{step}", body, content_type="application/json"
        )
        assert response.status_code == 200, (step, response.content)
        return response.json()

    post(admin, "decision", {"accept": True})
    assert post(admin2, "extension", {"days": 10, "reason": "复杂"})["extension_days"] == 10
    assert (
        post(admin2, "reassign", {"handler_id": people.reviewer.pk, "reason": "分工"})[
            "reassign_count"
        ]
        == 1
    )
    assert (
        post(admin2, "transfer", {"disposition": "shelve", "receiver_id": people.inspector.pk})[
            "status"
        ]
        == "transferred"
    )
    template = (
        _client(people.reviewer)
        .post(
            "/api/cases/templates",
            {
                "region_prefix": REGION,
                "category": "admission_fees",
                "title": "收费",
                "body": "不得收费",
            },
            content_type="application/json",
        )
        .json()
    )
    admin.post(f"/api/cases/templates/{template['id']}/approve")
    inspector = _client(people.inspector)
    post(inspector, "reply", {"template_id": template["id"]})
    post(admin2, "close", {"satisfaction": "unsatisfied"})
    post(inspector, "feedback", {"note": "已电话反馈"})
    assert post(admin2, "reopen", {"reason": "不满意"})["reopen_count"] == 1
    listed = admin2.get("/api/cases/").json()
    assert [c["code"] for c in listed] == [case.code]
    assert admin2.get("/api/cases/export.xlsx").content.startswith(b"PK")
    assert (
        _client(people.other_admin)
        .post(f"/api/cases/{case.code}/reopen", {"reason": "x"}, content_type="application/json")
        .status_code
        == 404
    )
    assert Client().get("/api/cases/").status_code == 401
