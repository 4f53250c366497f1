"""The 26-item checklist: its data, filling it, evidence files and their digests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed, NotFound
from sunshine.ledgers.checklist import load_checklist
from sunshine.ledgers.checklist_services import attach_evidence, fill_checklist_item, void_evidence
from sunshine.ledgers.models import ChecklistEntry, ChecklistEvidence
from sunshine.ledgers.queries import evidence_intact
from tests.ledgers.builders import HOME, People

PDF = b"%PDF-1.4 minimal evidence"


def test_the_2024_checklist_has_26_items_in_5_groups() -> None:
    checklist = load_checklist("2024")
    assert checklist.title == "义务教育阳光招生专项行动对照检查表"
    assert [(g.name, len(g.items)) for g in checklist.groups] == [
        ("优化招生入学政策措施", 4),
        ("严格规范招生行为", 6),
        ("强化招生信息公开", 3),
        ("优化招生入学流程", 6),
        ("保障特殊群体入学", 7),
    ]
    assert [i.number for i in checklist.items] == list(range(1, 27))
    assert checklist.item(1).text == "学校划片招生范围是否科学合理"  # type: ignore[union-attr]
    assert checklist.item(10).text == "是否设立或变相设立重点班、快慢班"  # type: ignore[union-attr]
    assert checklist.item(27) is None
    assert checklist.item(0) is None
    assert all(i.text_en and i.text_en != i.text for i in checklist.items)
    assert checklist.item(3).label("en").startswith("Are all")  # type: ignore[union-attr]


def test_an_unknown_edition_is_refused() -> None:
    for edition in ("2019", "../2024", ""):
        with pytest.raises(ValueError, match="no checklist edition"):
            load_checklist(edition)


@pytest.mark.django_db
def test_fill_an_item_and_change_it(people: People) -> None:
    entry = fill_checklist_item(
        HOME, 1, actor=people.admin, measures="印发《招生工作方案》", conclusion="已落实"
    )
    assert (entry.edition, entry.item_no, entry.created_by) == ("2024", 1, people.admin)
    fill_checklist_item(
        HOME, 1, actor=people.reviewer, measures="印发《招生工作方案》", conclusion="已落实"
    )
    fill_checklist_item(
        HOME, 1, actor=people.reviewer, measures="印发方案并公示", conclusion="已落实"
    )
    entry.refresh_from_db()
    assert (entry.measures, entry.updated_by) == ("印发方案并公示", people.reviewer)
    events = list(AuditEvent.objects.filter(action="ledgers.checklist.filled"))
    assert len(events) == 2  # the unchanged save in between records nothing
    assert events[0].object_id == f"{HOME}:2024:1"
    assert "招生工作方案" not in events[0].canonical


@pytest.mark.django_db
def test_fill_is_checked(people: People) -> None:
    with pytest.raises(NotFound):
        fill_checklist_item(HOME, 27, actor=people.admin, measures="", conclusion="")
    with pytest.raises(Invalid) as caught:
        fill_checklist_item(HOME, 2, actor=people.admin, measures="x" * 2001, conclusion="")
    assert caught.value.field == "measures"
    for actor in (people.inspector, people.supervisor, people.other_admin, people.school_staff):
        with pytest.raises(NotAllowed):
            fill_checklist_item(HOME, 2, actor=actor, measures="x", conclusion="y")
    assert not ChecklistEntry.objects.exists()


@pytest.mark.django_db
def test_evidence_is_stored_once_and_its_digest_logged(people: People, media_root: Path) -> None:
    first = attach_evidence(
        HOME, 7, actor=people.admin, upload=SimpleUploadedFile("张三缴费收据.pdf", PDF)
    )
    second = attach_evidence(
        HOME, 7, actor=people.admin, upload=SimpleUploadedFile("副本.PDF", PDF)
    )
    digest = hashlib.sha256(PDF).hexdigest()
    assert first.sha256 == second.sha256 == digest
    assert first.file.name == second.file.name == f"ledgers/evidence/{HOME}/{digest}.pdf"
    assert (media_root / first.file.name).read_bytes() == PDF
    assert first.size == len(PDF)
    event = AuditEvent.objects.filter(action="ledgers.checklist.evidence_attached").first()
    assert event is not None
    detail = json.loads(event.canonical)["detail"]
    assert (detail["sha256"], detail["size"], detail["item"]) == (digest, len(PDF), 7)
    assert "张三" not in event.canonical
    assert evidence_intact(first)


@pytest.mark.django_db
def test_a_swapped_file_is_detected(people: People, media_root: Path) -> None:
    evidence = attach_evidence(HOME, 3, actor=people.admin, upload=SimpleUploadedFile("a.pdf", PDF))
    (media_root / evidence.file.name).write_bytes(b"%PDF-1.4 something else")
    assert not evidence_intact(evidence)
    (media_root / evidence.file.name).unlink()
    assert not evidence_intact(evidence)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("page.html", b"<script>", "不支持"), ("empty.pdf", b"", "为空"), ("noext", b"x", "不支持")],
)
def test_bad_evidence_is_refused(people: People, name: str, content: bytes, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        attach_evidence(HOME, 1, actor=people.admin, upload=SimpleUploadedFile(name, content))
    assert not ChecklistEvidence.objects.exists()


@pytest.mark.django_db
def test_fill_with_a_bad_file_saves_neither(people: People) -> None:
    with pytest.raises(Invalid):
        fill_checklist_item(
            HOME,
            4,
            actor=people.admin,
            measures="已制定",
            conclusion="已落实",
            upload=SimpleUploadedFile("x.exe", b"MZ"),
        )
    assert not ChecklistEntry.objects.exists()
    assert not AuditEvent.objects.exists()
    entry = fill_checklist_item(
        HOME,
        4,
        actor=people.admin,
        measures="已制定",
        conclusion="已落实",
        upload=SimpleUploadedFile("方案.docx", b"PK docx"),
    )
    assert entry.evidence.count() == 1


@pytest.mark.django_db
def test_void_evidence_keeps_the_file(people: People, media_root: Path) -> None:
    evidence = attach_evidence(
        HOME, 5, actor=people.admin, upload=SimpleUploadedFile("a.png", b"png")
    )
    with pytest.raises(NotAllowed):
        void_evidence(HOME, evidence.pk, actor=people.inspector, reason="x")
    with pytest.raises(NotFound):
        void_evidence("330120", evidence.pk, actor="system", reason="x")
    void_evidence(HOME, evidence.pk, actor=people.admin, reason="上传错了")
    evidence.refresh_from_db()
    assert evidence.voided_at is not None
    assert evidence.void_reason == "上传错了"
    assert (media_root / evidence.file.name).exists()
    with pytest.raises(Conflict):
        void_evidence(HOME, evidence.pk, actor=people.admin, reason="again")
    event = AuditEvent.objects.get(action="ledgers.checklist.evidence_voided")
    assert evidence.sha256 in event.canonical
