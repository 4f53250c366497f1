"""Use cases on a county's checklist (对照检查表): fill an item; attach or void evidence.

An evidence file is stored once under its SHA-256 (content-addressed), and that digest goes
into the audit event, so a later 回头看 can prove the file shown is the file that was filed.

The file is written inside the transaction that records it, before the commit, so a committed
row never names a missing file. If that transaction fails, the file it wrote is deleted again
before the rollback (see :func:`_files_removed_on_error`); a file that was already on disk is
never deleted, as other rows may name it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.audit.services import Actor, personal_ref, record_event
from sunshine.errors import Conflict, Invalid, NotFound
from sunshine.ledgers import scope
from sunshine.ledgers.cells import CellError, as_text
from sunshine.ledgers.checklist import CURRENT_EDITION, Checklist, load_checklist
from sunshine.ledgers.models import ChecklistEntry, ChecklistEvidence
from sunshine.ledgers.services import clean_reason, user_or_none
from sunshine.ledgers.specs import BUREAU, LONG

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Documents and pictures a bureau files as evidence; never HTML or scripts, which a browser
# might run if the file were ever served inline.
EVIDENCE_SUFFIXES = frozenset(
    {".pdf", ".ofd", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".zip"}
)
CHECKLIST_WRITERS = BUREAU

__all__ = ["attach_evidence", "fill_checklist_item", "void_evidence"]


def checklist_edition(edition: str) -> Checklist:
    try:
        return load_checklist(edition)
    except ValueError:
        raise NotFound(_("没有该版本的对照检查表")) from None


def _check_item(checklist: Checklist, item_no: int) -> None:
    if checklist.item(item_no) is None:
        raise NotFound(_("对照检查表没有第 %(n)s 项") % {"n": item_no})


def entry_ref(region_code: str, edition: str, item_no: int) -> str:
    return f"{region_code}:{edition}:{item_no}"


def _locked_entry(
    region_code: str, edition: str, item_no: int, actor: Actor
) -> tuple[ChecklistEntry, bool]:
    now = timezone.now()
    user = user_or_none(actor)
    return ChecklistEntry.objects.select_for_update().get_or_create(
        region_code=region_code,
        edition=edition,
        item_no=item_no,
        defaults={"created_at": now, "created_by": user, "updated_at": now, "updated_by": user},
    )


def _text(value: object, field: str) -> str:
    try:
        return as_text(value, max_length=LONG, required=False)
    except CellError as e:
        raise Invalid(_(e.message) % e.params, field=field) from None


@dataclass(frozen=True, slots=True)
class _Upload:
    file: File
    name: str
    suffix: str
    sha256: str
    size: int


def _check_upload(upload: File) -> _Upload:
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix not in EVIDENCE_SUFFIXES:
        allowed = "、".join(sorted(EVIDENCE_SUFFIXES))
        raise Invalid(_("不支持该文件类型，可上传：%(types)s") % {"types": allowed}, field="file")
    if len(name) > 255:
        raise Invalid(_("文件名过长"), field="file")
    sha, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
        size += len(chunk)
    upload.seek(0)
    if size == 0:
        raise Invalid(_("文件为空"), field="file")
    if size > MAX_EVIDENCE_BYTES:
        raise Invalid(_("文件不能超过 20 MB"), field="file")
    return _Upload(upload, name, suffix, sha.hexdigest(), size)


def _evidence_storage() -> Storage:
    return ChecklistEvidence._meta.get_field("file").storage


@contextmanager
def _files_removed_on_error() -> Iterator[list[str]]:
    """Yield a list for the names of the evidence files a block writes; if the block raises,
    delete them. Enter it inside the transaction that records the files
    (``with transaction.atomic(), _files_removed_on_error() as written:``), so the files go
    before the rollback, while :func:`_hold` still keeps every other transaction from taking
    them up. Django has no rollback hook: a rollback the block cannot see (of a transaction
    around the service's, or at the commit itself) leaves the file, unreferenced, and the
    next upload of the same content uses it."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        storage = _evidence_storage()
        for name in written:
            with suppress(OSError):  # the block's own error is the one to report
                storage.delete(name)
        raise


def _hold(path: str) -> None:
    """Keep ``path`` to this transaction until it ends, so no other one finds a file this one
    wrote and may yet delete. SQLite needs nothing: its write transactions begin IMMEDIATE,
    one at a time. PostgreSQL takes a transaction-level advisory lock on the name."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _store(
    entry: ChecklistEntry, upload: _Upload, actor: Actor, written: list[str]
) -> ChecklistEvidence:
    """Save the file under its digest (once per county) and record it; inside the caller's
    transaction. A file this call writes is added to ``written`` (see
    :func:`_files_removed_on_error`); one already on disk is reused and never added."""
    storage = _evidence_storage()
    path = f"ledgers/evidence/{entry.region_code}/{upload.sha256}{upload.suffix}"
    _hold(path)
    if not storage.exists(path):
        path = storage.save(path, upload.file)
        written.append(path)
    evidence = ChecklistEvidence.objects.create(
        entry=entry,
        file=path,
        name=upload.name,
        sha256=upload.sha256,
        size=upload.size,
        uploaded_at=timezone.now(),
        uploaded_by=user_or_none(actor),
    )
    record_event(
        actor=actor,
        action="ledgers.checklist.evidence_attached",
        object_type="ledgers.checklist",
        object_id=entry_ref(entry.region_code, entry.edition, entry.item_no),
        detail={
            "region_code": entry.region_code,
            "edition": entry.edition,
            "item": entry.item_no,
            "evidence": evidence.pk,
            "sha256": upload.sha256,
            "size": upload.size,
            "name": personal_ref(upload.name),  # a file name may name a person
        },
    )
    return evidence


def fill_checklist_item(
    region_code: str,
    item_no: int,
    *,
    actor: Actor,
    measures: str,
    conclusion: str,
    upload: File | None = None,
    edition: str = CURRENT_EDITION,
) -> ChecklistEntry:
    """Write a county's measures taken (落实举措) and conclusion (检查结论) for one item, and
    file an evidence ``upload`` with them if given (both or neither are saved)."""
    scope.require_write(actor, region_code, CHECKLIST_WRITERS)
    _check_item(checklist_edition(edition), item_no)
    measures = _text(measures, "measures")
    conclusion = _text(conclusion, "conclusion")
    checked = _check_upload(upload) if upload is not None else None
    with transaction.atomic(), _files_removed_on_error() as written:
        entry, created = _locked_entry(region_code, edition, item_no, actor)
        before = {"measures": entry.measures, "conclusion": entry.conclusion}
        after = {"measures": measures, "conclusion": conclusion}
        if before != after or created:
            entry.measures, entry.conclusion = measures, conclusion
            entry.updated_at = timezone.now()
            entry.updated_by = user_or_none(actor)
            entry.save()
            record_event(
                actor=actor,
                action="ledgers.checklist.filled",
                object_type="ledgers.checklist",
                object_id=entry_ref(region_code, edition, item_no),
                before=None if created else before,
                after=after,
                detail={"region_code": region_code, "edition": edition, "item": item_no},
            )
        if checked is not None:
            _store(entry, checked, actor, written)
    return entry


def attach_evidence(
    region_code: str,
    item_no: int,
    *,
    actor: Actor,
    upload: File,
    edition: str = CURRENT_EDITION,
) -> ChecklistEvidence:
    """Store a file backing one checklist item and log its SHA-256."""
    scope.require_write(actor, region_code, CHECKLIST_WRITERS)
    _check_item(checklist_edition(edition), item_no)
    checked = _check_upload(upload)
    with transaction.atomic(), _files_removed_on_error() as written:
        entry, _created = _locked_entry(region_code, edition, item_no, actor)
        return _store(entry, checked, actor, written)


def void_evidence(region_code: str, evidence_id: int, *, actor: Actor, reason: str) -> None:
    """Withdraw an evidence file with a reason; the file and its record stay for the audit."""
    scope.require_write(actor, region_code, CHECKLIST_WRITERS)
    reason = clean_reason(reason)
    with transaction.atomic():
        evidence = (
            ChecklistEvidence.objects.select_for_update()
            .select_related("entry")
            .filter(pk=evidence_id, entry__region_code=region_code)
            .first()
        )
        if evidence is None:
            raise NotFound(_("没有该佐证材料"))
        if evidence.voided_at is not None:
            raise Conflict(_("该佐证材料已作废"))
        evidence.voided_at = timezone.now()
        evidence.void_reason = reason
        evidence.save(update_fields=["voided_at", "void_reason"])
        entry = evidence.entry
        record_event(
            actor=actor,
            action="ledgers.checklist.evidence_voided",
            object_type="ledgers.checklist",
            object_id=entry_ref(region_code, entry.edition, entry.item_no),
            after={"void_reason": reason},
            detail={
                "region_code": region_code,
                "edition": entry.edition,
                "item": entry.item_no,
                "evidence": evidence.pk,
                "sha256": evidence.sha256,
            },
        )
