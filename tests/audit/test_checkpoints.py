from __future__ import annotations

import base64
import copy
import json
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection
from pytest_django.fixtures import Settings

from sunshine.audit.checkpoints import (
    AuditError,
    publish_checkpoint,
    published_checkpoints,
    receipt_for,
)
from sunshine.audit.keys import public_key_bytes, signing_key
from sunshine.audit.models import AuditEvent, Checkpoint
from sunshine.core import merkle
from sunshine.core.checkpoint import checkpoint_note, receipt_problem, verify_receipt

pytestmark = pytest.mark.django_db

AddEvents = Callable[[int], None]


def test_a_checkpoint_signs_the_root_of_every_earlier_event(add_events: AddEvents) -> None:
    add_events(5)
    checkpoint = publish_checkpoint(actor="cli:test")
    leaves = [bytes.fromhex(h) for h in AuditEvent.objects.values_list("leaf_hash", flat=True)]
    assert checkpoint.tree_size == 5
    assert checkpoint.root_hash == merkle.root(leaves[:5]).hex()
    note = checkpoint_note(
        "测试县教育局",
        5,
        bytes.fromhex(checkpoint.root_hash),
        checkpoint.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    public = signing_key().public_key()
    public.verify(base64.b64decode(checkpoint.signature), note)  # raises if invalid
    # Publishing is audited, as the first event the next checkpoint covers.
    event = AuditEvent.objects.get(seq=5)
    assert event.action == "audit.checkpoint"
    assert json.loads(event.canonical)["detail"] == {
        "tree_size": 5,
        "root_hash": checkpoint.root_hash,
    }


def test_a_checkpoint_needs_new_events_and_an_unbroken_log(add_events: AddEvents) -> None:
    add_events(3)
    publish_checkpoint(actor="cli:test")
    second = publish_checkpoint(actor="cli:test")  # covers the first checkpoint's own event
    assert second.tree_size == 4
    AuditEvent.objects.filter(seq=4).delete()
    with pytest.raises(AuditError, match="#4 is missing"):
        publish_checkpoint(actor="cli:test")


def test_a_checkpoint_inconsistent_with_the_last_is_refused(add_events: AddEvents) -> None:
    add_events(4)
    publish_checkpoint(actor="cli:test")
    with connection.cursor() as cursor:  # rewrite history, hashes and all
        cursor.execute("UPDATE audit_auditevent SET leaf_hash = %s WHERE seq = 1", ["00" * 32])
    with pytest.raises(AuditError, match="not consistent with the checkpoint of size 4"):
        publish_checkpoint(actor="cli:test")
    assert Checkpoint.objects.count() == 1
    assert AuditEvent.objects.count() == 5  # nothing of the refused publication was kept


def test_a_receipt_round_trips_and_any_change_breaks_it(add_events: AddEvents) -> None:
    add_events(6)
    publish_checkpoint(actor="cli:test")
    public = public_key_bytes()
    for seq in range(6):
        assert verify_receipt(receipt_for(seq), public)
    receipt = receipt_for(3)
    json_round_trip = json.loads(json.dumps(receipt))
    assert receipt_problem(json_round_trip, public) is None

    def changed(path: tuple[str, ...], value: object) -> dict[str, object]:
        bad = copy.deepcopy(receipt)
        target = bad
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return bad

    cases = {
        ("seq",): (2, "records seq 3"),
        ("event",): (receipt["event"].replace("demo.change", "demo.other"), "leaf_hash"),
        ("checkpoint", "root_hash"): ("11" * 32, "signature"),
        ("checkpoint", "tree_size"): (7, "signature"),
        ("inclusion_proof",): (list(reversed(receipt["inclusion_proof"])), "inclusion proof"),
        ("format",): ("x", "not a sunshine-audit-receipt/v1"),
    }
    for path, (value, why) in cases.items():
        problem = receipt_problem(changed(path, value), public)
        assert problem is not None
        assert why in problem, (path, problem)
    other_key = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    assert "signed by key" in (receipt_problem(receipt, other_key) or "")


def test_a_receipt_needs_a_covering_checkpoint(add_events: AddEvents) -> None:
    add_events(2)
    with pytest.raises(AuditError, match="not covered"):
        receipt_for(0)
    publish_checkpoint(actor="cli:test")
    with pytest.raises(AuditError, match="not covered"):
        receipt_for(2)  # the checkpoint's own event comes after it


def test_a_receipt_for_a_tampered_log_fails(add_events: AddEvents) -> None:
    add_events(4)
    publish_checkpoint(actor="cli:test")
    with connection.cursor() as cursor:
        cursor.execute("SELECT canonical FROM audit_auditevent WHERE seq = 2")
        forged = cursor.fetchone()[0].replace("demo.change", "demo.forged")
        cursor.execute(
            "UPDATE audit_auditevent SET canonical = %s, leaf_hash = %s WHERE seq = 2",
            [forged, merkle.leaf_hash(forged.encode()).hex()],
        )
    problem = receipt_problem(receipt_for(2), public_key_bytes())
    assert problem == "the inclusion proof does not lead to the root of tree size 4"
    assert not verify_receipt(receipt_for(0), public_key_bytes())  # its path crosses event 2


def test_the_published_series_carries_the_public_key(add_events: AddEvents) -> None:
    add_events(2)
    publish_checkpoint(actor="cli:test")
    add_events(1)
    publish_checkpoint(actor="cli:test")
    published = published_checkpoints()
    assert [c["tree_size"] for c in published["checkpoints"]] == [2, 4]
    assert base64.b64decode(published["public_key"]) == public_key_bytes()


def test_without_a_configured_key_a_private_dev_key_is_generated_once(
    settings: Settings, tmp_path: Path
) -> None:
    settings.SUNSHINE_AUDIT_SIGNING_KEY = ""
    settings.HOME = tmp_path
    first = public_key_bytes()
    key_file = tmp_path / "audit-signing-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert public_key_bytes() == first
