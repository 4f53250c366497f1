"""Signed checkpoints of the audit log and the receipts proven against them (docs/audit.md).

A checkpoint is a short text note naming the log, its size and its root; the bureau signs the
note with Ed25519. A receipt is one event plus its inclusion proof against a checkpoint, so
anyone holding the bureau's public key can check it offline.

Pure: Ed25519 verification comes from ``cryptography`` (a computation, no I/O); signing keys are
handled by the audit app, never here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from sunshine.core.merkle import leaf_hash, verify_inclusion

NOTE_FORMAT = "sunshine-audit/v1"
RECEIPT_FORMAT = "sunshine-audit-receipt/v1"


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    origin: str
    tree_size: int
    root_hash: str  # hex
    time: str  # ISO 8601 UTC, seconds, "Z"
    signature: str  # base64 Ed25519 signature of note()
    key_id: str

    def note(self) -> bytes:
        return checkpoint_note(
            self.origin, self.tree_size, bytes.fromhex(self.root_hash), self.time
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "tree_size": self.tree_size,
            "root_hash": self.root_hash,
            "time": self.time,
            "signature": self.signature,
            "key_id": self.key_id,
        }


def checkpoint_note(origin: str, tree_size: int, root_hash: bytes, time: str) -> bytes:
    """The exact bytes that are signed: five lines, each ending in a newline."""
    if "\n" in origin or "\n" in time:
        raise ValueError("origin and time must be single lines")
    root_b64 = base64.b64encode(root_hash).decode("ascii")
    return f"{NOTE_FORMAT}\n{origin}\n{tree_size}\n{root_b64}\n{time}\n".encode()


def key_id(public_key: bytes) -> str:
    """A short name for a raw 32-byte Ed25519 public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def signature_ok(message: bytes, signature_b64: str, public_key: bytes) -> bool:
    try:
        signature = base64.b64decode(signature_b64, validate=True)
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def checkpoint_from_json(data: Mapping[str, Any]) -> SignedCheckpoint:
    """Parse a checkpoint as published; raises ValueError naming the bad field."""
    fields = ("origin", "tree_size", "root_hash", "time", "signature", "key_id")
    missing = [f for f in fields if f not in data]
    if missing:
        raise ValueError(f"checkpoint lacks {', '.join(missing)}")
    size = data["tree_size"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError("checkpoint tree_size must be a non-negative integer")
    if not _is_hash(data["root_hash"]):
        raise ValueError("checkpoint root_hash must be 64 hex digits")
    texts = [data[f] for f in ("origin", "time", "signature", "key_id")]
    if not all(isinstance(t, str) for t in texts):
        raise ValueError("checkpoint origin, time, signature and key_id must be strings")
    return SignedCheckpoint(
        data["origin"], size, data["root_hash"], data["time"], data["signature"], data["key_id"]
    )


def _is_hash(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 64:
        return False
    try:
        bytes.fromhex(value)
    except ValueError:
        return False
    return True


def receipt_problem(receipt: Any, public_key: bytes) -> str | None:
    """Why ``receipt`` does not verify against ``public_key``, or None when it does."""
    if not isinstance(receipt, Mapping) or receipt.get("format") != RECEIPT_FORMAT:
        return f"not a {RECEIPT_FORMAT} receipt"
    seq, event, proof = receipt.get("seq"), receipt.get("event"), receipt.get("inclusion_proof")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        return "seq must be a non-negative integer"
    if not isinstance(event, str):
        return "event must be the event's canonical JSON text"
    if not isinstance(proof, list) or not all(_is_hash(p) for p in proof):
        return "inclusion_proof must be a list of 64-hex-digit hashes"
    try:
        checkpoint = checkpoint_from_json(receipt.get("checkpoint") or {})
        recorded_seq = json.loads(event).get("seq")
    except (ValueError, AttributeError) as exc:
        return str(exc) if isinstance(exc, ValueError) else "event is not a JSON object"
    if recorded_seq != seq:
        return f"the event records seq {recorded_seq}, the receipt claims {seq}"
    leaf = leaf_hash(event.encode("utf-8"))
    if receipt.get("leaf_hash") != leaf.hex():
        return "leaf_hash is not the RFC 6962 leaf hash of the event"
    if checkpoint.key_id != key_id(public_key):
        return f"the checkpoint is signed by key {checkpoint.key_id}, not {key_id(public_key)}"
    if not signature_ok(checkpoint.note(), checkpoint.signature, public_key):
        return "the checkpoint signature is not valid"
    root = bytes.fromhex(checkpoint.root_hash)
    if not verify_inclusion(
        leaf, seq, checkpoint.tree_size, [bytes.fromhex(p) for p in proof], root
    ):
        return f"the inclusion proof does not lead to the root of tree size {checkpoint.tree_size}"
    return None


def verify_receipt(receipt: Any, public_key: bytes) -> bool:
    """True when the event, its proof and the signed checkpoint all agree."""
    return receipt_problem(receipt, public_key) is None
