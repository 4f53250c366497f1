"""Evidence files and failed transactions: a file an upload wrote is deleted again when the
upload fails, and a file some row already names is never deleted.

The failure is real: a stray audit event takes the log's next sequence number, so the upload's
own event clashes with it (an IntegrityError) after its file has been written."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sunshine.audit.models import AuditEvent, AuditHead
from sunshine.ledgers.checklist_services import attach_evidence, fill_checklist_item
from sunshine.ledgers.models import ChecklistEntry, ChecklistEvidence
from sunshine.ledgers.queries import evidence_intact
from tests.ledgers.builders import HOME, People

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 minimal evidence"
PNG = b"\x89PNG evidence"


def _files(media_root: Path) -> list[Path]:
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def _on_disk(media_root: Path, evidence: ChecklistEvidence) -> Path:
    assert evidence.file.name
    return media_root / evidence.file.name


def _audit_log_refuses_the_next_event() -> AuditEvent:
    head, _ = AuditHead.objects.get_or_create(pk=1)
    return AuditEvent.objects.create(
        seq=head.next_seq,
        created_at=timezone.now(),
        actor="test",
        action="test.stray",
        object_type="test",
        object_id="stray",
        canonical="{}",
        leaf_hash="0" * 64,
    )


def test_a_failed_upload_leaves_no_file_behind(people: People, media_root: Path) -> None:
    _audit_log_refuses_the_next_event()
    with pytest.raises(IntegrityError):
        attach_evidence(HOME, 1, actor=people.admin, upload=SimpleUploadedFile("a.pdf", PDF))
    assert not ChecklistEvidence.objects.exists()
    assert _files(media_root) == []


def test_a_failed_fill_with_a_file_leaves_no_file_behind(people: People, media_root: Path) -> None:
    entry = fill_checklist_item(HOME, 4, actor=people.admin, measures="已制定", conclusion="已落实")
    _audit_log_refuses_the_next_event()
    with pytest.raises(IntegrityError):  # the answer is unchanged: only the file has an event
        fill_checklist_item(
            HOME,
            4,
            actor=people.admin,
            measures="已制定",
            conclusion="已落实",
            upload=SimpleUploadedFile("方案.docx", b"PK"),
        )
    assert list(ChecklistEntry.objects.all()) == [entry]
    assert not ChecklistEvidence.objects.exists()
    assert _files(media_root) == []


def test_a_failed_upload_keeps_the_file_another_row_names(people: People, media_root: Path) -> None:
    first = attach_evidence(HOME, 1, actor=people.admin, upload=SimpleUploadedFile("a.pdf", PDF))
    _audit_log_refuses_the_next_event()
    with pytest.raises(IntegrityError):
        attach_evidence(HOME, 2, actor=people.admin, upload=SimpleUploadedFile("b.pdf", PDF))
    assert list(ChecklistEvidence.objects.all()) == [first]
    assert _files(media_root) == [_on_disk(media_root, first)]
    assert evidence_intact(first)


def test_a_failed_upload_inside_a_longer_transaction_removes_only_its_own_file(
    people: People, media_root: Path
) -> None:
    with transaction.atomic():
        kept = attach_evidence(HOME, 1, actor=people.admin, upload=SimpleUploadedFile("a.pdf", PDF))
        stray = _audit_log_refuses_the_next_event()
        with pytest.raises(IntegrityError):
            attach_evidence(HOME, 2, actor=people.admin, upload=SimpleUploadedFile("b.png", PNG))
        assert _files(media_root) == [_on_disk(media_root, kept)]
        # The transaction goes on: the same file, uploaded again, is written afresh.
        stray.delete()
        again = attach_evidence(
            HOME, 2, actor=people.admin, upload=SimpleUploadedFile("b.png", PNG)
        )
    assert sorted(_files(media_root)) == sorted(
        [_on_disk(media_root, kept), _on_disk(media_root, again)]
    )
    assert evidence_intact(kept)
    assert evidence_intact(again)


class _Abandoned(Exception):
    pass


def test_a_file_left_by_a_rollback_around_the_service_is_reused(
    people: People, media_root: Path
) -> None:
    # Django has no rollback hook: the service cannot see a transaction around it roll back
    # after it returned, so that file stays; the next upload of the same content uses it.
    def upload_then_abandon() -> None:
        with transaction.atomic():
            attach_evidence(HOME, 1, actor=people.admin, upload=SimpleUploadedFile("a.pdf", PDF))
            raise _Abandoned

    with pytest.raises(_Abandoned):
        upload_then_abandon()
    assert not ChecklistEvidence.objects.exists()
    (left,) = _files(media_root)
    again = attach_evidence(HOME, 1, actor=people.admin, upload=SimpleUploadedFile("a.pdf", PDF))
    assert _files(media_root) == [left] == [_on_disk(media_root, again)]
    assert evidence_intact(again)


def test_on_postgres_the_file_name_stays_locked_until_the_transaction_ends(
    people: People, requires_postgres: None
) -> None:
    def advisory_locks() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks"
                " WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted"
            )
            (count,) = cursor.fetchone() or (0,)
            return int(count)

    before = advisory_locks()
    attach_evidence(HOME, 1, actor=people.admin, upload=SimpleUploadedFile("a.pdf", PDF))
    # The test's own transaction is still open: the lock is held until it ends.
    assert advisory_locks() == before + 1
