"""The pages: public form and status, staff list, case page with its steps, hotline entry and
the answers page; field-level errors next to the field."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from sunshine.audit.checkpoints import publish_checkpoint
from sunshine.oversight.models import AnswerTemplate, Case
from tests.oversight.conftest import REGION, People, approved_template, new_case
from tests.portal.html_text import visible_text


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_public_form_receives_an_anonymous_complaint_and_shows_its_status(
    people: People,
) -> None:
    client = Client()
    form = client.get("/complaints/")
    assert form.status_code == 200
    assert "示范县（330110）" in form.content.decode()
    response = client.post(
        "/complaints/",
        {
            "kind": "complaint",
            "category": "outside_platform",
            "region_code": REGION,
            "summary": "学校在平台外提前登记学生",
            "anonymous": "on",
            "reporter_name": "不应保存",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{case.code}/"
    assert case.channel == "web"
    assert case.anonymous
    status = visible_text(client.get(response["Location"]).content.decode())
    assert "已接收" in status
    assert case.code in status
    assert "学校在平台外" not in status
    assert "不应保存" not in status


def test_the_public_form_shows_errors_beside_the_field(people: People) -> None:
    response = Client().post(
        "/complaints/",
        {"kind": "complaint", "category": "other", "region_code": REGION, "summary": "x",
         "reporter_name": ""},
    )  # fmt: skip
    assert response.status_code == 422
    assert "a named report needs a name or a contact" in response.content.decode()
    assert Case.objects.count() == 0


def test_status_lookup_and_a_missing_code(people: People, case: Case) -> None:
    client = Client()
    found = client.get("/complaints/status/", {"code": case.code.lower()})
    assert found.status_code == 302
    assert found["Location"] == f"/complaints/{case.code}/"
    assert client.get("/complaints/TS-NOPE/").status_code == 404


def test_the_receipt_proves_the_case_was_logged(people: People, case: Case) -> None:
    client = Client()
    assert client.get(f"/complaints/{case.code}/receipt.json").status_code == 409
    assert client.get(f"/api/cases/status/{case.code}/receipt").status_code == 409
    publish_checkpoint(actor="test")
    receipt = client.get(f"/complaints/{case.code}/receipt.json").json()
    event = json.loads(receipt["event"])
    assert event["action"] == "case.received"
    assert event["object"] == {"type": "case", "id": case.code}
    assert client.get(f"/api/cases/status/{case.code}/receipt").json() == receipt


def test_the_staff_list_is_scoped_and_school_staff_see_nothing(people: People) -> None:
    mine = new_case()
    theirs = new_case(region_code="330120")
    page = _client(people.admin2).get("/staff/cases/").content.decode()
    assert mine.code in page
    assert theirs.code not in page
    assert _client(people.other_admin).get(f"/staff/cases/{mine.code}/").status_code == 404
    assert _client(people.school_staff).get("/staff/cases/").status_code == 403
    assert _client(people.parent).get("/staff/cases/").status_code == 403
    assert Client().get("/staff/cases/").status_code == 302  # to the login page


def test_the_case_page_shows_clocks_and_runs_the_steps(people: People, case: Case) -> None:
    client = _client(people.admin)
    page = visible_text(client.get(f"/staff/cases/{case.code}/").content.decode())
    assert "受理告知" in page
    assert "截止" in page
    assert "受理决定" in page
    assert "信访工作条例" in page  # the clock cites its source
    response = client.post(f"/staff/cases/{case.code}/decide/", {"accept": "1", "reason": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    template = approved_template(people)
    page = client.get(f"/staff/cases/{case.code}/").content.decode()
    assert template.title in page  # offered in the reply form
    client.post(f"/staff/cases/{case.code}/reply/", {"template": template.pk, "note": "已退费"})
    client.post(f"/staff/cases/{case.code}/close/", {"satisfaction": "satisfied"})
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == (Case.Status.CLOSED, "satisfied")


def test_a_refused_step_shows_its_message_on_the_page(people: People, case: Case) -> None:
    response = _client(people.admin2).post(
        f"/staff/cases/{case.code}/decide/", {"accept": "0", "reason": ""}
    )
    assert response.status_code == 422
    assert "say why the case is declined" in response.content.decode()
    assert (
        _client(people.reviewer)
        .post(f"/staff/cases/{case.code}/decide/", {"accept": "1"})
        .status_code
        == 403
    )


def test_hotline_entry_sets_the_arrival_time_from_the_call(people: People) -> None:
    client = _client(people.admin)
    assert client.get("/staff/cases/hotline/").status_code == 200
    response = client.post(
        "/staff/cases/hotline/",
        {
            "channel": "hotline",
            "received_at": "2025-09-20T15:30",
            "kind": "petition",
            "category": "over_plan",
            "region_code": REGION,
            "summary": "学校超计划招生",
            "reporter_name": "来电人",
            "reporter_contact": "13600000000",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/cases/{case.code}/"
    assert case.received_at.isoformat() == "2025-09-20T07:30:00+00:00"
    assert not case.anonymous


def test_the_answers_page_drafts_approves_and_counts(people: People) -> None:
    _client(people.reviewer).post(
        "/staff/cases/templates/",
        {"region_prefix": REGION, "category": "key_classes", "title": "快慢班", "body": "禁止"},
    )
    template = AnswerTemplate.objects.get()
    assert template.status == "draft"
    page = _client(people.admin).get("/staff/cases/templates/").content.decode()
    assert "快慢班" in page
    assert "审定" in page
    _client(people.admin).post(f"/staff/cases/templates/{template.pk}/approve/")
    template.refresh_from_db()
    assert template.status == "approved"
    assert template.approved_by == people.admin
    refused = _client(people.reviewer).post(f"/staff/cases/templates/{template.pk}/retire/")
    assert refused.status_code == 403


@pytest.mark.parametrize(
    "url", ["/staff/cases/", "/staff/cases/hotline/", "/staff/cases/templates/"]
)
def test_staff_pages_render_in_english_too(people: People, url: str) -> None:
    client = _client(people.admin)
    client.cookies["django_language"] = "en"
    assert client.get(url).status_code == 200
