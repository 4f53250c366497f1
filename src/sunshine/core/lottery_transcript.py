"""The lottery transcript: everything needed to re-run a draw, as canonical JSON, and its check.

The transcript is the seed inputs (docs/lottery.md, "Seed") plus three fields: ``pool``,
``seed`` and ``numbers`` (one 16-hex-digit number per public id, in pool order). No file I/O:
callers read and write the bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from sunshine.core.canonical import canonical_json
from sunshine.core.lottery import (
    SPEC,
    Beacon,
    Draw,
    LotteryError,
    Pool,
    SeedInputs,
    Witness,
    check_hex64,
    derive_seed,
    draw,
)

_INPUT_KEYS: Final = frozenset(
    ("spec", "label", "pool_fingerprint", "witnesses", "beacon", "policy_digest", "program_digest")
)
_KEYS: Final = _INPUT_KEYS | {"pool", "seed", "numbers"}


class TranscriptError(LotteryError):
    """A transcript that is not well-formed (as opposed to one whose numbers do not match)."""


@dataclass(frozen=True, slots=True)
class Transcript:
    inputs: SeedInputs
    pool: Pool
    seed: str  # hex of the 32-byte seed
    numbers: np.ndarray  # uint64 [n], aligned with pool.ids

    @classmethod
    def from_draw(cls, inputs: SeedInputs, result: Draw) -> Transcript:
        """The transcript of a draw; refuses a draw that was not made from these inputs."""
        if result.pool.fingerprint() != inputs.pool_fingerprint:
            raise LotteryError("the draw's pool does not have the fingerprint in the inputs")
        if derive_seed(inputs) != result.seed:
            raise LotteryError("the draw's seed was not derived from these inputs")
        return cls(inputs, result.pool, result.seed.hex(), result.numbers)

    def hex_numbers(self) -> list[str]:
        text = self.numbers.astype(">u8").tobytes().hex()
        return [text[i : i + 16] for i in range(0, len(text), 16)]

    def to_json_value(self) -> dict[str, Any]:
        value = self.inputs.to_json_value()
        value.update(pool=self.pool.to_json_value(), seed=self.seed, numbers=self.hex_numbers())
        return value

    def to_json(self) -> bytes:
        return canonical_json(self.to_json_value())

    @classmethod
    def from_json(cls, data: bytes | str) -> Transcript:
        try:
            value = json.loads(data, object_pairs_hook=_no_duplicate_keys)
        except (ValueError, UnicodeDecodeError) as e:
            raise TranscriptError(f"not a JSON transcript: {e}") from None
        try:
            return cls._from_value(value)
        except TranscriptError:
            raise
        except (LotteryError, TypeError, KeyError, AttributeError) as e:
            raise TranscriptError(f"malformed transcript: {e}") from None

    @classmethod
    def _from_value(cls, value: Any) -> Transcript:
        if not isinstance(value, dict) or set(value) != _KEYS:
            raise TranscriptError(
                f"a transcript is an object with exactly the keys {sorted(_KEYS)}"
            )
        if value["spec"] != SPEC:
            raise TranscriptError(f"unknown spec {value['spec']!r}; this program checks {SPEC}")
        beacon = value["beacon"]
        inputs = SeedInputs(
            label=value["label"],
            pool_fingerprint=value["pool_fingerprint"],
            witnesses=tuple(
                Witness(**_exact(w, "role", "name", "value")) for w in value["witnesses"]
            ),
            policy_digest=value["policy_digest"],
            program_digest=value["program_digest"],
            beacon=None if beacon is None else Beacon(**_exact(beacon, "source", "round", "value")),
        )
        if inputs.to_json_value()["witnesses"] != value["witnesses"]:
            raise TranscriptError("witnesses must be listed in canonical order (role, name)")
        pool_value = _exact(value["pool"], "ids", "groups")
        pool = Pool(tuple(pool_value["ids"]), tuple(tuple(g) for g in pool_value["groups"]))
        return cls(
            inputs, pool, check_hex64(value["seed"], "seed"), _parse_numbers(value["numbers"])
        )


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("an object has a duplicate key")
    return result


def _exact(value: Any, *keys: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != set(keys):
        raise TranscriptError(f"expected an object with the keys {', '.join(keys)}, got {value!r}")
    return value


def _parse_numbers(value: Any) -> np.ndarray:
    if not isinstance(value, list) or not all(isinstance(x, str) and len(x) == 16 for x in value):
        raise TranscriptError("numbers must be a list of 16-hex-digit strings")
    text = "".join(value)
    if text != text.lower():
        raise TranscriptError("numbers must be lowercase hex")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise TranscriptError("numbers must be lowercase hex") from None
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64)


@dataclass(frozen=True, slots=True)
class VerificationReport:
    ok: bool
    checked: int  # numbers compared
    seed: str  # the recomputed seed, hex
    mismatch: str | None = None  # the first difference, in words

    def summary(self) -> str:
        if self.ok:
            return f"verified: {self.checked} numbers match (seed {self.seed})"
        return f"mismatch: {self.mismatch}"


def verify_transcript(transcript: Transcript, *, processes: int = 1) -> VerificationReport:
    """Re-run the draw from the transcript alone; name the first thing that differs."""
    fingerprint = transcript.pool.fingerprint()
    seed = derive_seed(transcript.inputs)

    def fail(what: str) -> VerificationReport:
        return VerificationReport(False, 0, seed.hex(), what)

    if fingerprint != transcript.inputs.pool_fingerprint:
        return fail(
            f"pool_fingerprint: the pool hashes to {fingerprint}, "
            f"the transcript says {transcript.inputs.pool_fingerprint}"
        )
    if seed.hex() != transcript.seed:
        return fail(f"seed: the inputs give {seed.hex()}, the transcript says {transcript.seed}")
    n = len(transcript.pool)
    if len(transcript.numbers) != n:
        return fail(f"numbers: {len(transcript.numbers)} numbers for {n} public ids")
    expected = draw(transcript.pool, seed, processes=processes).numbers
    differ = np.flatnonzero(expected != transcript.numbers)
    if len(differ):
        i = int(differ[0])
        return fail(
            f"number of {transcript.pool.ids[i]}: recomputed {int(expected[i]):016x}, "
            f"the transcript says {int(transcript.numbers[i]):016x}"
        )
    return VerificationReport(True, n, seed.hex())
