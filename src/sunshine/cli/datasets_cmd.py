"""`sunshine datasets ...`: generate and check data packages."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sunshine.cli.errors import CliError
from sunshine.cli.synth_cmd import synth


@click.group("datasets")
def datasets() -> None:
    """Data packages: generate a synthetic county, validate a package."""


datasets.add_command(synth)


@datasets.command("validate")
@click.argument("path", type=click.Path(path_type=Path))
def validate(path: Path) -> None:
    """Check the data package at PATH (a folder, or an .xlsx workbook) and list every error."""
    from sunshine.datasets.errors import PackageErrors
    from sunshine.datasets.reader import read_package

    # Progress lines only for a person watching; a redirected run gets just the verdict.
    progress = (lambda m: click.echo(m, err=True)) if sys.stderr.isatty() else None
    try:
        pkg = read_package(path, progress=progress)
    except PackageErrors as exc:
        for error in exc.errors:
            click.echo(str(error))
        n = len(exc.errors)
        raise CliError(f"{n} error{'s' if n != 1 else ''}: the package was not loaded") from None
    counts = ", ".join(f"{len(t):,} {name}" for name, t in pkg.tables.items())
    click.echo(f"ok: {len(pkg['applications']):,} applications, {len(pkg.zones):,} zones; {counts}")


COMMANDS = [datasets]
