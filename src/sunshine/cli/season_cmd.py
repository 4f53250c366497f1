"""`sunshine season run`: the whole admission engine over a data package, no database."""

from __future__ import annotations

import time
from pathlib import Path

import click
from tqdm import tqdm

from sunshine.cli.errors import CliError
from sunshine.cli.lottery_cmd import parse_beacon, parse_witness, seed_input_options
from sunshine.core.lottery import Beacon, LotteryError, Witness
from sunshine.datasets.errors import PackageErrors
from sunshine.datasets.to_core import ToCoreError
from sunshine.provenance import program_sha256

STAGES = ("read", "prepare", "lottery", "zone", "verify+tier", "allocate", "classes", "write")


@click.group("season")
def season() -> None:
    """The admission season over a data package."""


@season.command("run")
@click.argument("package", type=click.Path(exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path))
@seed_input_options
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="zh",
    show_default=True,
    help="Language of the reasons and explanations in the files.",
)
@click.option("--processes", default=2, show_default=True, type=click.IntRange(1, 2))
@click.option(
    "--jobs",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="For a province folder (one package folder per county): counties run at once, "
    "each in its own process.",
)
@click.option("--progress/--no-progress", default=True, show_default=True)
def run_command(
    package: Path,
    out: Path,
    witnesses: tuple[str, ...],
    beacon_source: str | None,
    beacon_round: int | None,
    beacon_value: str | None,
    lang: str,
    processes: int,
    jobs: int,
    progress: bool,
) -> None:
    """Verify, zone, tier, draw, allocate and form classes; write the results to OUT.

    PACKAGE is a data package, or a province: a folder of county packages, each run in its
    own process into OUT/<county>/. Without a --witness the lottery is marked a rehearsal
    (docs/season.md)."""
    from sunshine.season import REHEARSAL_WITNESS, read_and_run, write_outputs
    from sunshine.season.malloc import keep_freed_memory
    from sunshine.season.province import county_folders

    started = time.perf_counter()
    keep_freed_memory()  # fewer page faults; county processes forked below inherit it
    # tqdm's monitor thread would make this process multi-threaded, and a multi-threaded
    # process never forks (sunshine.datasets.forked): no lottery or writing on two cores.
    tqdm.monitor_interval = 0
    given = tuple(parse_witness(w) for w in witnesses) or (REHEARSAL_WITNESS,)
    beacon = parse_beacon(beacon_source, beacon_round, beacon_value)
    counties = county_folders(package)
    if counties is not None:
        _province(counties, out, given, beacon, lang, processes, jobs, progress)
        return
    bar = tqdm(total=len(STAGES), disable=not progress, unit="stage", leave=False)

    def step(name: str) -> None:
        if name in STAGES and bar.n < len(STAGES):
            bar.set_description(name)
            bar.update(1)

    try:
        outcome = read_and_run(
            package,
            program_digest=program_sha256(),
            witnesses=given,
            beacon=beacon,
            processes=processes,
            progress=step,
        )
        step("write")
        write_outputs(outcome, out, lang=lang, started=started, processes=processes)
    except PackageErrors as e:
        bar.close()
        for error in e.errors:
            click.echo(str(error))
        raise CliError(f"{package}: {len(e.errors)} errors; nothing was run") from None
    except (ToCoreError, LotteryError) as e:
        bar.close()
        raise CliError(str(e)) from None
    bar.close()
    n = len(outcome.package["applications"])
    click.echo(f"decided {n:,} applications in {time.perf_counter() - started:.2f} s -> {out}")


def _province(
    counties: list[Path],
    out: Path,
    witnesses: tuple[Witness, ...],
    beacon: Beacon | None,
    lang: str,
    processes: int,
    jobs: int,
    progress: bool,
) -> None:
    from sunshine.season.province import CountyRun, SeasonInputs, run_province

    # Two counties at a time already keep both cores busy: one process each, no forking inside.
    inputs = SeasonInputs(program_sha256(), witnesses, beacon, lang, processes if jobs == 1 else 1)
    bar = tqdm(total=len(counties), disable=not progress, unit="county", leave=False)

    def done(county: CountyRun) -> None:
        bar.update(1)
        if county.errors:
            bar.write(f"{county.county}: {len(county.errors)} errors; nothing was run")
            for error in county.errors:
                bar.write(f"  {error}")

    report = run_province(counties, out, inputs, jobs=jobs, on_done=done)
    bar.close()
    failed = report.failed
    click.echo(
        f"decided {report.applications:,} applications in "
        f"{len(counties) - len(failed)} counties in {report.seconds:.2f} s -> {out}"
    )
    if failed:
        raise CliError(f"{len(failed)} of {len(counties)} counties had errors: {', '.join(failed)}")


COMMANDS = [season]
