"""The audit log: checkpoints, receipts and proofs for everyone; events for inspectors and
supervisors, each within their region."""

from __future__ import annotations

import json

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from sunshine.audit.reading import EventFilters, read_events
from tests.role_matrix.framework import AUDITORS, EVERYONE, Action, Attempt, Outcome, judge, page


def _verify_receipt_page(a: Attempt) -> object:
    response = a.post("/audit/receipt/", {"receipt": json.dumps(a.world.receipt)})
    assert isinstance(response, HttpResponse), type(response)
    assert "回执有效" in response.content.decode() or response.status_code != 200
    return response


def _verify_receipt_api(a: Attempt) -> object:
    response = a.post_json("/api/audit/receipts/verify", a.world.receipt)
    if judge(response) is Outcome.ALLOWED:
        assert response.json() == {"valid": True, "problem": None}  # type: ignore[attr-defined]
    return response


def _events_show_the_ceremony(a: Attempt) -> Outcome:
    """County A's ceremony events: read by A's inspector and the city's supervisor only."""
    response = a.get("/api/audit/events", {"object_type": "ceremony", "limit": 500})
    outcome = judge(response)
    if outcome is not Outcome.ALLOWED:
        return outcome
    ids = {e["object_id"] for e in response.json()}  # type: ignore[attr-defined]
    return Outcome.ALLOWED if str(a.world.ceremony.pk) in ids else Outcome.DENIED


def _service_reads_events(a: Attempt) -> object:
    return read_events(actor=a.user or AnonymousUser(), filters=EventFilters())


def _inclusion(a: Attempt) -> object:
    receipt = a.world.receipt
    size = a.world.checkpoints[1]
    return a.get(
        "/api/audit/proofs/inclusion", {"leaf_hash": receipt["leaf_hash"], "tree_size": size}
    )


ACTIONS = [
    page("audit: checkpoints", "/audit/checkpoints/", EVERYONE, "portal:audit_checkpoints"),
    page(
        "audit: checkpoints download",
        "/audit/checkpoints.json",
        EVERYONE,
        "portal:audit_checkpoints_json",
    ),
    page("audit: the receipt form", "/audit/receipt/", EVERYONE, "portal:audit_receipt"),
    Action("audit: verify a receipt", _verify_receipt_page, EVERYONE, ("portal:audit_receipt",)),
    page("audit: the events page", "/audit/events/", AUDITORS, "portal:audit_events"),
    page("api: checkpoints", "/api/audit/checkpoints", EVERYONE, "api:audit_checkpoints"),
    Action("api: verify a receipt", _verify_receipt_api, EVERYONE, ("api:audit_verify_receipt",)),
    Action("api: an inclusion proof", _inclusion, EVERYONE, ("api:audit_inclusion_proof",)),
    page(
        "api: a consistency proof",
        lambda w: "/api/audit/proofs/consistency?first={}&second={}".format(*w.checkpoints),
        EVERYONE,
        "api:audit_consistency_proof",
    ),
    page("api: audit events", "/api/audit/events", AUDITORS, "api:audit_events"),
    Action(
        "api: audit events of county A's ceremony",
        _events_show_the_ceremony,
        frozenset({"inspector", "supervisor"}),
    ),
    Action("service: read audit events", _service_reads_events, AUDITORS),
]
