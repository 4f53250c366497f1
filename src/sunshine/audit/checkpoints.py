"""Publishing signed checkpoints of the audit log and issuing receipts against them.

A checkpoint of size N covers the events with seq 0..N-1, i.e. every event committed before it.
Publishing is itself audited: the ``audit.checkpoint`` event is appended *after* the checkpoint
is taken, so it gets seq N and is covered by the next checkpoint.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sunshine.audit.keys import public_key_bytes, signing_key
from sunshine.audit.models import AuditEvent, AuditHead, Checkpoint
from sunshine.audit.services import Actor, record_event
from sunshine.core import merkle
from sunshine.core.checkpoint import (
    RECEIPT_FORMAT,
    SignedCheckpoint,
    checkpoint_note,
    key_id,
)


class AuditError(Exception):
    """The log can't be checkpointed or proven as asked; the message says why."""


def format_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def signed(checkpoint: Checkpoint) -> SignedCheckpoint:
    return SignedCheckpoint(
        origin=checkpoint.origin,
        tree_size=checkpoint.tree_size,
        root_hash=checkpoint.root_hash,
        time=format_time(checkpoint.created_at),
        signature=checkpoint.signature,
        key_id=checkpoint.key_id,
    )


def stored_leaf_hashes(size: int) -> list[bytes]:
    """The first ``size`` leaf hashes as stored, refusing a log whose seq has gaps."""
    rows = AuditEvent.objects.filter(seq__lt=size).order_by("seq").values_list("seq", "leaf_hash")
    hashes: list[bytes] = []
    for expected, (seq, hex_hash) in enumerate(rows):
        if seq != expected:
            raise AuditError(f"audit event #{expected} is missing; run `sunshine audit verify`")
        hashes.append(bytes.fromhex(hex_hash))
    if len(hashes) != size:
        raise AuditError(f"audit event #{len(hashes)} is missing; run `sunshine audit verify`")
    return hashes


def publish_checkpoint(*, actor: Actor, at: dt.datetime | None = None) -> Checkpoint:
    """Sign the current log head. Refused when it is not consistent with the last checkpoint
    (consistency is transitive, so the whole published series stays consistent)."""
    at = (at or timezone.now()).replace(microsecond=0)
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        size = head.next_seq
        previous = Checkpoint.objects.order_by("-tree_size").first()
        if previous is not None and size <= previous.tree_size:
            raise AuditError(f"no new events since the checkpoint of size {previous.tree_size}")
        leaves = stored_leaf_hashes(size)
        root = merkle.root(leaves)
        if previous is not None:
            proof = merkle.consistency_proof(leaves, previous.tree_size, size)
            old_root = bytes.fromhex(previous.root_hash)
            if not merkle.verify_consistency(previous.tree_size, size, old_root, root, proof):
                raise AuditError(
                    f"the log is not consistent with the checkpoint of size {previous.tree_size}; "
                    "run `sunshine audit verify`"
                )
        key = signing_key()
        origin: str = settings.SUNSHINE_AUDIT_ORIGIN
        note = checkpoint_note(origin, size, root, format_time(at))
        checkpoint = Checkpoint.objects.create(
            tree_size=size,
            root_hash=root.hex(),
            created_at=at,
            origin=origin,
            signature=base64.b64encode(key.sign(note)).decode("ascii"),
            key_id=key_id(public_key_bytes()),
        )
        record_event(
            actor=actor,
            action="audit.checkpoint",
            object_type="checkpoint",
            object_id=str(size),
            detail={"tree_size": size, "root_hash": root.hex()},
            at=at,
        )
    return checkpoint


def receipt_for(seq: int) -> dict[str, Any]:
    """Event ``seq`` with its inclusion proof against the latest checkpoint covering it."""
    checkpoint = Checkpoint.objects.order_by("-tree_size").first()
    if checkpoint is None or checkpoint.tree_size <= seq:
        raise AuditError(f"event #{seq} is not covered by a published checkpoint yet")
    event = AuditEvent.objects.filter(seq=seq).first()
    if event is None:
        raise AuditError(f"there is no audit event #{seq}")
    leaves = stored_leaf_hashes(checkpoint.tree_size)
    proof = merkle.inclusion_proof(leaves, seq, checkpoint.tree_size)
    return {
        "format": RECEIPT_FORMAT,
        "seq": seq,
        "event": event.canonical,
        "leaf_hash": event.leaf_hash,
        "checkpoint": signed(checkpoint).as_json(),
        "inclusion_proof": [p.hex() for p in proof],
    }


def receipt_for_object(object_type: str, object_id: str) -> dict[str, Any]:
    """The receipt of the first event recorded for an object (e.g. an application's
    ``application.registered``): what a family keeps to prove its application was logged."""
    event = (
        AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
        .order_by("seq")
        .first()
    )
    if event is None:
        raise AuditError(f"no audit event records {object_type} {object_id!r}")
    return receipt_for(event.seq)


def published_checkpoints() -> dict[str, Any]:
    """Everything an outsider needs: the public key and every checkpoint, oldest first."""
    public = public_key_bytes()
    return {
        "format": "sunshine-audit-checkpoints/v1",
        "origin": settings.SUNSHINE_AUDIT_ORIGIN,
        "public_key": base64.b64encode(public).decode("ascii"),
        "key_id": key_id(public),
        "checkpoints": [signed(c).as_json() for c in Checkpoint.objects.order_by("tree_size")],
    }
