"""`sunshine lottery ...`: draw a verifiable lottery and re-check a published transcript."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from sunshine.cli.errors import CliError
from sunshine.core.lottery import (
    Beacon,
    LotteryError,
    SeedInputs,
    Witness,
    derive_seed,
    draw,
    freeze_pool,
)
from sunshine.core.lottery_transcript import Transcript, verify_transcript
from sunshine.datasets.schema import APPLICATIONS, LIST_SEPARATOR
from sunshine.files import write_bytes_atomically
from sunshine.provenance import program_sha256

_ID = APPLICATIONS.column("application_id").name
_SIBLINGS = APPLICATIONS.column("sibling_application_ids").name


F = TypeVar("F", bound=Callable[..., Any])


@click.group("lottery")
def lottery() -> None:
    """The verifiable lottery (docs/lottery.md)."""


@lottery.command("verify")
@click.argument("transcript", type=click.Path(dir_okay=False, path_type=Path))
def verify(transcript: Path) -> None:
    """Re-run a draw from its TRANSCRIPT alone and compare every number."""
    try:
        report = verify_transcript(Transcript.from_json(_read(transcript)), processes=2)
    except LotteryError as e:
        raise CliError(str(e)) from None
    if not report.ok:
        raise CliError(report.summary())
    click.echo(report.summary())


def seed_input_options(command: F) -> F:
    """--witness (repeatable) and the three --beacon-* options, parsed by
    :func:`parse_witness` and :func:`parse_beacon`."""
    options = [
        click.option(
            "--witness",
            "witnesses",
            multiple=True,
            metavar="ROLE:NAME=VALUE",
            help="A witness input, e.g. notary:张公证=314159 (repeat for each witness).",
        ),
        click.option("--beacon-source", help="e.g. 'drand quicknet'"),
        click.option("--beacon-round", type=click.IntRange(min=0)),
        click.option("--beacon-value", help="the round's randomness, hex"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@lottery.command("draw")
@click.option(
    "--pool",
    "pool_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV with application_id and, optionally, sibling_application_ids.",
)
@seed_input_options
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The published policy file; its SHA-256 is the policy digest.",
)
@click.option("--policy-digest", help="SHA-256 of the policy, hex (instead of --policy).")
@click.option("--program-digest", help="Default: the digest of this installed program.")
@click.option("--label", default="", help="What is drawn, e.g. '110102 2025 primary'.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def draw_command(
    pool_file: Path,
    witnesses: tuple[str, ...],
    beacon_source: str | None,
    beacon_round: int | None,
    beacon_value: str | None,
    policy_file: Path | None,
    policy_digest: str | None,
    program_digest: str | None,
    label: str,
    out: Path,
) -> None:
    """Freeze the pool, derive the seed from the inputs, draw, and write the transcript."""
    ids, siblings = _read_pool(pool_file)
    try:
        pool, _ = freeze_pool(ids, siblings)
        inputs = SeedInputs(
            label=label,
            pool_fingerprint=pool.fingerprint(),
            witnesses=tuple(parse_witness(w) for w in witnesses),
            policy_digest=_policy_digest(policy_file, policy_digest),
            program_digest=(program_digest or program_sha256()).lower(),
            beacon=parse_beacon(beacon_source, beacon_round, beacon_value),
        )
        result = draw(pool, derive_seed(inputs), processes=2)
    except LotteryError as e:
        raise CliError(str(e)) from None
    _write_atomically(out, Transcript.from_draw(inputs, result).to_json())
    click.echo(f"drew {len(pool)} applications in {len(set(result.positions.tolist()))} groups")
    click.echo(f"pool fingerprint {inputs.pool_fingerprint}")
    click.echo(f"seed {result.seed.hex()}")
    click.echo(f"transcript written to {out}")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise CliError(f"cannot read {path}: {e.strerror}") from None


def _read_pool(path: Path) -> tuple[list[str], list[tuple[str, ...]]]:
    try:
        text = _read(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CliError(f"{path} is not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames is None or _ID not in reader.fieldnames:
        raise CliError(f"{path} has no {_ID} column")
    ids: list[str] = []
    siblings: list[tuple[str, ...]] = []
    for row in reader:
        ids.append(row[_ID])
        cell = row.get(_SIBLINGS) or ""
        siblings.append(tuple(s for s in cell.split(LIST_SEPARATOR) if s))
    return ids, siblings


def parse_witness(spec: str) -> Witness:
    who, sep, value = spec.partition("=")
    role, colon, name = who.partition(":")
    if not sep or not colon:
        raise CliError(f"--witness {spec!r}: write ROLE:NAME=VALUE")
    return Witness(role, name, value)


def parse_beacon(source: str | None, round_: int | None, value: str | None) -> Beacon | None:
    given = (source is not None, round_ is not None, value is not None)
    if not any(given):
        return None
    if source is None or round_ is None or value is None:
        raise CliError("a beacon needs --beacon-source, --beacon-round and --beacon-value")
    return Beacon(source, round_, value.lower())


def _policy_digest(policy_file: Path | None, digest: str | None) -> str:
    if (policy_file is None) == (digest is None):
        raise CliError("give exactly one of --policy and --policy-digest")
    if policy_file is not None:
        return hashlib.sha256(_read(policy_file)).hexdigest()
    assert digest is not None
    return digest.lower()


def _write_atomically(path: Path, data: bytes) -> None:
    # A reader never sees half a transcript: write beside it, then rename over it.
    try:
        write_bytes_atomically(path, [data])
    except OSError as e:
        raise CliError(f"cannot write {path}: {e.strerror}") from None


COMMANDS = [lottery]
