"""Database commands: `sunshine migrate`, `sunshine import`, `sunshine export`."""

from __future__ import annotations

import getpass
import os
import time
from pathlib import Path
from typing import Literal

import click

from sunshine.cli import setup_django
from sunshine.cli.errors import CliError
from sunshine.config.paths import ensure_secret_key, home_dir


def open_database() -> None:
    """Set Django up and bring the schema up to date, so `import` works on a fresh machine:
    a local installation gets its folder and secret key on first use, as `sunshine demo` does."""
    if not os.environ.get("SUNSHINE_SECRET_KEY"):
        home = home_dir()
        home.mkdir(parents=True, exist_ok=True)
        ensure_secret_key(home)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def default_actor() -> str:
    """Who the audit log names for a CLI action: ``cli:<os user>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container: fall back to the uid
        user = f"uid{os.getuid()}"
    return f"cli:{user}"


@click.command("migrate")
def migrate() -> None:
    """Create or upgrade the database schema."""
    open_database()
    click.echo("database is up to date")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the season of the same region and year.")
@click.option("--actor", default=None, help="Name recorded in the audit log [cli:<os user>].")
def import_(path: Path, replace: bool, actor: str | None) -> None:
    """Load a data package (folder or .xlsx) into the database, all of it or nothing."""
    from sunshine.datasets.errors import PackageErrors
    from sunshine.datasets.reader import read_package

    started = time.perf_counter()
    try:
        pkg = read_package(path)
    except PackageErrors as errors:
        raise CliError("\n".join(str(e) for e in errors.errors)) from None
    open_database()
    from sunshine.admissions.errors import AdmissionsError, SeasonExists
    from sunshine.admissions.services import import_package

    try:
        season = import_package(pkg, actor=actor or default_actor(), replace=replace)
    except SeasonExists as error:
        raise CliError(f"{error}; add --replace to load the package in its place") from None
    except AdmissionsError as error:
        raise CliError(str(error)) from None
    counts = {name: len(table) for name, table in pkg.tables.items()}
    registry = sum(n for name, n in counts.items() if name not in _MAIN_TABLES)
    click.echo(
        f"imported {season} (season {season.pk}, region {season.region_code}): "
        f"{counts['schools']:,} schools, {len(pkg.zones):,} zones, "
        f"{counts['addresses']:,} addresses, {registry:,} registry rows, "
        f"{counts['applications']:,} applications in {time.perf_counter() - started:.1f} s"
    )


_MAIN_TABLES = frozenset({"schools", "addresses", "applications"})


@click.command("export")
@click.option("--region", default=None, help="Region code (optional when one season matches).")
@click.option("--year", type=int, default=None, help="School year (optional likewise).")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Where to write.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("--actor", default=None, help="Name recorded in the audit log [cli:<os user>].")
def export(
    region: str | None, year: int | None, out: Path, fmt: Literal["csv", "xlsx"], actor: str | None
) -> None:
    """Write a season back out as a data package (CSV folder or one .xlsx workbook)."""
    open_database()
    from sunshine.admissions.errors import AdmissionsError
    from sunshine.admissions.services import export_season, find_season

    try:
        season = find_season(region, year)
        pkg = export_season(season, out, actor=actor or default_actor(), fmt=fmt)
    except AdmissionsError as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"cannot write {out}: {error.strerror or error}") from None
    rows = sum(len(t) for t in pkg.tables.values())
    click.echo(f"exported {season} to {out} ({fmt}): {rows:,} rows, {len(pkg.zones):,} zones")


COMMANDS = [migrate, import_, export]
