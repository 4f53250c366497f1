"""Check a Sunshine lottery transcript with nothing but Python's standard library.

Copy this one file to any computer with Python 3.9 or later (no network needed) and run:

    python verify_lottery.py transcript.json

It re-derives the pool fingerprint, the seed and every number from the transcript alone, as
docs/lottery.md ("sunshine/lottery/v1") specifies, and prints either
``verified: N numbers match (seed ...)`` (exit status 0) or the first mismatch (exit status 2).

This is a second, independent implementation of the spec: it shares no code with Sunshine.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from typing import Any

SPEC = "sunshine/lottery/v1"
KEYS = {
    "spec",
    "label",
    "pool_fingerprint",
    "witnesses",
    "beacon",
    "policy_digest",
    "program_digest",
    "pool",
    "seed",
    "numbers",
}
CONTROL = re.compile("[\x00-\x1f\x7f]")
HEX64 = re.compile("[0-9a-f]{64}")
HEX_BYTES = re.compile("(?:[0-9a-f]{2}){1,512}")
HEX16 = re.compile("[0-9a-f]{16}")


class Invalid(Exception):
    pass


def text(value: Any, what: str, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(what + " must be a string")
    if (not value and not allow_empty) or CONTROL.search(value):
        raise Invalid(what + " is empty or contains a control character: " + repr(value))
    value.encode("utf-8")  # refuses lone surrogates
    return value


def digest_hex(value: Any, what: str) -> str:
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise Invalid(what + " must be 64 lowercase hex digits")
    return value


def reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Invalid("an object has a duplicate key")
    return dict(pairs)


def check_shape(t: Any) -> None:
    if not isinstance(t, dict) or set(t) != KEYS:
        raise Invalid("the transcript must have exactly the keys " + ", ".join(sorted(KEYS)))
    if t["spec"] != SPEC:
        raise Invalid("this verifier checks " + SPEC + ", not " + repr(t["spec"]))
    text(t["label"], "label", allow_empty=True)
    for name in ("pool_fingerprint", "policy_digest", "program_digest", "seed"):
        digest_hex(t[name], name)
    witnesses = t["witnesses"]
    if not isinstance(witnesses, list):
        raise Invalid("witnesses must be a list")
    order = []
    for w in witnesses:
        if not isinstance(w, dict) or set(w) != {"role", "name", "value"}:
            raise Invalid("each witness has exactly role, name and value")
        text(w["value"], "witness value")
        order.append((text(w["role"], "witness role"), text(w["name"], "witness name")))
    if order != sorted(order) or len(set(order)) != len(order):
        raise Invalid("witnesses must be sorted by (role, name), each pair once")
    beacon = t["beacon"]
    if beacon is not None:
        if not isinstance(beacon, dict) or set(beacon) != {"source", "round", "value"}:
            raise Invalid("the beacon has exactly source, round and value")
        text(beacon["source"], "beacon source")
        r = beacon["round"]
        if isinstance(r, bool) or not isinstance(r, int) or r < 0:
            raise Invalid("the beacon round must be a whole number >= 0")
        if not isinstance(beacon["value"], str) or not HEX_BYTES.fullmatch(beacon["value"]):
            raise Invalid("the beacon value must be lowercase hex bytes")
    if not witnesses and beacon is None:
        raise Invalid("a draw needs at least one witness input or a beacon")
    pool = t["pool"]
    if not isinstance(pool, dict) or set(pool) != {"ids", "groups"}:
        raise Invalid("the pool has exactly ids and groups")
    ids, groups = pool["ids"], pool["groups"]
    if not isinstance(ids, list) or not isinstance(groups, list):
        raise Invalid("pool ids and groups must be lists")
    for i, public_id in enumerate(ids):
        text(public_id, "public id")
        if i and ids[i - 1] >= public_id:
            raise Invalid("pool ids must be unique and ascending: " + repr(public_id))
    known: set[str] = set(ids)
    seen: set[str] = set()
    previous = ""
    for g in groups:
        if not isinstance(g, list) or len(g) < 2:
            raise Invalid("each group is a list of two or more ids")
        for i, member in enumerate(g):
            if not isinstance(member, str) or member not in known or member in seen:
                raise Invalid("group member unknown or repeated: " + repr(member))
            if i and g[i - 1] >= member:
                raise Invalid("group members must be ascending")
            seen.add(member)
        if g[0] <= previous:
            raise Invalid("groups must be ascending by their first id")
        previous = g[0]
    numbers = t["numbers"]
    if not isinstance(numbers, list) or not all(
        isinstance(x, str) and HEX16.fullmatch(x) for x in numbers
    ):
        raise Invalid("numbers must be a list of 16-digit lowercase hex strings")


def pool_fingerprint(ids: list[str], groups: list[list[str]]) -> str:
    lines = ["sunshine/lottery/v1/pool", "ids " + str(len(ids))]
    lines += ids
    lines.append("groups " + str(len(groups)))
    lines += ["\t".join(g) for g in groups]
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


def seed_of(t: dict[str, Any]) -> bytes:
    inputs = {k: v for k, v in t.items() if k not in ("pool", "seed", "numbers")}
    body = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(b"sunshine/lottery/v1/seed\x00" + body.encode("utf-8")).digest()


def number_of(seed: bytes, key: str) -> str:
    h = hashlib.sha256(b"sunshine/lottery/v1/number\x00" + seed + key.encode("utf-8"))
    return h.hexdigest()[:16]


def verify(t: Any) -> tuple[bool, str]:
    """Return (True, summary) or (False, the first mismatch)."""
    check_shape(t)
    ids, groups = t["pool"]["ids"], t["pool"]["groups"]
    fingerprint = pool_fingerprint(ids, groups)
    if fingerprint != t["pool_fingerprint"]:
        given = t["pool_fingerprint"]
        return (
            False,
            f"pool_fingerprint: the pool hashes to {fingerprint}, the transcript says {given}",
        )
    seed = seed_of(t)
    if seed.hex() != t["seed"]:
        return False, f"seed: the inputs give {seed.hex()}, the transcript says {t['seed']}"
    numbers = t["numbers"]
    if len(numbers) != len(ids):
        return False, f"numbers: {len(numbers)} numbers for {len(ids)} public ids"
    key_of: dict[str, str] = {}
    for g in groups:
        for member in g:
            key_of[member] = g[0]
    for public_id, given in zip(ids, numbers):  # noqa: B905 (zip strict= needs Python 3.10)
        expected = number_of(seed, key_of.get(public_id, public_id))
        if expected != given:
            return (
                False,
                f"number of {public_id}: recomputed {expected}, the transcript says {given}",
            )
    return True, f"verified: {len(ids)} numbers match (seed {seed.hex()})"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python verify_lottery.py TRANSCRIPT.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            transcript = json.loads(
                f.read().decode("utf-8"), object_pairs_hook=reject_duplicate_keys
            )
        ok, message = verify(transcript)
    except OSError as e:
        print(f"error: cannot read {argv[1]}: {e.strerror}", file=sys.stderr)
        return 2
    except (Invalid, ValueError) as e:
        print(f"error: malformed transcript: {e}", file=sys.stderr)
        return 2
    if ok:
        print(message)
        return 0
    print("mismatch: " + message, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
