"""`sunshine demo` and `sunshine serve`: a whole county on a laptop, from nothing."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sunshine.cli import setup_django
from sunshine.cli.errors import CliError
from sunshine.config.paths import ensure_secret_key, home_dir

if TYPE_CHECKING:
    from sunshine.admissions.models import Season

DEMO_ACTOR = "cli:demo"


@contextmanager
def _step(label: str) -> Iterator[None]:
    click.echo(f"· {label} …", nl=False)
    started = time.perf_counter()
    yield
    click.echo(f" {time.perf_counter() - started:.1f} s")


def _reset(home: Path) -> None:
    for name in ("sunshine.sqlite3", "sunshine.sqlite3-wal", "sunshine.sqlite3-shm", "demo.json"):
        (home / name).unlink(missing_ok=True)
    shutil.rmtree(home / "demo-county", ignore_errors=True)


def _serve(port: int) -> None:
    from django.core.management import call_command

    click.echo(f"serving at http://127.0.0.1:{port}/  (Ctrl+C to stop)")
    # runserver is fine for a one-machine demo; docs/deployment.md describes production serving.
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, insecure_serving=True)


@click.command("demo")
@click.option("--children", default=5000, show_default=True, type=click.IntRange(100, 2_000_000))
@click.option("--seed", default=2026, show_default=True, type=int)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Prepare everything, then exit.")
@click.option("--reset", is_flag=True, help="Delete the demo database and data first.")
def demo(children: int, seed: int, port: int, no_serve: bool, reset: bool) -> None:
    """Generate a synthetic county, load it, run the season and serve the site."""
    home = home_dir()
    home.mkdir(parents=True, exist_ok=True)
    if reset:
        _reset(home)
    ensure_secret_key(home)
    started = time.perf_counter()
    click.echo(f"Sunshine demo in {home}")

    state_file = home / "demo.json"
    wanted = {"children": children, "seed": seed}
    prepared = _prepared(state_file, home)
    if prepared is not None and prepared != wanted:
        raise CliError(
            f"{home} already holds a demo county of {prepared['children']:,} children "
            f"(seed {prepared['seed']}); add --reset to make a new one"
        )
    if prepared is None:
        season = _prepare(home, children, seed)
        state_file.write_text(json.dumps(wanted), encoding="utf-8")
    else:
        setup_django()
        from sunshine.admissions.models import Season

        latest = Season.objects.order_by("-pk").first()
        if latest is None:
            raise CliError(f"{home} has no season; add --reset to start over")
        season = latest
        click.echo("· the demo county is already prepared (--reset starts over)")

    from sunshine.accounts.services import ensure_demo_accounts

    accounts = ensure_demo_accounts(actor=DEMO_ACTOR, season=season)

    click.echo(f"ready in {time.perf_counter() - started:.1f} s — {season}")
    click.echo("demo accounts (local use only):")
    width = max(len(a.username) for a in accounts)
    for account in accounts:
        click.echo(f"  {account.username:<{width}}  {account.password}  {account.label}")
    if not no_serve:
        _serve(port)


def _prepared(state_file: Path, home: Path) -> dict[str, int] | None:
    if not (state_file.exists() and (home / "sunshine.sqlite3").exists()):
        return None
    data: dict[str, int] = json.loads(state_file.read_text(encoding="utf-8"))
    return data


def _prepare(home: Path, children: int, seed: int) -> Season:
    from sunshine.datasets.synthetic import generate

    package_dir = home / "demo-county"
    with _step(f"generating a county of {children:,} children (seed {seed})"):
        shutil.rmtree(package_dir, ignore_errors=True)
        generate(package_dir, children=children, seed=seed, progress=False)

    setup_django()
    from django.core.management import call_command

    from sunshine.accounts.services import ensure_demo_accounts
    from sunshine.admissions.errors import SeasonInUse
    from sunshine.admissions.services import import_package, run_season
    from sunshine.audit.checkpoints import publish_checkpoint
    from sunshine.cli.demo_steps import hold_ceremony, publish_lists
    from sunshine.datasets.reader import read_package

    with _step("preparing the database"):
        call_command("migrate", interactive=False, verbosity=0)
    with _step("reading and checking the data package"):
        package = read_package(package_dir)
    with _step("importing it"):
        try:
            season = import_package(package, actor=DEMO_ACTOR, replace=True)
        except SeasonInUse as e:
            raise CliError(f"{e}; add --reset to start over") from None
    ensure_demo_accounts(actor=DEMO_ACTOR, season=season)
    with _step("holding the lottery ceremony (notary and parent representative)"):
        ceremony = hold_ceremony(season, seed)
    with _step("running the admission season on that draw"):
        run_season(season, actor=DEMO_ACTOR, ceremony=ceremony)  # type: ignore[arg-type]
    with _step("publishing the admitted lists"):
        published, withheld = publish_lists(season)
    click.echo(f"  {published} lists published, {withheld} withheld by the re-identification check")
    with _step("signing an audit checkpoint"):
        publish_checkpoint(actor=DEMO_ACTOR)
    return season


@click.command("serve")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(port: int) -> None:
    """Serve the site on this machine (see docs/deployment.md for production)."""
    if not (home_dir() / "sunshine.sqlite3").exists() and not _database_configured():
        raise CliError("no database yet: run `sunshine demo` or `sunshine import PATH` first")
    setup_django()
    _serve(port)


def _database_configured() -> bool:
    return bool(os.environ.get("SUNSHINE_DATABASE_URL"))


COMMANDS = [demo, serve]
