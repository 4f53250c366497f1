"""How fast does a data package go into the database and back out, against Django's own loader?

    python bench/bench_import_package.py [--children 5000] [--package PATH]

Without ``--package`` it writes a county-shaped package (bench_read_package.build) into a
temporary folder. The database is a fresh SQLite file in a temporary folder, or the one in
``SUNSHINE_DATABASE_URL`` (its tables are emptied first: never point it at real data).

It prints, in one run: ``import_package`` (bulk, one transaction), the same rows loaded by
Django's ``loaddata`` from a fixture of that season (the baseline: one save per row, also in
one transaction), their ratio, and the times of ``season_to_package`` and of a replace.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sunshine.datasets.package import DataPackage

BENCH_ACTOR = "bench:import"
DATA_APPS = ("admissions", "registry")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--package", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("SUNSHINE_HOME", tmp)
        os.environ.setdefault("SUNSHINE_DEBUG", "1")
        run(args.package, args.children, Path(tmp))


def run(package: Path | None, children: int, tmp: Path) -> None:
    from sunshine.cli import setup_django

    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from sunshine.admissions.models import Season
    from sunshine.admissions.package_load import delete_season_rows
    from sunshine.admissions.services import import_package, season_to_package
    from sunshine.datasets.reader import read_package

    if package is None:
        from bench_read_package import build  # beside this script

        package = tmp / "county"
        build(package, children)
    call_command("migrate", interactive=False, verbosity=0)

    def empty() -> None:
        with transaction.atomic():
            for season in Season.objects.all():
                delete_season_rows(season)

    empty()
    print(f"database: {connection.vendor}")

    pkg = _unique_preferences(read_package(package))
    rows = sum(len(t) for t in pkg.tables.values()) + len(pkg.zones)
    print(f"package: {package} ({rows:,} rows in the tables and zones)")

    start = time.perf_counter()
    season = import_package(pkg, actor=BENCH_ACTOR)
    ours = time.perf_counter() - start

    start = time.perf_counter()
    season_to_package(season)
    dump = time.perf_counter() - start

    start = time.perf_counter()
    season = import_package(pkg, actor=BENCH_ACTOR, replace=True)
    replace = time.perf_counter() - start

    fixture = tmp / "season.json"
    call_command("dumpdata", *DATA_APPS, output=str(fixture), verbosity=0)
    empty()
    start = time.perf_counter()
    with transaction.atomic():
        call_command("loaddata", str(fixture), verbosity=0)
    baseline = time.perf_counter() - start

    print(f"import_package          {ours:7.2f} s  ({rows / ours:,.0f} rows/s)")
    print(f"loaddata (baseline)     {baseline:7.2f} s  ({rows / baseline:,.0f} rows/s)")
    print(f"ratio                   {baseline / ours:7.1f}x faster than loaddata")
    print(f"season_to_package       {dump:7.2f} s")
    print(f"import with replace     {replace:7.2f} s  (delete the season, load it again)")
    empty()


def _unique_preferences(pkg: DataPackage) -> DataPackage:
    """bench_read_package draws preferences with replacement; the database allows a school
    once per application (and import_package says so), so keep each first listing."""
    prefs = pkg["applications"]["preferences"]
    for i, listed in enumerate(prefs.tolist()):
        prefs[i] = tuple(dict.fromkeys(listed))
    return pkg


if __name__ == "__main__":
    main()
