"""The roll-up queries other apps build on: counts per ledger and status, overdue and reopened
rectifications, checklist progress; and which counties a user sees."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sunshine.accounts.models import Role
from sunshine.ledgers import services
from sunshine.ledgers.checklist_services import attach_evidence, fill_checklist_item
from sunshine.ledgers.queries import counties_visible_to, county_summary, region_summaries
from tests.ledgers.builders import HOME, OTHER, People, add, add_problem
from tests.portal.factories import make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 8, 10)


def test_an_empty_county_has_every_ledger_at_zero(people: People) -> None:
    summary = county_summary("330199", today=TODAY)
    assert set(summary.ledgers) == {"clue", "violation", "rectification", "visit", "visit_problem"}
    assert all(c.active == c.voided == 0 for c in summary.ledgers.values())
    assert (summary.checklist.items, summary.checklist.concluded) == (26, 0)
    assert not summary.checklist.complete


def test_county_summary_counts(people: People) -> None:
    add("clue", people.admin)
    add("clue", people.admin)
    services.void_row("clue", HOME, 1, actor=people.admin, reason="重复")
    for deadline in ("2024-07-31", "2024-08-31", "2024-07-01"):
        add("rectification", people.admin, deadline=deadline)
    services.complete_rectification(HOME, 3, actor=people.admin)  # overdue no more
    services.complete_rectification(HOME, 2, actor=people.admin)
    services.follow_up_rectification(HOME, 2, actor=people.supervisor, reopen=True, note="未到位")
    visit = add("visit", people.inspector)
    add_problem(people.inspector, visit.number, status="已完成")
    add_problem(people.inspector, visit.number)
    fill_checklist_item(HOME, 1, actor=people.admin, measures="已划片", conclusion="已落实")
    fill_checklist_item(HOME, 2, actor=people.admin, measures="在做", conclusion="")
    attach_evidence(HOME, 2, actor=people.admin, upload=SimpleUploadedFile("a.pdf", b"%PDF"))
    attach_evidence(HOME, 2, actor=people.admin, upload=SimpleUploadedFile("b.pdf", b"%PDF2"))

    summary = county_summary(HOME, today=TODAY)
    clue = summary.ledgers["clue"]
    assert (clue.active, clue.voided, clue.by_status) == (1, 1, {})
    rect = summary.ledgers["rectification"]
    assert rect.active == 3
    assert rect.by_status == {"in_progress": 1, "reopened": 1, "done": 1}
    assert summary.rectification_overdue == 1  # item 1: due 07-31, still in progress
    assert summary.rectification_reopened == 1
    assert summary.ledgers["visit_problem"].by_status == {"done": 1, "in_progress": 1}
    progress = summary.checklist
    assert (progress.concluded, progress.with_measures, progress.with_evidence) == (1, 2, 1)
    data = summary.as_dict()
    assert data["checklist"]["complete"] is False
    assert data["ledgers"]["rectification"]["by_status"]["reopened"] == 1


def test_several_counties_side_by_side(people: People) -> None:
    add("clue", people.admin)
    add("clue", people.other_admin, region=OTHER)
    add("clue", people.other_admin, region=OTHER)
    for item in range(1, 27):
        fill_checklist_item(
            OTHER, item, actor=people.other_admin, measures="", conclusion="无此问题"
        )
    rows = region_summaries([OTHER, HOME, OTHER], today=TODAY)
    assert [r.region_code for r in rows] == [OTHER, HOME]
    assert [r.ledgers["clue"].active for r in rows] == [2, 1]
    assert [r.checklist.complete for r in rows] == [True, False]


def test_counties_a_user_sees(people: People) -> None:
    add("clue", people.other_admin, region=OTHER)
    assert counties_visible_to(people.admin) == [(HOME, "示范县")]
    assert counties_visible_to(people.inspector) == [(HOME, "示范县")]
    assert counties_visible_to(people.supervisor) == [(HOME, "示范县"), (OTHER, "邻县")]
    services.create_row("clue", "330188", actor="system", values={"summary": "无招生季的县"})
    assert (("330188", "")) in counties_visible_to(people.supervisor)
    assert counties_visible_to(people.far_supervisor) == []
    assert counties_visible_to(people.school_staff) == []
    nowhere = make_user(Role.SUPERVISOR, "nowhere", region_code="")
    assert counties_visible_to(nowhere) == []
