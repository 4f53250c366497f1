"""Appending to the audit log. Call :func:`record_event` inside the service's own
``transaction.atomic()`` block, so the event commits or rolls back with the change it records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One event of a bulk append (see :func:`record_events`)."""

    action: str
    object_type: str
    object_id: str
    before: Any = None
    after: Any = None
    detail: dict[str, Any] | None = None


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
    spec = EventSpec(action, object_type, object_id, before, after, detail)
    return record_events([spec], actor=actor, at=at)[0]


def record_events(
    specs: Sequence[EventSpec], *, actor: Actor, at: dt.datetime | None = None
) -> list[AuditEvent]:
    """Append several events in order, with one lock and one bulk insert (an import records
    one event per application, so each family can get a receipt for its own)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the service's transaction")
    at = at or timezone.now()
    # Locking the head row serialises appends: no two events get the same or a skipped seq.
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    first = head.next_seq
    actor_id = actor_ref(actor)
    time = at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    events = []
    for seq, spec in enumerate(specs, start=first):
        body = {
            "seq": seq,
            "time": time,
            "actor": actor_id,
            "action": spec.action,
            "object": {"type": spec.object_type, "id": spec.object_id},
            "before": None if spec.before is None else digest(spec.before),
            "after": None if spec.after is None else digest(spec.after),
            "detail": spec.detail or {},
        }
        canonical = canonical_json(body)
        events.append(
            AuditEvent(
                seq=seq,
                created_at=at,
                actor=actor_id,
                action=spec.action,
                object_type=spec.object_type,
                object_id=spec.object_id,
                canonical=canonical.decode("utf-8"),
                leaf_hash=leaf_hash(canonical).hex(),
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    head.next_seq = first + len(events)
    head.save(update_fields=["next_seq"])
    return events
