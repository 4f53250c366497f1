"""The audit log's JSON API (/api/audit/): the signed checkpoints, receipt verification and
Merkle proofs for everyone; the events themselves for inspectors and supervisors (docs/audit.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Body, Query, Router, Schema
from ninja.security import django_auth

from sunshine.audit.checkpoints import published_checkpoints
from sunshine.audit.keys import public_key_bytes
from sunshine.audit.models import AuditEvent
from sunshine.audit.reading import EventFilters, consistency_proof, inclusion_proof, read_events
from sunshine.core.checkpoint import receipt_problem

router = Router(tags=["audit"])


class CheckpointOut(Schema):
    origin: str
    tree_size: int
    root_hash: str
    time: str
    signature: str
    key_id: str


class CheckpointsOut(Schema):
    format: str
    origin: str
    public_key: str  # base64 of the raw 32-byte Ed25519 public key
    key_id: str
    checkpoints: list[CheckpointOut]


class VerdictOut(Schema):
    valid: bool
    problem: str | None  # why the receipt does not verify, when it does not


class InclusionOut(Schema):
    seq: int
    tree_size: int
    leaf_hash: str
    root_hash: str
    inclusion_proof: list[str]


class ConsistencyOut(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    consistency_proof: list[str]


class EventOut(Schema):
    seq: int
    created_at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    canonical: str  # the exact text that is hashed into the log
    leaf_hash: str


@router.get(
    "/checkpoints",
    response=CheckpointsOut,
    summary="Every signed checkpoint and the public key that signs them",
    operation_id="audit_checkpoints",
)
def checkpoints(request: HttpRequest) -> dict[str, Any]:
    return published_checkpoints()


@router.post(
    "/receipts/verify",
    response=VerdictOut,
    summary="Check a receipt (the JSON body) against the published key and its checkpoint",
    operation_id="audit_verify_receipt",
)
def verify_receipt(request: HttpRequest, receipt: Body[dict[str, Any]]) -> dict[str, Any]:
    problem = receipt_problem(receipt, public_key_bytes())
    return {"valid": problem is None, "problem": problem}


class InclusionQuery(Schema):
    leaf_hash: str  # hex SHA-256(0x00 || the event's canonical JSON)
    tree_size: int  # the size of a published checkpoint


@router.get(
    "/proofs/inclusion",
    response=InclusionOut,
    summary="The inclusion proof of an event, found by its leaf hash, in a signed tree",
    operation_id="audit_inclusion_proof",
)
def inclusion(request: HttpRequest, q: Query[InclusionQuery]) -> dict[str, Any]:
    return inclusion_proof(q.leaf_hash, q.tree_size)


class ConsistencyQuery(Schema):
    first: int  # an earlier checkpoint's tree size
    second: int  # a later checkpoint's tree size


@router.get(
    "/proofs/consistency",
    response=ConsistencyOut,
    summary="The proof that an earlier signed tree is a prefix of a later one",
    operation_id="audit_consistency_proof",
)
def consistency(request: HttpRequest, q: Query[ConsistencyQuery]) -> dict[str, Any]:
    return consistency_proof(q.first, q.second)


class EventQuery(Schema):
    since: int = 0
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    limit: int = 100


@router.get(
    "/events",
    response=list[EventOut],
    auth=django_auth,
    summary="Audit events in the caller's region (inspectors and supervisors)",
    operation_id="audit_events",
)
def events(request: HttpRequest, q: Query[EventQuery]) -> list[AuditEvent]:
    filters = EventFilters(q.since, q.action, q.object_type, q.object_id, q.limit)
    return read_events(actor=request.user, filters=filters)
