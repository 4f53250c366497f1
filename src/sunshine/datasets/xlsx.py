"""The tables of a package as one Excel workbook: one sheet per table, named like the CSV file
without ``.csv``. ``policy.toml`` and ``zones.geojson`` stay text files beside the workbook:
TOML is edited as text and GeoJSON comes from a GIS tool, and neither fits Excel cells."""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import InvalidFileException

from sunshine.datasets.columns import INT_MISSING, format_column
from sunshine.datasets.errors import PackageError
from sunshine.datasets.package import Table
from sunshine.datasets.rawtable import RawTable, from_rows
from sunshine.datasets.schema import TABLES, Column

# Excel keeps 15 significant digits: a longer number (an ID number typed into a Number cell)
# has already been rounded, and reading it back would silently corrupt it.
_EXACT_DIGITS = 10**15


def read_workbook(path: Path, errors: list[PackageError]) -> dict[str, RawTable]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        errors.append(PackageError(path.name, None, None, f"cannot be read as a workbook: {exc}"))
        return {}
    raws: dict[str, RawTable] = {}
    try:
        for spec in TABLES:
            file = f"{path.name}:{spec.sheet}"
            if spec.sheet not in book.sheetnames:
                errors.append(PackageError(file, None, None, "this sheet is missing"))
                continue
            rows = _sheet_rows(book[spec.sheet].iter_rows(values_only=True), file, errors)
            raw = from_rows(file, rows, errors, lenient_width=True)
            if raw is not None:
                raws[spec.name] = raw
    finally:
        book.close()
    return raws


def _sheet_rows(rows: Any, file: str, errors: list[PackageError]) -> list[list[str]]:
    out: list[list[str]] = []
    header: list[str] = []
    for number, row in enumerate(rows, start=1):
        cells: list[str] = []
        for position, value in enumerate(row):
            text = _text(value)
            if text is None:
                column = header[position] if position < len(header) else None
                message = f"{value:.0f} has more than 15 digits and Excel has rounded it; "
                message += "format the column as Text and type it again"
                errors.append(PackageError(file, number, column, message))
                text = ""
            cells.append(text)
        if number == 1:
            header = [c.strip() for c in cells]
        out.append(cells)
    return out


def _text(value: object) -> str | None:
    """A cell as the text a CSV export would hold; None for a number Excel has rounded."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return None if abs(value) >= _EXACT_DIGITS else str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return None if abs(value) >= _EXACT_DIGITS else str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_workbook(tables: dict[str, Table], path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    for spec in TABLES:
        sheet = book.create_sheet(spec.sheet)
        table = tables[spec.name]
        sheet.append([*spec.column_names, *table.extras])
        columns = [_cells(sheet, c, table[c.name]) for c in spec.columns]
        columns += [[_string(sheet, v) for v in cells] for cells in table.extras.values()]
        for row in zip(*columns, strict=True):
            sheet.append(row)
    book.save(path)


def _cells(sheet: Any, column: Column, values: np.ndarray) -> list[Any]:
    """Native Excel values where Excel has a type for them, so the sheet reads naturally."""
    kind = column.kind
    if kind == "int":
        missing = INT_MISSING if not column.required else None
        return [None if v == missing else v for v in values.tolist()]
    if kind == "float":
        return [_float(sheet, v) for v in values.tolist()]
    if kind == "date":
        return values.tolist()  # datetime.date, or None for NaT
    if kind == "bool":
        return values.tolist()
    return [_string(sheet, v) for v in format_column(column, values)]


def _float(sheet: Any, value: float) -> Any:
    if math.isnan(value):
        return None
    # Excel keeps 15 significant digits; a float that needs more is written as text so that
    # it reads back exactly.
    return value if float(f"{value:.15g}") == value else _string(sheet, repr(value))


def _string(sheet: Any, value: str) -> Any:
    if not value:
        return None
    if value.startswith("="):
        # openpyxl would store it as a formula; keep it the text it is.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value
