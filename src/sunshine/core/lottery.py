"""The verifiable lottery: one SHA-256-derived number per application (docs/lottery.md).

A draw is a pure function of published inputs:

1. :func:`freeze_pool` turns the applications (public ids and sibling links) into a canonical
   :class:`Pool` whose :meth:`Pool.fingerprint` is published when registration closes.
2. :func:`derive_seed` hashes that fingerprint with the witness inputs typed at the ceremony,
   an optional public randomness beacon, the policy digest and the program digest.
3. :func:`draw` gives every sibling group one 64-bit number, SHA-256(seed, group key), and the
   draw position: groups sorted by (number, key). Lower is drawn first.

docs/lottery.md is the normative spec; ``sunshine/verify_lottery.py`` re-implements it with the
standard library alone, and the tests hold the two to the same numbers.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Final

import numpy as np

from sunshine.core.canonical import canonical_json
from sunshine.core.digests import prefixed_numbers
from sunshine.core.utf8sort import is_ascending, order_of, utf8_words

SPEC: Final = "sunshine/lottery/v1"
POOL_DOMAIN: Final = b"sunshine/lottery/v1/pool"
SEED_DOMAIN: Final = b"sunshine/lottery/v1/seed\x00"
NUMBER_DOMAIN: Final = b"sunshine/lottery/v1/number\x00"

# Control characters are forbidden in every text: the pool encoding separates ids with LF and
# group members with TAB, and canonical JSON then never needs an escape beyond \" and \\.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_CONTROL_BUT_LF = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_HEX64 = re.compile("[0-9a-f]{64}")
_HEX = re.compile("(?:[0-9a-f]{2}){1,512}")


class LotteryError(ValueError):
    """Inputs a draw cannot be made from (empty or malformed ids, digests, witness inputs)."""


def check_text(value: object, what: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise LotteryError(f"{what} must be text, got {type(value).__name__}")
    if not value and not allow_empty:
        raise LotteryError(f"{what} must not be empty")
    if _CONTROL.search(value):
        raise LotteryError(f"{what} {value!r} contains a control character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise LotteryError(f"{what} {value!r} is not valid Unicode") from None
    return value


def check_ids(ids: Sequence[str], what: str = "public id") -> None:
    """Validate many ids at once (the per-id check runs only to name the bad one)."""
    try:
        joined = "\n".join(ids)
        joined.encode("utf-8")
        ok = all(ids) and joined.count("\n") == max(len(ids) - 1, 0)
        ok = ok and not _CONTROL_BUT_LF.search(joined)
    except (TypeError, UnicodeEncodeError):
        ok = False
    if not ok:
        for value in ids:
            check_text(value, what)


def check_hex64(value: object, what: str) -> str:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise LotteryError(f"{what} must be 64 lowercase hex digits (a SHA-256), got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Pool:
    """The frozen applicant pool in canonical form.

    ``ids``: every public id once, ascending by code point (= by UTF-8 bytes).
    ``groups``: sibling groups of two or more, members ascending, groups ascending by their
    first member, which is the group's *key*. An id in no group is its own key.
    """

    ids: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        check_ids(self.ids)
        if any(a >= b for a, b in pairwise(self.ids)):
            raise LotteryError("pool ids must be unique and in ascending order")
        seen: set[str] = set()
        previous = ""
        for group in self.groups:
            if len(group) < 2 or any(a >= b for a, b in pairwise(group)):
                raise LotteryError(f"group {list(group)} must hold 2+ ids in ascending order")
            if group[0] <= previous:
                raise LotteryError("groups must be in ascending order of their first id")
            previous = group[0]
            for member in group:
                if member in seen:
                    raise LotteryError(f"public id {member!r} is in two groups")
                seen.add(member)
                self.index(member)

    @classmethod
    def _checked(cls, ids: tuple[str, ...], groups: tuple[tuple[str, ...], ...]) -> Pool:
        """A pool from parts the caller has already checked (see :func:`freeze_pool`):
        ``__post_init__`` would check two million ids a second time."""
        pool = object.__new__(cls)
        object.__setattr__(pool, "ids", ids)
        object.__setattr__(pool, "groups", groups)
        return pool

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, public_id: str) -> int:
        """Position of ``public_id`` in ``ids`` (LotteryError when absent)."""
        i = bisect.bisect_left(self.ids, public_id)
        if i == len(self.ids) or self.ids[i] != public_id:
            raise LotteryError(f"public id {public_id!r} is not in the pool")
        return i

    def key_index(self) -> np.ndarray:
        """int64 [n]: for each id, the index in ``ids`` of its group's key."""
        keys = np.arange(len(self.ids), dtype=np.int64)
        for group in self.groups:
            key = self.index(group[0])
            for member in group[1:]:
                keys[self.index(member)] = key
        return keys

    def encoding(self) -> bytes:
        """The bytes the fingerprint hashes (docs/lottery.md, "Pool fingerprint")."""
        lines = [POOL_DOMAIN.decode(), f"ids {len(self.ids)}", *self.ids]
        lines.append(f"groups {len(self.groups)}")
        lines.extend("\t".join(group) for group in self.groups)
        return ("\n".join(lines) + "\n").encode("utf-8")

    def fingerprint(self) -> str:
        return hashlib.sha256(self.encoding()).hexdigest()

    def to_json_value(self) -> dict[str, Any]:
        return {"ids": list(self.ids), "groups": [list(g) for g in self.groups]}


def freeze_pool(
    public_ids: Sequence[str], siblings: Sequence[Sequence[str]] | None = None
) -> tuple[Pool, np.ndarray]:
    """The canonical pool of some applications, and for each input row its index in
    ``pool.ids``.

    ``siblings[i]`` lists the public ids that row i says apply together with it. Links may be
    one-sided or partial: groups are the connected components of the links read as undirected
    edges. A link to an id outside the pool, or to itself, is ignored (that sibling is not in
    this draw).
    """
    ids = list(public_ids)
    check_ids(ids)
    if siblings is not None and len(siblings) != len(ids):
        raise LotteryError("siblings must have one entry per public id")
    if is_ascending(ids):  # already canonical, as the season orders its applications
        sorted_ids, row_index = ids, np.arange(len(ids), dtype=np.int64)
    else:
        sorted_ids, row_index = _sorted(ids)
    groups = _components(ids, sorted_ids, siblings) if siblings is not None else ()
    # Built here from checked, sorted, unique ids and well-formed groups: no second check.
    return Pool._checked(tuple(sorted_ids), groups), row_index


def _sorted(ids: list[str]) -> tuple[list[str], np.ndarray]:
    """``ids`` in code point order, and each input's position in it; LotteryError on the
    first id (in that order) that appears twice. Sorted on UTF-8 words with numpy: a Python
    sort of two million ids spends over a second comparing strings."""
    words = utf8_words(ids)
    if words is None:  # impossible after check_ids (no control characters), but be exact
        order = np.array(sorted(range(len(ids)), key=ids.__getitem__), dtype=np.int64)
        same = [a == b for a, b in pairwise([ids[i] for i in order.tolist()])]
    else:
        order = order_of(words)
        ordered = words[order]
        same = (ordered[1:] == ordered[:-1]).all(axis=1).tolist()
    if any(same):
        raise LotteryError(f"public id {ids[int(order[same.index(True)])]!r} appears twice")
    row_index = np.empty(len(ids), dtype=np.int64)
    row_index[order] = np.arange(len(ids), dtype=np.int64)
    return [ids[i] for i in order.tolist()], row_index


def _components(
    ids: list[str], sorted_ids: list[str], siblings: Sequence[Sequence[str]]
) -> tuple[tuple[str, ...], ...]:
    # Union-find over the few ids that take part in a link; everything else is a singleton.
    def present(x: str) -> bool:
        i = bisect.bisect_left(sorted_ids, x)
        return i < len(sorted_ids) and sorted_ids[i] == x

    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in [i for i, links in enumerate(siblings) if links]:
        own = ids[row]
        for other in siblings[row]:
            if other != own and present(other):
                a, b = root(own), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for x in parent:
        members.setdefault(root(x), []).append(x)
    return tuple(sorted(tuple(sorted(m)) for m in members.values()))


@dataclass(frozen=True, slots=True)
class Witness:
    """A value typed or drawn at the ceremony. Conventional roles: ``notary``,
    ``parent_representative``, ``discipline_inspector``, ``bureau``."""

    role: str
    name: str
    value: str

    def __post_init__(self) -> None:
        check_text(self.role, "witness role")
        check_text(self.name, "witness name")
        check_text(self.value, f"value of witness {self.name!r}")


@dataclass(frozen=True, slots=True)
class Beacon:
    """A public randomness beacon round named in advance, e.g. source ``drand quicknet``."""

    source: str
    round: int
    value: str  # hex, lowercase, as published for that round

    def __post_init__(self) -> None:
        check_text(self.source, "beacon source")
        if isinstance(self.round, bool) or not isinstance(self.round, int) or self.round < 0:
            raise LotteryError(f"beacon round must be a whole number >= 0, got {self.round!r}")
        if not isinstance(self.value, str) or not _HEX.fullmatch(self.value):
            raise LotteryError(f"beacon value must be lowercase hex bytes, got {self.value!r}")


@dataclass(frozen=True, slots=True)
class SeedInputs:
    """Everything the seed is derived from. Witnesses are kept in canonical order (by role,
    then name); two witnesses with the same role and name are an error."""

    label: str  # what is drawn, e.g. "110102 2025 primary: 实验小学"
    pool_fingerprint: str
    witnesses: tuple[Witness, ...]
    policy_digest: str
    program_digest: str
    beacon: Beacon | None = None

    def __post_init__(self) -> None:
        check_text(self.label, "label", allow_empty=True)
        check_hex64(self.pool_fingerprint, "pool fingerprint")
        check_hex64(self.policy_digest, "policy digest")
        check_hex64(self.program_digest, "program digest")
        ordered = tuple(sorted(self.witnesses, key=lambda w: (w.role, w.name)))
        for a, b in pairwise(ordered):
            if (a.role, a.name) == (b.role, b.name):
                raise LotteryError(f"witness {a.role}/{a.name} is given twice")
        if not ordered and self.beacon is None:
            raise LotteryError("a draw needs at least one witness input or a beacon")
        object.__setattr__(self, "witnesses", ordered)

    def to_json_value(self) -> dict[str, Any]:
        return {
            "beacon": None
            if self.beacon is None
            else {
                "round": self.beacon.round,
                "source": self.beacon.source,
                "value": self.beacon.value,
            },
            "label": self.label,
            "policy_digest": self.policy_digest,
            "pool_fingerprint": self.pool_fingerprint,
            "program_digest": self.program_digest,
            "spec": SPEC,
            "witnesses": [
                {"name": w.name, "role": w.role, "value": w.value} for w in self.witnesses
            ],
        }


def derive_seed(inputs: SeedInputs) -> bytes:
    """32 bytes: SHA-256(SEED_DOMAIN || canonical JSON of the inputs)."""
    return hashlib.sha256(SEED_DOMAIN + canonical_json(inputs.to_json_value())).digest()


def number_of(seed: bytes, key: str) -> int:
    """One group's 64-bit number: what a family recomputes for its own key."""
    digest = hashlib.sha256(NUMBER_DOMAIN + seed + key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True, slots=True)
class Draw:
    pool: Pool
    seed: bytes
    numbers: np.ndarray  # uint64 [n], aligned with pool.ids; a sibling group shares one
    positions: np.ndarray  # int64 [n], 1 = drawn first; a sibling group shares one

    def hex_numbers(self) -> list[str]:
        text = self.numbers.astype(">u8").tobytes().hex()
        return [text[i : i + 16] for i in range(0, len(text), 16)]

    def market_lottery(self, row_index: np.ndarray) -> np.ndarray:
        """uint64 [rows]: the draw position of each input row (``row_index`` as returned by
        :func:`freeze_pool`), ready for :attr:`sunshine.core.market.Market.lottery`. Positions,
        not raw numbers, so that the tie-break by key is already folded in; siblings share."""
        return self.positions[row_index].astype(np.uint64)


def draw(pool: Pool, seed: bytes, *, processes: int = 1) -> Draw:
    """Number every group and order the groups by (number, key).

    ``processes=2`` lets a large pool be hashed by two processes (same result; see
    :mod:`sunshine.core.digests`).
    """
    if len(seed) != 32:
        raise LotteryError("the seed must be 32 bytes")
    key_index = pool.key_index()
    # Hashing every id (not only the keys) costs a few percent more hashes but saves building a
    # list of keys; a member's number is then read off its key's row.
    row_numbers = prefixed_numbers(NUMBER_DOMAIN + seed, pool.ids, processes=processes)
    key_rows = np.flatnonzero(key_index == np.arange(len(pool.ids), dtype=np.int64))
    group_numbers = row_numbers[key_rows]
    drawn = _order_by_number_then_key(group_numbers)
    group_positions = np.empty(len(key_rows), dtype=np.int64)
    group_positions[drawn] = np.arange(1, len(key_rows) + 1, dtype=np.int64)
    row_positions = np.zeros(len(pool.ids), dtype=np.int64)
    row_positions[key_rows] = group_positions
    return Draw(pool, seed, row_numbers[key_index], row_positions[key_index])


def _order_by_number_then_key(numbers: np.ndarray) -> np.ndarray:
    # The groups come in ascending key order, so a stable sort breaks ties by key. Equal 64-bit
    # numbers are so rare (about n^2 / 2^65) that the faster unstable sort is tried first.
    order = np.argsort(numbers)
    ordered = numbers[order]
    if len(ordered) > 1 and bool(np.any(ordered[1:] == ordered[:-1])):
        order = np.argsort(numbers, kind="stable")
    return order
