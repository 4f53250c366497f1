"""A sheet of strings as it was found in a CSV file or a workbook, before any typing."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

from sunshine.datasets.errors import PackageError

# Large cells (long address texts, pasted notes) must not stop a county's file from loading.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True, slots=True)
class RawTable:
    file: str
    header: list[str]  # stripped names, unique, in file order
    columns: list[Sequence[str]]  # one per header name, raw cells
    row_numbers: Sequence[int]  # the row each data row has in Excel (header = row 1)

    def column(self, name: str) -> Sequence[str] | None:
        try:
            return self.columns[self.header.index(name)]
        except ValueError:
            return None


def parse_csv(text: str, file: str, errors: list[PackageError]) -> RawTable | None:
    plain = _plain_columns(text)
    if plain is not None:
        names, columns = plain
        numbers = range(2, len(columns[0]) + 2)
        return _named(file, [n.strip() for n in names], columns, numbers, errors)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return from_rows(file, rows, errors, lenient_width=False)


def _plain_columns(text: str) -> tuple[list[str], list[Sequence[str]]] | None:
    """Header and columns of a file without any quote character, or None when the csv module
    must parse it. Without quotes CSV is just lines and commas, and splitting the whole text
    at once in C is several times faster than csv.reader (most exports quote nothing)."""
    if '"' in text:
        return None
    crlf = text.count("\r\n")
    if crlf != text.count("\r") or (crlf and crlf != text.count("\n")):
        return None  # mixed or old-Mac line ends
    lines = text.split("\r\n" if crlf else "\n")
    if lines[-1] == "":
        lines.pop()
    if not lines or "" in lines:
        return None  # blank lines: the slow path skips them and keeps row numbers
    commas = lines[0].count(",")
    if set(map(str.count, lines, repeat(","))) != {commas}:
        return None  # ragged rows: the slow path names each one
    data = lines[1:]
    if "," * commas in data:
        return None  # a row of empty cells (",,,"), skipped by the slow path
    cells = ",".join(data).split(",") if data else []
    width = commas + 1
    return lines[0].split(","), [cells[j::width] for j in range(width)]


def from_rows(
    file: str, rows: list[list[str]], errors: list[PackageError], *, lenient_width: bool
) -> RawTable | None:
    """Column-major table from ``rows`` (the first is the header). Blank rows are skipped but
    keep their number. ``lenient_width`` (workbooks, where a row simply ends at its last
    filled cell) pads short rows; a CSV row of the wrong width is an error."""
    if not rows or not any(rows[0]):
        errors.append(PackageError(file, 1, None, "the header row is missing"))
        return None
    names = [h.strip() for h in rows[0]]
    width = len(names)
    data = rows[1:]
    columns: list[Sequence[str]] = []
    numbers: Sequence[int] = range(2, len(data) + 2)
    fast = set(map(len, data)) <= {width}
    if fast and data:
        columns = list(zip(*data, strict=True))
        # A blank row (",,,") has "" in every column, so the first column tells cheaply.
        fast = "" not in columns[0] or all(map(any, data))
    if not fast:
        columns, numbers = _slow_rows(file, data, width, errors, lenient_width)
    if not columns:
        columns = [() for _ in names]
    return _named(file, names, columns, numbers, errors)


def _slow_rows(
    file: str, data: list[list[str]], width: int, errors: list[PackageError], lenient: bool
) -> tuple[list[Sequence[str]], list[int]]:
    kept: list[list[str]] = []
    numbers: list[int] = []
    for number, row in enumerate(data, start=2):
        if not any(row):
            continue
        if lenient and len(row) != width:
            if any(row[width:]):
                errors.append(PackageError(file, number, None, "has values beyond the header"))
                continue
            row = row[:width] + [""] * (width - len(row))
        if len(row) != width:
            message = f"has {len(row)} cells but the header has {width}"
            errors.append(PackageError(file, number, None, message))
            continue
        kept.append(row)
        numbers.append(number)
    return (list(zip(*kept, strict=True)) if kept else []), numbers


def _named(
    file: str,
    names: list[str],
    columns: list[Sequence[str]],
    numbers: Sequence[int],
    errors: list[PackageError],
) -> RawTable:
    header: list[str] = []
    kept: list[Sequence[str]] = []
    seen: dict[str, int] = {}
    for position, (name, cells) in enumerate(zip(names, columns, strict=True), start=1):
        if not name:
            # Excel leaves trailing separators ("a,b,c,"): an unnamed empty column is harmless.
            if any(cells):
                errors.append(PackageError(file, 1, None, f"column {position} has no name"))
            continue
        if name in seen:
            message = f"the header names this column twice (columns {seen[name]} and {position})"
            errors.append(PackageError(file, 1, name, message))
            continue
        seen[name] = position
        header.append(name)
        kept.append(cells)
    return RawTable(file, header, kept, numbers)
