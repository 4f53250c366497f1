"""A family's number: found in a published ceremony and derived again with the core functions,
step by step as docs/lottery.md §6 describes, so the page can show every intermediate value."""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass

from sunshine.ceremony.models import Ceremony
from sunshine.core.lottery import NUMBER_DOMAIN, draw, number_of


@dataclass(frozen=True, slots=True)
class NumberDerivation:
    ceremony: Ceremony
    public_id: str
    key: str  # the sibling group's key (the id itself when it applied alone)
    siblings: tuple[str, ...]  # the other members of its group
    seed: str  # hex
    message: str  # hex of NUMBER_DOMAIN || seed || UTF-8(key)
    digest: str  # hex SHA-256 of the message
    number_hex: str  # the first 8 bytes of the digest
    number: int
    position: int  # 1 = drawn first
    groups: int  # how many groups were drawn


def find_published(public_id: str) -> Ceremony | None:
    """The latest published ceremony whose frozen pool holds ``public_id``."""
    for ceremony in Ceremony.objects.filter(state=Ceremony.State.PUBLISHED).order_by(
        "-published_at", "-pk"
    ):
        ids = ceremony.pool_ids
        i = bisect.bisect_left(ids, public_id)
        if i < len(ids) and ids[i] == public_id:
            return ceremony
    return None


def derive_number(ceremony: Ceremony, public_id: str) -> NumberDerivation:
    pool = ceremony.pool()
    group = next((g for g in pool.groups if public_id in g), (public_id,))
    key = group[0]
    seed = bytes.fromhex(ceremony.seed)
    message = NUMBER_DOMAIN + seed + key.encode("utf-8")
    digest = hashlib.sha256(message).hexdigest()
    number = number_of(seed, key)
    result = draw(pool, seed)
    index = pool.index(public_id)
    if int(result.numbers[index]) != number:  # the two derivations are the same rule
        raise AssertionError("the stepwise number differs from the draw's")
    return NumberDerivation(
        ceremony=ceremony,
        public_id=public_id,
        key=key,
        siblings=tuple(m for m in group if m != public_id),
        seed=ceremony.seed,
        message=message.hex(),
        digest=digest,
        number_hex=digest[:16],
        number=number,
        position=int(result.positions[index]),
        groups=int(result.positions.max()) if len(pool) else 0,
    )
