"""The stepwise derivation shown to a family agrees with the draw, for any pool."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from sunshine.ceremony.lookup import derive_number
from sunshine.ceremony.models import Ceremony
from sunshine.core.lottery import NUMBER_DOMAIN, draw, freeze_pool
from tests.core.lottery_strategies import applications


@given(applications(), st.binary(min_size=32, max_size=32), st.data())
def test_the_derivation_matches_the_draw(
    apps: tuple[list[str], list[tuple[str, ...]]], seed: bytes, data: st.DataObject
) -> None:
    pool, _ = freeze_pool(*apps)
    # An unsaved ceremony: the derivation reads only its stored pool and seed.
    ceremony = Ceremony(
        pool_ids=list(pool.ids), pool_groups=[list(g) for g in pool.groups], seed=seed.hex()
    )
    public_id = data.draw(st.sampled_from(pool.ids))
    result = derive_number(ceremony, public_id)
    reference = draw(pool, seed)
    i = pool.index(public_id)
    assert result.number == int(reference.numbers[i])
    assert result.position == int(reference.positions[i])
    assert 1 <= result.position <= result.groups
    assert result.groups == len(pool.ids) - sum(len(g) - 1 for g in pool.groups)
    assert bytes.fromhex(result.message) == NUMBER_DOMAIN + seed + result.key.encode("utf-8")
    assert result.digest == hashlib.sha256(bytes.fromhex(result.message)).hexdigest()
    assert public_id not in result.siblings
    members = {public_id, *result.siblings}
    assert result.key == min(members)
