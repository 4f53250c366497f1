"""Signed checkpoint notes and receipts, checked without a database."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core import merkle
from sunshine.core.canonical import canonical_json
from sunshine.core.checkpoint import (
    RECEIPT_FORMAT,
    checkpoint_note,
    key_id,
    receipt_problem,
    verify_receipt,
)

pytestmark = pytest.mark.no_postgres_rerun

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PUBLIC = KEY.public_key().public_bytes_raw()


def _receipt(events: list[bytes], seq: int, size: int) -> dict[str, object]:
    leaves = [merkle.leaf_hash(e) for e in events]
    root = merkle.root(leaves[:size])
    time = "2026-05-01T08:00:00Z"
    note = checkpoint_note("测试县", size, root, time)
    return {
        "format": RECEIPT_FORMAT,
        "seq": seq,
        "event": events[seq].decode(),
        "leaf_hash": leaves[seq].hex(),
        "checkpoint": {
            "origin": "测试县",
            "tree_size": size,
            "root_hash": root.hex(),
            "time": time,
            "signature": base64.b64encode(KEY.sign(note)).decode(),
            "key_id": key_id(PUBLIC),
        },
        "inclusion_proof": [p.hex() for p in merkle.inclusion_proof(leaves, seq, size)],
    }


def test_the_note_is_five_lines_with_a_base64_root() -> None:
    note = checkpoint_note("county", 5, bytes(32), "2026-05-01T08:00:00Z")
    assert note == (
        b"sunshine-audit/v1\ncounty\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
        b"2026-05-01T08:00:00Z\n"
    )
    with pytest.raises(ValueError, match="single lines"):
        checkpoint_note("two\nlines", 5, bytes(32), "t")


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 40), st.data())
def test_every_receipt_verifies_and_any_flipped_proof_byte_fails(
    count: int, data: st.DataObject
) -> None:
    events = [canonical_json({"seq": i, "action": "x"}) for i in range(count)]
    size = data.draw(st.integers(1, count))
    seq = data.draw(st.integers(0, size - 1))
    receipt = _receipt(events, seq, size)
    assert verify_receipt(receipt, PUBLIC)
    proof = list(receipt["inclusion_proof"])  # type: ignore[call-overload]
    if proof:
        i = data.draw(st.integers(0, len(proof) - 1))
        flipped = bytearray.fromhex(proof[i])
        flipped[data.draw(st.integers(0, 31))] ^= 0x80
        proof[i] = flipped.hex()
        assert receipt_problem({**receipt, "inclusion_proof": proof}, PUBLIC) == (
            f"the inclusion proof does not lead to the root of tree size {size}"
        )


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"seq": -1}, "non-negative"),
        ({"event": "[]"}, "not a JSON object"),
        ({"event": "{"}, "Expecting"),
        ({"inclusion_proof": ["zz"]}, "64-hex-digit"),
        ({"checkpoint": {"tree_size": 3}}, "checkpoint lacks"),
        ({"leaf_hash": "00" * 32}, "leaf_hash"),
    ],
)
def test_malformed_receipts_say_what_is_wrong(change: dict[str, object], why: str) -> None:
    events = [canonical_json({"seq": i}) for i in range(3)]
    problem = receipt_problem({**_receipt(events, 1, 3), **change}, PUBLIC)
    assert problem is not None
    assert why in problem
    assert receipt_problem("not a receipt", PUBLIC) == "not a sunshine-audit-receipt/v1 receipt"
