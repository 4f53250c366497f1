"""A named reporter's identity reaches the designated handler and no one else: not the lists,
the export, the API, Open311, the public status page, nor the audit log."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.test import Client

from sunshine.audit.models import AuditEvent
from sunshine.errors import NotAllowed, NotFound
from sunshine.oversight import casework, exports, services
from sunshine.oversight.models import Case, Reporter
from tests.oversight.conftest import People, new_case

NAME = "王秘密"
PHONE = "13812345678"


@pytest.fixture
def named(people: People) -> Case:
    return new_case(anonymous=False, reporter_name=NAME, reporter_contact=PHONE)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _leaks(text: str) -> bool:
    return NAME in text or PHONE in text


def test_the_identity_is_stored_apart_from_the_case(named: Case) -> None:
    reporter = Reporter.objects.get(case=named)
    assert (reporter.name, reporter.contact) == (NAME, PHONE)
    assert not any(_leaks(str(v)) for v in Case.objects.filter(pk=named.pk).values().get().values())


def test_an_anonymous_reporters_typed_name_is_never_stored(people: People) -> None:
    case = new_case(anonymous=True, reporter_name=NAME, reporter_contact=PHONE)
    assert not Reporter.objects.filter(case=case).exists()


def test_staff_pages_and_the_api_show_no_identity_to_a_non_handler(
    people: People, named: Case
) -> None:
    assert named.handler == people.admin
    for user in (people.admin2, people.supervisor, people.inspector):
        client = _client(user)
        for url in (
            "/staff/cases/",
            f"/staff/cases/{named.code}/",
            "/api/cases/",
            f"/api/cases/{named.code}",
        ):
            response = client.get(url)
            assert response.status_code == 200, (user, url)
            assert not _leaks(response.content.decode()), (user, url)
        assert client.get(f"/api/cases/{named.code}/reporter").status_code == 403
        assert client.post(f"/staff/cases/{named.code}/identity/").status_code == 403


def test_the_export_holds_no_identity(people: People, named: Case) -> None:
    data = exports.export_cases(actor=people.admin)  # even the handler's export
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert named.code in cells
    assert not any(_leaks(c) for c in cells)


def test_public_status_open311_and_the_audit_log_hold_no_identity(named: Case) -> None:
    client = Client()
    for url in (
        f"/complaints/{named.code}/",
        f"/api/cases/status/{named.code}",
        f"/open311/v2/requests/{named.code}.json",
        "/open311/v2/requests.json",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert named.code in body
        assert not _leaks(body), url
        assert named.summary not in body, url  # the reporter's own words stay in
    events = AuditEvent.objects.filter(object_id=named.code)
    assert events.exists()
    assert not any(_leaks(e.canonical) for e in events)


def test_only_the_handler_reads_the_identity_and_each_read_is_logged(
    people: People, named: Case
) -> None:
    for user in (people.admin2, people.supervisor, people.reviewer, people.parent):
        with pytest.raises(NotAllowed):
            casework.reporter_identity(named, actor=user)
    with pytest.raises(NotAllowed):
        casework.reporter_identity(named, actor="cli:root")
    identity = casework.reporter_identity(named, actor=people.admin)
    assert (identity.name, identity.contact) == (NAME, PHONE)
    response = _client(people.admin).get(f"/api/cases/{named.code}/reporter")
    assert response.json() == {"name": NAME, "contact": PHONE, "account": ""}
    page = _client(people.admin).post(f"/staff/cases/{named.code}/identity/")
    assert NAME in page.content.decode()
    views = AuditEvent.objects.filter(object_id=named.code, action="case.identity_viewed")
    assert views.count() == 3
    assert json.loads(views.first().canonical)["actor"] == f"user:{people.admin.pk}"  # type: ignore[union-attr]


def test_after_reassignment_only_the_new_handler_reads_it(people: People, named: Case) -> None:
    casework.reassign_case(named, actor=people.admin2, handler=people.reviewer, reason="分工")
    with pytest.raises(NotAllowed):
        casework.reporter_identity(named, actor=people.admin)
    assert casework.reporter_identity(named, actor=people.reviewer).name == NAME


def test_an_anonymous_case_has_no_identity_to_read(people: People, case: Case) -> None:
    with pytest.raises(NotFound, match="anonymously"):
        casework.reporter_identity(case, actor=people.admin)


def test_the_families_stable_entry_point_keeps_the_parents_account_private(
    people: People,
) -> None:
    case = services.submit_case(
        actor=people.parent,
        kind="complaint",
        category="key_classes",
        summary="学校按成绩分快慢班",
        region_code="330110",
        channel="family",
        anonymous=False,
        reporter_name=NAME,
    )
    response = _client(people.admin2).get(f"/api/cases/{case.code}")
    assert "parent" not in response.content.decode()
    assert casework.reporter_identity(case, actor=people.admin).account == "parent"
