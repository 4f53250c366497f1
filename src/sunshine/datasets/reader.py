"""``read_package``: a data package folder (or workbook) to a validated :class:`DataPackage`.

Every file is read and checked before anything is returned, so one run lists every problem in
the package; a package with any problem loads nothing.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sunshine.core.policy import AdmissionPolicy
from sunshine.datasets.encoding import decode_text
from sunshine.datasets.errors import PackageError, PackageErrors
from sunshine.datasets.package import DataPackage
from sunshine.datasets.policy_toml import read_policy
from sunshine.datasets.rawtable import parse_csv
from sunshine.datasets.references import (
    check_applications,
    check_feeders,
    check_foreign_keys,
    school_stages,
)
from sunshine.datasets.schema import POLICY_FILE, TABLES, TABLES_BY_NAME, ZONES_FILE
from sunshine.datasets.tables import Loaded, build_table
from sunshine.datasets.xlsx import read_workbook
from sunshine.datasets.zones_io import NumberedZone, check_zone_schools, read_zones

Progress = Callable[[str], None]


def read_package(path: Path, *, progress: Progress | None = None) -> DataPackage:
    """Read the package at ``path``: a folder of CSV files, or an ``.xlsx`` workbook with
    ``policy.toml`` and ``zones.geojson`` beside it. Raises :class:`PackageErrors`."""
    with gc_paused():
        return _read(Path(path), progress or (lambda _message: None))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Parsing makes millions of small lists, none of them in a reference cycle; the cyclic
    collector would walk them again and again (it doubled the reading time of a 200,000-child
    package)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(path: Path, say: Progress) -> DataPackage:
    errors: list[PackageError] = []
    if path.is_dir():
        folder = path
        loaded = _load_csv_tables(folder, errors, say)
    elif path.is_file() and path.suffix.lower() == ".xlsx":
        folder = path.parent
        say(f"reading {path.name}")
        loaded = {
            name: build_table(TABLES_BY_NAME[name], raw, errors)
            for name, raw in read_workbook(path, errors).items()
        }
    else:
        what = "does not exist" if not path.exists() else "is neither a folder nor an .xlsx file"
        raise PackageErrors([PackageError(str(path), None, None, what)])

    say(f"reading {POLICY_FILE}")
    policy_text = _read_text(folder / POLICY_FILE, errors)
    policy = read_policy(policy_text, errors) if policy_text is not None else None
    say(f"reading {ZONES_FILE}")
    zones_text = _read_text(folder / ZONES_FILE, errors)
    zones = read_zones(zones_text, errors) if zones_text is not None else []
    say("checking references between files")
    _check_references(loaded, policy, zones, errors)

    if errors or policy is None or policy_text is None:
        raise PackageErrors(_in_file_order(errors, loaded))
    tables = {name: item.table for name, item in loaded.items() if item.table is not None}
    return DataPackage(policy, policy_text, tuple(zone for _, zone in zones), tables)


def _load_csv_tables(folder: Path, errors: list[PackageError], say: Progress) -> dict[str, Loaded]:
    """Each file is parsed and typed before the next is read, so its raw rows are freed
    early (peak memory, and fresh allocations, were a large part of the time)."""
    loaded: dict[str, Loaded] = {}
    for spec in TABLES:
        say(f"reading {spec.filename}")
        text = _read_text(folder / spec.filename, errors)
        raw = parse_csv(text, spec.filename, errors) if text is not None else None
        del text
        if raw is not None:
            loaded[spec.name] = build_table(spec, raw, errors)
    return loaded


def _read_text(path: Path, errors: list[PackageError]) -> str | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        errors.append(PackageError(path.name, None, None, "this file is missing"))
        return None
    except OSError as exc:
        errors.append(PackageError(path.name, None, None, f"cannot be read: {exc.strerror}"))
        return None
    text = decode_text(data, path.name)
    if isinstance(text, PackageError):
        errors.append(text)
        return None
    return text


def _check_references(
    loaded: dict[str, Loaded],
    policy: AdmissionPolicy | None,
    zones: list[NumberedZone],
    errors: list[PackageError],
) -> None:
    check_foreign_keys(loaded, errors)
    check_feeders(loaded, errors)
    check_applications(loaded, policy, errors)
    stage_of = school_stages(loaded)
    if stage_of is not None:
        check_zone_schools(zones, stage_of, errors)


def _in_file_order(errors: list[PackageError], loaded: dict[str, Loaded]) -> list[PackageError]:
    """Errors grouped by file in package order, rows ascending within a file (stable)."""
    rank = {POLICY_FILE: 1, ZONES_FILE: 2}
    for spec in TABLES:
        rank.setdefault(spec.filename, 3 + len(rank))
        if spec.name in loaded:
            rank.setdefault(loaded[spec.name].file, rank[spec.filename])
    return sorted(errors, key=lambda e: (rank.get(e.file, 0), e.row or 0))
