"""``write_package``: a :class:`DataPackage` to files that :func:`read_package` reads back equal.

CSV files are written UTF-8 *with* a BOM: without it Chinese Excel opens them as GBK and
shows garbled names, and every reader we know of (ours, Python's ``utf-8-sig``, pandas)
skips the BOM. Each file is written to a temporary name and renamed into place, so a crash
never leaves a half-written file.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Literal

from sunshine.datasets.columns import format_column
from sunshine.datasets.package import DataPackage, Table
from sunshine.datasets.schema import POLICY_FILE, TABLES, ZONES_FILE
from sunshine.datasets.xlsx import write_workbook
from sunshine.datasets.zones_io import zones_geojson
from sunshine.files import replaced_atomically

WORKBOOK_FILE = "package.xlsx"


def write_package(pkg: DataPackage, out: Path, *, fmt: Literal["csv", "xlsx"] = "csv") -> None:
    """Write ``pkg`` into the folder ``out`` (created if needed): the CSV tables, or with
    ``fmt="xlsx"`` one workbook ``package.xlsx``; then ``policy.toml`` verbatim and
    ``zones.geojson``. Contract columns come first in schema order, then the extras."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}; use 'csv' or 'xlsx'")
    missing = [spec.name for spec in TABLES if spec.name not in pkg.tables]
    if missing:
        raise ValueError(f"the package has no table {', '.join(missing)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        for spec in TABLES:
            _atomically(out / spec.filename, partial(_write_csv, pkg.tables[spec.name]))
    else:
        _atomically(out / WORKBOOK_FILE, lambda tmp: write_workbook(pkg.tables, tmp))
    _atomically(out / POLICY_FILE, lambda tmp: _write_text(tmp, pkg.policy_text))
    _atomically(out / ZONES_FILE, lambda tmp: _write_text(tmp, zones_geojson(pkg.zones)))


def table_cells(table: Table) -> tuple[list[str], list[list[str]]]:
    """Header and columns of cells: contract columns in schema order, then the extras."""
    spec = table.spec
    header = [*spec.column_names, *table.extras]
    columns = [format_column(c, table[c.name]) for c in spec.columns]
    columns += [list(cells) for cells in table.extras.values()]
    return header, columns


def _write_csv(table: Table, path: Path) -> None:
    header, columns = table_cells(table)
    # utf-8-sig writes the BOM; newline="" lets csv end lines with \r\n as Excel does.
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(zip(*columns, strict=True))


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="")


def _atomically(path: Path, write: Callable[[Path], None]) -> None:
    # mkstemp makes the file private; a package is meant to be shared.
    with replaced_atomically(path, mode=0o644) as tmp:
        write(tmp)
