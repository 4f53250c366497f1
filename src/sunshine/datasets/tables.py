"""One table of a package: raw cells to a typed :class:`Table`, checked against its spec."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sunshine.datasets.columns import convert_column
from sunshine.datasets.errors import PackageError
from sunshine.datasets.package import Table
from sunshine.datasets.rawtable import RawTable
from sunshine.datasets.schema import TableSpec


@dataclass(frozen=True, slots=True)
class Loaded:
    """A table as far as it could be read. ``table`` is None when a required column is
    missing; ``bad_columns`` had bad cells, so references through them are not checked (the
    cell errors already say what is wrong)."""

    file: str
    table: Table | None
    bad_columns: frozenset[str]
    row_numbers: Sequence[int]
    key_set: frozenset[object] = frozenset()  # the distinct keys, kept for foreign keys

    def values_of(self, column: str) -> set[object] | frozenset[object] | None:
        """The distinct values of a column, or None when it cannot be trusted."""
        table = self.usable(column)
        if table is None:
            return None
        if table.spec.key == (column,) and self.key_set:
            return self.key_set
        return set(table[column].tolist())

    def usable(self, *columns: str) -> Table | None:
        if self.table is None or self.bad_columns.intersection(columns):
            return None
        return self.table


def build_table(spec: TableSpec, raw: RawTable, errors: list[PackageError]) -> Loaded:
    n = len(raw.row_numbers)
    columns: dict[str, np.ndarray] = {}
    bad: set[str] = set()
    missing = False
    for column in spec.columns:
        found = raw.column(column.name)
        if found is None and column.required:
            errors.append(PackageError(raw.file, 1, column.name, "this required column is missing"))
            missing = True
            continue
        # An optional column may be left out of the file altogether: it reads as empty.
        cells = [""] * n if found is None else list(map(str.strip, found))
        values, issues = convert_column(column, cells)
        if issues:
            bad.add(column.name)
            errors.extend(
                PackageError(raw.file, raw.row_numbers[i], column.name, message)
                for i, message in issues
            )
        columns[column.name] = values
    contract = set(spec.column_names)
    extras = {
        name: list(cells)
        for name, cells in zip(raw.header, raw.columns, strict=True)
        if name not in contract
    }
    if missing:
        return Loaded(raw.file, None, frozenset(bad), raw.row_numbers)
    table = Table(spec, columns, extras)
    keys: frozenset[object] = frozenset()
    if not bad.intersection(spec.key):
        keys = _check_key(table, raw, errors)
    return Loaded(raw.file, table, frozenset(bad), raw.row_numbers, keys)


def _check_key(table: Table, raw: RawTable, errors: list[PackageError]) -> frozenset[object]:
    key = table.spec.key
    values: list[object]
    if len(key) == 1:
        values = table[key[0]].tolist()
    else:
        values = list(zip(*(table[k].tolist() for k in key), strict=True))
    distinct = frozenset(values)
    if len(distinct) == len(values):
        return distinct
    first: dict[object, int] = {}
    for i, value in enumerate(values):
        row = raw.row_numbers[i]
        if value not in first:
            first[value] = row
            continue
        shown = " / ".join(map(str, value)) if isinstance(value, tuple) else str(value)
        message = f"{shown} appears again (first at row {first[value]}); it must be unique"
        errors.append(PackageError(raw.file, row, ", ".join(key), message))
    return distinct
