"""Canonical JSON: the one byte form used for hashing and signing.

Keys sorted, no insignificant whitespace, UTF-8 (not \\u escapes), no NaN. Two equal values
always give the same bytes, so anyone can recompute a digest from published data.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest(value: Any) -> str:
    """SHA-256 of the canonical JSON of ``value``, hex."""
    return sha256_hex(canonical_json(value))


def salted_digest(salt: bytes, text: str) -> str:
    """A digest of personal data that can't be reversed by guessing without the salt, so the
    audit log can refer to a person without holding their data (and survives erasure)."""
    return hashlib.sha256(salt + text.encode("utf-8")).hexdigest()
