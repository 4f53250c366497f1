"""Appending to the audit log. Call :func:`record_event` inside the service's own
``transaction.atomic()`` block, so the event commits or rolls back with the change it records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sunshine.audit.models import AuditEvent, AuditHead
from sunshine.core.canonical import canonical_json, digest, salted_digest
from sunshine.core.merkle import leaf_hash

Actor = Any  # a sunshine.accounts.models.User, or a str such as "cli:root" or "system"


def actor_ref(actor: Actor) -> str:
    if isinstance(actor, str):
        if not actor:
            raise ValueError("an actor is required")
        return actor
    pk = getattr(actor, "pk", None)
    if pk is None:
        raise ValueError(f"actor {actor!r} has no identity")
    return f"user:{pk}"


def personal_ref(text: str) -> str:
    """A salted digest standing for a piece of personal data inside an event."""
    return "sha256:" + salted_digest(settings.SECRET_KEY.encode("utf-8"), text)


def record_event(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str,
    before: Any = None,
    after: Any = None,
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event. ``before``/``after`` are stored only as digests; ``detail`` is stored
    as given and must hold no personal data in the clear (use :func:`personal_ref`)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the service's transaction")
    at = at or timezone.now()
    # Locking the head row serialises appends: no two events get the same or a skipped seq.
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    seq = head.next_seq
    actor_id = actor_ref(actor)
    body = {
        "seq": seq,
        "time": at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "actor": actor_id,
        "action": action,
        "object": {"type": object_type, "id": object_id},
        "before": None if before is None else digest(before),
        "after": None if after is None else digest(after),
        "detail": detail or {},
    }
    canonical = canonical_json(body)
    event = AuditEvent.objects.create(
        seq=seq,
        created_at=at,
        actor=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        canonical=canonical.decode("utf-8"),
        leaf_hash=leaf_hash(canonical).hex(),
    )
    head.next_seq = seq + 1
    head.save(update_fields=["next_seq"])
    return event
