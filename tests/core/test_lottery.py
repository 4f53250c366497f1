from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core import digests
from sunshine.core.lottery import (
    Beacon,
    LotteryError,
    Pool,
    SeedInputs,
    Witness,
    _order_by_number_then_key,
    derive_seed,
    draw,
    freeze_pool,
    number_of,
)
from sunshine.core.lottery_transcript import Transcript, TranscriptError, verify_transcript
from tests.core.lottery_strategies import (
    POLICY,
    PROGRAM,
    applications,
    make_transcript,
    witnesses,
)

pytestmark = pytest.mark.no_postgres_rerun
SPEC_DOC = Path(__file__).resolve().parents[2] / "docs" / "lottery.md"


def _example() -> tuple[Pool, np.ndarray, SeedInputs]:
    pool, rows = freeze_pool(["A-0003", "A-0001", "A-0002", "A-0004"], [(), ("A-0003",), (), ()])
    inputs = SeedInputs(
        label="示例县 2025 primary: 实验小学",
        pool_fingerprint=pool.fingerprint(),
        witnesses=(
            Witness("parent_representative", "李家长", "271828"),
            Witness("notary", "张公证", "314159"),
        ),
        policy_digest=POLICY,
        program_digest=PROGRAM,
        beacon=Beacon("drand quicknet", 1000, "ab" * 32),
    )
    return pool, rows, inputs


def test_worked_example_in_the_spec() -> None:
    pool, rows, inputs = _example()
    spec = SPEC_DOC.read_text(encoding="utf-8")
    assert pool.ids == ("A-0001", "A-0002", "A-0003", "A-0004")
    assert pool.groups == (("A-0001", "A-0003"),)
    assert rows.tolist() == [2, 0, 1, 3]
    encoded = pool.encoding().decode().replace("\n", "\\n").replace("\t", "\\t")
    assert encoded in spec
    fingerprint = "0f088975a3532cf58dd3c8ea5086944773bb3362e96df923af1d2bc072293f65"
    assert pool.fingerprint() == fingerprint
    assert f"pool_fingerprint: `{fingerprint}`" in spec
    assert (
        json.dumps(
            inputs.to_json_value(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        in spec
    )
    seed = derive_seed(inputs)
    assert seed.hex() == "289d7ccb373a3f86364c7d19724e1149af619061e5a5cfa065d134b0c0abb773"
    assert f"seed: `{seed.hex()}`" in spec
    result = draw(pool, seed)
    expected = ["4da814a501763674", "c8f1def07434e24f", "4da814a501763674", "eb3f2a8e2e2884d2"]
    assert result.hex_numbers() == expected
    assert result.positions.tolist() == [1, 2, 1, 3]
    assert result.market_lottery(rows).tolist() == [1, 1, 2, 3]  # rows A-0003, A-0001, ...
    for public_id, number, position in zip(pool.ids, expected, [1, 2, 1, 3], strict=True):
        key = "A-0001" if public_id == "A-0003" else public_id
        assert f"| `{public_id}` | `{key}` | `{number}` | {position} |" in spec
        assert number_of(seed, key) == int(number, 16)


@settings(max_examples=60, deadline=None)
@given(applications(), st.randoms(use_true_random=False), st.binary(min_size=32, max_size=32))
def test_the_draw_does_not_depend_on_input_order(
    apps: tuple[list[str], list[tuple[str, ...]]], rnd: random.Random, seed: bytes
) -> None:
    ids, links = apps
    perm = list(range(len(ids)))
    rnd.shuffle(perm)
    pool_a, rows_a = freeze_pool(ids, links)
    pool_b, rows_b = freeze_pool([ids[i] for i in perm], [links[i] for i in perm])
    assert pool_a == pool_b
    assert pool_a.fingerprint() == pool_b.fingerprint()
    a, b = draw(pool_a, seed), draw(pool_b, seed)
    by_id_a = {ids[r]: (int(a.numbers[i]), int(a.positions[i])) for r, i in enumerate(rows_a)}
    by_id_b = {ids[perm[r]]: (int(b.numbers[i]), int(b.positions[i])) for r, i in enumerate(rows_b)}
    assert by_id_a == by_id_b


@settings(max_examples=60, deadline=None)
@given(applications(), st.binary(min_size=32, max_size=32))
def test_groups_share_a_number_and_positions_follow_number_then_key(
    apps: tuple[list[str], list[tuple[str, ...]]], seed: bytes
) -> None:
    ids, links = apps
    pool, _ = freeze_pool(ids, links)
    result = draw(pool, seed)
    keys = pool.key_index()
    # every linked pair (inside the pool) ends up in one group
    for own, others in zip(ids, links, strict=True):
        for other in others:
            if other in pool.ids:
                assert keys[pool.index(own)] == keys[pool.index(other)]
    # each member carries its key's number, recomputable on its own
    for i, public_id in enumerate(pool.ids):
        key = pool.ids[keys[i]]
        assert int(result.numbers[i]) == number_of(seed, key)
        assert key <= public_id
    # positions: 1..groups, ordered by (number, key)
    key_rows = sorted(set(keys.tolist()))
    ranked = sorted(key_rows, key=lambda r: (int(result.numbers[r]), pool.ids[r]))
    assert [int(result.positions[r]) for r in ranked] == list(range(1, len(key_rows) + 1))


def test_one_sided_partial_and_outside_links_make_components() -> None:
    ids = ["c", "a", "b", "d", "e"]
    links = [("b",), (), ("a", "zz"), ("d",), ()]  # c-b, b-a: {a, b, c}; d->d and zz ignored
    pool, _ = freeze_pool(ids, links)
    assert pool.groups == (("a", "b", "c"),)
    result = draw(pool, bytes(32))
    assert len(set(result.numbers[:3].tolist())) == 1
    assert len(set(result.positions.tolist())) == 3


def test_equal_numbers_are_ordered_by_key() -> None:
    numbers = np.array([5, 3, 5, 1, 3], dtype=np.uint64)  # groups already in key order
    assert _order_by_number_then_key(numbers).tolist() == [3, 1, 4, 0, 2]


def test_forked_hashing_gives_the_same_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digests, "MIN_PARALLEL", 10)
    pool, _ = freeze_pool([f"id-{i}" for i in range(1001)])
    seed = bytes(range(32))
    assert np.array_equal(draw(pool, seed).numbers, draw(pool, seed, processes=2).numbers)


@settings(max_examples=40, deadline=None)
@given(witnesses, st.data())
def test_every_witness_input_changes_the_seed_and_order_does_not(
    who: list[Witness], data: st.DataObject
) -> None:
    pool, _, _ = _example()

    def seed(ws: list[Witness]) -> bytes:
        return derive_seed(SeedInputs("x", pool.fingerprint(), tuple(ws), POLICY, PROGRAM))

    assert seed(who) == seed(list(reversed(who)))
    i = data.draw(st.integers(0, len(who) - 1))
    changed = [*who]
    changed[i] = Witness(who[i].role, who[i].name, who[i].value + "1")
    assert seed(changed) != seed(who)


def test_every_seed_input_is_bound() -> None:
    _, _, base = _example()
    fields = {
        "label": "another",
        "pool_fingerprint": "1" * 64,
        "policy_digest": "2" * 64,
        "program_digest": "3" * 64,
        "beacon": Beacon("drand quicknet", 1001, "ab" * 32),
    }
    seeds = {derive_seed(base)}
    for name, value in fields.items():
        values = {f: getattr(base, f) for f in SeedInputs.__dataclass_fields__}
        values[name] = value
        seeds.add(derive_seed(SeedInputs(**values)))
    assert len(seeds) == len(fields) + 1


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["a", "a"], "appears twice"),
        (["a", ""], "must not be empty"),
        (["a", "b\nc"], "control character"),
        (["a\tb"], "control character"),
        (["\ud800"], "not valid Unicode"),
    ],
)
def test_bad_public_ids_are_refused(ids: list[str], message: str) -> None:
    with pytest.raises(LotteryError, match=message):
        freeze_pool(ids)


def test_bad_seed_inputs_are_refused() -> None:
    pool, _, _ = _example()
    fp = pool.fingerprint()
    with pytest.raises(LotteryError, match="at least one witness"):
        SeedInputs("x", fp, (), POLICY, PROGRAM)
    twice = (Witness("notary", "a", "1"), Witness("notary", "a", "2"))
    with pytest.raises(LotteryError, match="given twice"):
        SeedInputs("x", fp, twice, POLICY, PROGRAM)
    with pytest.raises(LotteryError, match="policy digest"):
        SeedInputs("x", fp, twice[:1], POLICY.upper(), PROGRAM)
    with pytest.raises(LotteryError, match="beacon value"):
        Beacon("drand", 1, "abc")
    with pytest.raises(LotteryError, match="32 bytes"):
        draw(pool, b"short")


@settings(max_examples=30, deadline=None)
@given(applications())
def test_transcript_round_trips_and_verifies(apps: tuple[list[str], list[tuple[str, ...]]]) -> None:
    transcript = make_transcript(*apps)
    again = Transcript.from_json(transcript.to_json())
    assert again.to_json() == transcript.to_json()
    report = verify_transcript(again)
    assert report.ok, report.mismatch
    assert report.summary() == f"verified: {len(apps[0])} numbers match (seed {transcript.seed})"


def _tampered(change: str) -> dict[str, object]:
    value = json.loads(make_transcript(["a", "b", "c"], [("c",), (), ()]).to_json())
    if change == "number":
        value["numbers"][1] = "0" * 16
    elif change == "witness":
        value["witnesses"][0]["value"] = "314158"
    elif change == "pool":
        value["pool"]["ids"].append("d")
        value["numbers"].append("0" * 16)
    elif change == "seed":
        value["seed"] = "0" * 64
    return value


@pytest.mark.parametrize(
    ("change", "mismatch"),
    [
        ("number", "number of b: recomputed"),
        ("witness", "seed: the inputs give"),
        ("pool", "pool_fingerprint: the pool hashes to"),
        ("seed", "seed: the inputs give"),
    ],
)
def test_verification_names_the_first_tampered_value(change: str, mismatch: str) -> None:
    data = json.dumps(_tampered(change), ensure_ascii=False).encode()
    report = verify_transcript(Transcript.from_json(data))
    assert not report.ok
    assert report.mismatch is not None
    assert report.mismatch.startswith(mismatch)


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b"[]",
        b'{"spec": "sunshine/lottery/v1"}',
        b'{"a": 1, "a": 2}',
    ],
)
def test_malformed_transcripts_are_refused(data: bytes) -> None:
    with pytest.raises(TranscriptError):
        Transcript.from_json(data)


def test_witnesses_out_of_canonical_order_are_refused() -> None:
    transcript = make_transcript(
        ["a"], None, (Witness("notary", "z", "1"), Witness("parent_representative", "a", "2"))
    )
    value = json.loads(transcript.to_json())
    value["witnesses"].reverse()
    with pytest.raises(TranscriptError, match="canonical order"):
        Transcript.from_json(json.dumps(value))
