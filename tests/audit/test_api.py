"""The audit log's API (/api/audit/): checkpoints, receipts and proofs anyone can check with the
core verifiers, and the events read by inspectors and supervisors of the region."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client

from sunshine.accounts.models import Role
from sunshine.audit.checkpoints import publish_checkpoint, receipt_for
from sunshine.audit.keys import public_key_bytes
from sunshine.audit.services import record_event
from sunshine.core import merkle
from tests.portal.factories import build_county, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_checkpoints(add_events: Callable[[int], None]) -> tuple[int, int]:
    add_events(5)
    first = publish_checkpoint(actor="cli:test").tree_size  # events 0-4; the checkpoint is #5
    add_events(3)
    return first, publish_checkpoint(actor="cli:test").tree_size


def _json(client: Client, url: str, expect: int = 200, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == expect, response.content
    return response.json()


def test_the_checkpoints_and_their_key(client: Client, two_checkpoints: tuple[int, int]) -> None:
    body = _json(client, "/api/audit/checkpoints")
    assert base64.b64decode(body["public_key"]) == public_key_bytes()
    assert [c["tree_size"] for c in body["checkpoints"]] == list(two_checkpoints)


def test_a_receipt_verifies_and_a_forged_one_says_why(
    client: Client, two_checkpoints: tuple[int, int]
) -> None:
    receipt = receipt_for(2)
    url = "/api/audit/receipts/verify"
    ok = client.post(url, json.dumps(receipt), content_type="application/json")
    assert ok.json() == {"valid": True, "problem": None}
    forged = {**receipt, "event": receipt["event"].replace('"seq":2', '"seq":3')}
    bad = client.post(url, json.dumps(forged), content_type="application/json").json()
    assert bad["valid"] is False
    assert "seq" in bad["problem"]
    junk = client.post(url, "[1, 2]", content_type="application/json")
    assert junk.status_code == 422


def test_an_inclusion_proof_by_leaf_hash_checks_against_the_signed_root(
    client: Client, two_checkpoints: tuple[int, int]
) -> None:
    _first, second = two_checkpoints
    leaf = receipt_for(3)["leaf_hash"]
    body = _json(client, "/api/audit/proofs/inclusion", leaf_hash=leaf, tree_size=second)
    assert body["seq"] == 3
    proof = [bytes.fromhex(p) for p in body["inclusion_proof"]]
    root = bytes.fromhex(body["root_hash"])
    assert merkle.verify_inclusion(bytes.fromhex(leaf), 3, second, proof, root)


def test_a_consistency_proof_links_the_two_checkpoints(
    client: Client, two_checkpoints: tuple[int, int]
) -> None:
    first, second = two_checkpoints
    body = _json(client, "/api/audit/proofs/consistency", first=first, second=second)
    proof = [bytes.fromhex(p) for p in body["consistency_proof"]]
    old, new = bytes.fromhex(body["first_root"]), bytes.fromhex(body["second_root"])
    assert merkle.verify_consistency(first, second, old, new, proof)


@pytest.mark.parametrize(
    ("url", "params", "expect", "field"),
    [
        ("/api/audit/proofs/inclusion", {"leaf_hash": "xyz", "tree_size": 5}, 422, "leaf_hash"),
        ("/api/audit/proofs/inclusion", {"leaf_hash": "0" * 64, "tree_size": 5}, 404, "leaf_hash"),
        ("/api/audit/proofs/inclusion", {"leaf_hash": "0" * 64, "tree_size": 4}, 404, "tree_size"),
        ("/api/audit/proofs/consistency", {"first": 9, "second": 5}, 422, "first"),
        ("/api/audit/proofs/consistency", {"first": 4, "second": 10}, 404, "first"),
    ],
)
def test_proof_requests_that_cannot_be_answered_say_why(
    client: Client,
    two_checkpoints: tuple[int, int],
    url: str,
    params: dict[str, Any],
    expect: int,
    field: str,
) -> None:
    assert _json(client, url, expect, **params)["field"] == field


def test_a_damaged_log_is_a_conflict_not_a_crash(
    client: Client, two_checkpoints: tuple[int, int]
) -> None:
    first, second = two_checkpoints
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 1")
    body = _json(client, "/api/audit/proofs/consistency", 409, first=first, second=second)
    assert "missing" in body["message"]


def test_events_are_for_inspectors_and_supervisors_of_the_region(client: Client) -> None:
    a, b = build_county(), build_county("330120", "邻县")
    with transaction.atomic():
        for county in (a, b):
            record_event(
                actor="cli:test", action="x", object_type="season", object_id=str(county.season.pk)
            )
    assert _json(client, "/api/audit/events", 401)["error"] == "unauthenticated"
    client.force_login(make_user(Role.BUREAU_ADMIN, region_code="330110"))
    assert _json(client, "/api/audit/events", 403)["error"] == "forbidden"
    client.force_login(make_user(Role.INSPECTOR, region_code="330110"))
    seen = _json(client, "/api/audit/events", object_type="season")
    assert [e["object_id"] for e in seen] == [str(a.season.pk)]
    assert _json(client, "/api/audit/events", 422, limit=0)["field"] == "limit"
    client.force_login(make_user(Role.SUPERVISOR, region_code="3301"))
    seen = _json(client, "/api/audit/events", object_type="season", since=0, limit=1)
    assert [e["object_id"] for e in seen] == [str(a.season.pk)]  # oldest first, one of two
    assert json.loads(seen[0]["canonical"])["seq"] == seen[0]["seq"]
