"""Hypothesis strategies and helpers for lottery tests (shared with the standalone verifier's)."""

from __future__ import annotations

import hashlib

from hypothesis import strategies as st

from sunshine.core.lottery import Beacon, SeedInputs, Witness, derive_seed, draw, freeze_pool
from sunshine.core.lottery_transcript import Transcript

POLICY = hashlib.sha256(b"example policy").hexdigest()
PROGRAM = hashlib.sha256(b"example program").hexdigest()

# Public ids: any printable text (CJK, spaces, symbols included), never a control character.
public_ids = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=12)


@st.composite
def applications(draw_: st.DrawFn, max_size: int = 40) -> tuple[list[str], list[tuple[str, ...]]]:
    """Unique ids with random, often one-sided sibling links (some to ids outside the pool)."""
    ids = draw_(st.lists(public_ids, min_size=1, max_size=max_size, unique=True))
    outsider = st.sampled_from(["not-in-pool", *ids])
    links = draw_(
        st.lists(
            st.lists(outsider, max_size=3).map(tuple) | st.just(()),
            min_size=len(ids),
            max_size=len(ids),
        )
    )
    return ids, links


witnesses = st.lists(
    st.builds(
        Witness, st.sampled_from(["notary", "parent_representative"]), public_ids, public_ids
    ),
    min_size=1,
    max_size=4,
    unique_by=lambda w: (w.role, w.name),
)


def make_transcript(
    ids: list[str],
    siblings: list[tuple[str, ...]] | None,
    who: tuple[Witness, ...] = (Witness("notary", "张公证", "314159"),),
    beacon: Beacon | None = None,
    label: str = "测试",
) -> Transcript:
    pool, _ = freeze_pool(ids, siblings)
    inputs = SeedInputs(label, pool.fingerprint(), who, POLICY, PROGRAM, beacon)
    return Transcript.from_draw(inputs, draw(pool, derive_seed(inputs)))
