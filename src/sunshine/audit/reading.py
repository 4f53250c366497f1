"""Reading the audit log: proofs anyone may ask for, and the events an auditor may read.

Proofs carry hashes only (RFC 6962 §4.5 and §4.6 in spirit: get-proof-by-hash and
get-sth-consistency), so they are public; the events themselves are read by discipline
inspectors and supervisors, each within their region (``accounts.scope``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sunshine.accounts.scope import audit_events_visible_to, require_audit_reader
from sunshine.audit.checkpoints import AuditError, stored_leaf_hashes
from sunshine.audit.models import AuditEvent, Checkpoint
from sunshine.core import merkle
from sunshine.errors import Conflict, Invalid, NotFound

MAX_EVENTS = 500


def _hex_hash(value: str, field: str) -> str:
    value = value.strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise Invalid(_("应为 64 位十六进制哈希值。"), field=field)
    return value


def _checkpoint(tree_size: int, field: str) -> Checkpoint:
    checkpoint = Checkpoint.objects.filter(tree_size=tree_size).first()
    if checkpoint is None:
        raise NotFound(_("没有事件数为 %(n)s 的已签名检查点。") % {"n": tree_size}, field=field)
    return checkpoint


def _leaves(size: int) -> list[bytes]:
    try:
        return stored_leaf_hashes(size)
    except AuditError as exc:  # a damaged log: say so rather than fail
        raise Conflict(str(exc)) from exc


def inclusion_proof(leaf_hash: str, tree_size: int) -> dict[str, Any]:
    """The audit path of the event whose leaf hash is ``leaf_hash`` in the signed tree of
    ``tree_size`` events; whoever holds the event can check it against the checkpoint."""
    wanted = _hex_hash(leaf_hash, "leaf_hash")
    checkpoint = _checkpoint(tree_size, "tree_size")
    event = (
        AuditEvent.objects.filter(leaf_hash=wanted, seq__lt=tree_size)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    if event is None:
        raise NotFound(_("该检查点覆盖的事件中没有这个叶哈希。"), field="leaf_hash")
    proof = merkle.inclusion_proof(_leaves(tree_size), event, tree_size)
    return {
        "seq": event,
        "tree_size": tree_size,
        "leaf_hash": wanted,
        "root_hash": checkpoint.root_hash,
        "inclusion_proof": [p.hex() for p in proof],
    }


def consistency_proof(first: int, second: int) -> dict[str, Any]:
    """The proof that the signed tree of ``first`` events is a prefix of that of ``second``."""
    if not 0 < first <= second:
        raise Invalid(_("需要 0 < first ≤ second。"), field="first")
    old, new = _checkpoint(first, "first"), _checkpoint(second, "second")
    proof = merkle.consistency_proof(_leaves(second), first, second)
    return {
        "first": first,
        "second": second,
        "first_root": old.root_hash,
        "second_root": new.root_hash,
        "consistency_proof": [p.hex() for p in proof],
    }


@dataclass(frozen=True, slots=True)
class EventFilters:
    since: int = 0  # the first seq wanted
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    limit: int = 100


def read_events(*, actor: Any, filters: EventFilters) -> list[AuditEvent]:
    """Events in the actor's region, oldest first: for inspectors and supervisors only."""
    require_audit_reader(actor, action=_("查阅审计日志"))
    if not 1 <= filters.limit <= MAX_EVENTS:
        raise Invalid(_("limit 应在 1 到 %(n)s 之间。") % {"n": MAX_EVENTS}, field="limit")
    events = audit_events_visible_to(actor).filter(seq__gte=max(filters.since, 0))
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    return list(events[: filters.limit])
