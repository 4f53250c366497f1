"""`sunshine datasets synth`: write a synthetic county as a data package."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sunshine.cli.errors import CliError

if TYPE_CHECKING:
    from sunshine.datasets.synthetic import SynthSummary

# A workbook sheet holds at most 1,048,576 rows; households run at ~2.4 rows per child.
XLSX_MAX_CHILDREN = 200_000


@click.command("synth")
@click.option("--children", type=int, required=True, help="Grade-1 applicants to generate.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same files.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder to write into.")
@click.option(
    "--junior/--no-junior", default=True, show_default=True, help="Also grade-7 applicants."
)
@click.option(
    "--junior-children",
    type=int,
    default=None,
    help="Grade-7 applicants (default: half of --children).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="CSV files, or one package.xlsx workbook (small counties only).",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal)."
)
@click.option(
    "--counties",
    type=click.IntRange(1, 99),
    default=None,
    help="A province: this many counties sharing --children (grade 1) between them, "
    "one package folder each (OUT/<region_code>/).",
)
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
    help="With --counties: counties written at once.",
)  # fmt: skip
def synth(
    children: int,
    seed: int,
    out: Path,
    junior: bool,
    junior_children: int | None,
    fmt: str,
    progress: bool | None,
    counties: int | None,
    jobs: int,
) -> None:
    """Generate a realistic synthetic county (schools, zones, registries, applications and
    planted anomalies listed in ground_truth.json) into OUT, or with --counties a province."""
    from sunshine.datasets.synthetic import generate

    if counties is not None:
        _province(out, children, counties, seed, junior, junior_children, fmt, jobs)
        return
    if not junior:
        if junior_children:
            raise CliError("--junior-children needs --junior")
        junior_children = 0
    if fmt == "xlsx" and children > XLSX_MAX_CHILDREN:
        raise CliError(f"--format xlsx is for up to {XLSX_MAX_CHILDREN:,} children; use csv")
    show = sys.stderr.isatty() if progress is None else progress
    try:
        if fmt == "csv":
            summary = generate(
                out, children=children, seed=seed, junior_children=junior_children, progress=show
            )
        else:
            summary = _generate_workbook(out, children, seed, junior_children, show)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    apps = summary.rows["applications"]
    planted = sum(summary.anomalies.values())
    click.echo(
        f"wrote {out}: {apps:,} applications, {summary.schools:,} schools, "
        f"{sum(summary.zones.values()):,} zones, {planted:,} planted anomalies"
    )


def _generate_workbook(
    out: Path, children: int, seed: int, junior_children: int | None, progress: bool
) -> SynthSummary:
    from sunshine.datasets.reader import read_package
    from sunshine.datasets.schema import GROUND_TRUTH_FILE
    from sunshine.datasets.synthetic import generate
    from sunshine.datasets.writer import write_package

    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as tmp:
        csv_dir = Path(tmp) / "csv"
        summary = generate(
            csv_dir, children=children, seed=seed, junior_children=junior_children,
            progress=progress,
        )  # fmt: skip
        write_package(read_package(csv_dir), out, fmt="xlsx")
        shutil.copyfile(csv_dir / GROUND_TRUTH_FILE, out / GROUND_TRUTH_FILE)
    return summary


def _province(
    out: Path,
    children: int,
    counties: int,
    seed: int,
    junior: bool,
    junior_children: int | None,
    fmt: str,
    jobs: int,
) -> None:
    from sunshine.datasets.synthetic_province import generate_province

    if fmt != "csv" or junior_children is not None:
        raise CliError("--counties writes CSV packages with half as many grade-7 applicants")
    try:
        written = generate_province(
            out, children=children, counties=counties, seed=seed, junior=junior, jobs=jobs
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None
    click.echo(
        f"wrote {out}: {len(written)} counties, {sum(written.values()):,} applications "
        f"(largest county {max(written.values()):,})"
    )
