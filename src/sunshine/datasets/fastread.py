"""The season's fast way in: a package folder read straight into the engine's coded arrays.

:func:`sunshine.datasets.reader.read_package` makes a Python string of every cell, which the
engine then hashes back into integer codes. Here the policy, the zones, the schools and the
applications (whose texts the outputs print) are read by the full reader's own functions, and
the registries, millions of cells used only as codes, dates and numbers, are parsed by numpy
(:mod:`.bytecsv`, :mod:`.bytecols`) and coded by :mod:`.fastcode` without a string per cell.
With two processes the registries are read, and their id columns coded, in a forked process
while this one reads the applications (and the caller may draw the lottery meanwhile).

It checks everything the full reader checks, but it only accepts; it never explains. On the
first thing it cannot vouch for (a problem, or merely an unusual spelling) it gives up and
returns None, and the caller reads the package with ``read_package``, which either reads it
(the same values) or lists every problem. The tests hold the two paths to equal arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sunshine.core.policy import Stage
from sunshine.datasets import bytecols, forked
from sunshine.datasets.bytecsv import ByteColumn, Declined, parse
from sunshine.datasets.encoding import decode_text
from sunshine.datasets.errors import PackageError
from sunshine.datasets.factorize import Head
from sunshine.datasets.package import DataPackage
from sunshine.datasets.policy_toml import read_policy
from sunshine.datasets.rawtable import parse_csv
from sunshine.datasets.reader import gc_paused
from sunshine.datasets.references import (
    check_applications,
    check_feeders,
    check_foreign_keys,
    school_stages,
)
from sunshine.datasets.schema import (
    APPLICATIONS,
    POLICY_FILE,
    SCHOOLS,
    TABLES,
    ZONES_FILE,
    Column,
    TableSpec,
)
from sunshine.datasets.tables import Loaded, build_table
from sunshine.datasets.to_core import HEADS, PEOPLE, StageInputs, in_canonical_order
from sunshine.datasets.zones_io import check_zone_schools, read_zones

REGISTRIES = tuple(t for t in TABLES if t not in (SCHOOLS, APPLICATIONS))
_UNUSED = {("addresses", "text")}  # checked, then dropped: the engine never reads it
Columns = dict[str, np.ndarray]

_TYPED: dict[str, Callable[[Column, ByteColumn], np.ndarray]] = {
    "str": bytecols.text,
    "enum": bytecols.enum,
    "int": bytecols.integer,
    "float": bytecols.decimal,
    "date": bytecols.date,
    "bool": bytecols.boolean,
}


@dataclass(frozen=True, slots=True)
class FastPackage:
    """A package as the fast reader holds it: ``package`` has the policy, the zones and the
    schools and applications tables, the applications in canonical order; ``registries``
    holds every other table as typed columns (ids as ``S`` arrays of UTF-8, enums as indices
    into the column's choices), except the people's id columns, which ``heads`` holds coded
    (:func:`~.fastcode.code_heads`)."""

    package: DataPackage
    registries: dict[str, Columns]
    heads: dict[int, Head]

    def stage_inputs(self) -> dict[Stage, StageInputs] | None:
        """The engine's inputs, equal to :func:`~sunshine.datasets.to_core.stage_inputs` of
        the full reader's package; None when a key or reference check fails."""
        from sunshine.datasets.fastcode import coded_inputs

        try:
            with gc_paused():
                return coded_inputs(self.package, self.registries, self.heads)
        except Declined:
            return None


def read_fast(
    path: Path, *, processes: int = 1, then: Callable[[DataPackage], None] | None = None
) -> FastPackage | None:
    """The package folder at ``path``, or None when the full reader must read it.
    ``processes=2`` reads the registries in a forked process while this one reads the rest.
    ``then`` is called with the package as soon as its applications are read (and checked),
    while that process may still be at work."""
    path = Path(path)
    if not path.is_dir():
        return None
    with gc_paused():
        registries = forked.start(lambda: _registries(path), fork=processes > 1)
        try:
            package = _read(path)
            if then is not None:
                then(package)
        except Declined:
            package = None
        finally:
            coded = registries()
    if package is None or coded is None:
        return None
    return FastPackage(package, *coded)


def _registries(folder: Path) -> tuple[dict[str, Columns], dict[int, Head]] | None:
    from sunshine.datasets.fastcode import code_heads

    try:
        columns = {spec.name: _registry(folder, spec) for spec in REGISTRIES}
        # The people, the largest space, coded here, the others by stage_inputs: with two
        # processes this one reads the registries while the other reads the applications
        # and draws the lottery, and this split evens the two out (measured).
        heads = code_heads(columns, [PEOPLE])
        for table, name in HEADS[PEOPLE]:  # sent as codes: their bytes are not needed again
            del columns[table][name]
        return columns, heads
    except Declined:
        return None


def _read(folder: Path) -> DataPackage:
    """Policy, zones, schools and applications, checked as the full reader checks them; the
    applications in canonical order."""
    errors: list[PackageError] = []
    policy_text = _text(folder / POLICY_FILE)
    policy = read_policy(policy_text, errors)
    zones = read_zones(_text(folder / ZONES_FILE), errors)
    loaded = {spec.name: _loaded(folder, spec, errors) for spec in (SCHOOLS, APPLICATIONS)}
    # The references among these two tables and the zones, as the full reader checks them;
    # the applications' addresses are checked against the registries by fastcode.
    check_foreign_keys(loaded, errors)
    check_feeders(loaded, errors)
    check_applications(loaded, policy, errors)
    stage_of = school_stages(loaded)
    if stage_of is not None:
        check_zone_schools(zones, stage_of, errors)
    if errors or policy is None:
        raise Declined("the full reader will name the problems")
    tables = {name: item.table for name, item in loaded.items() if item.table is not None}
    package = DataPackage(policy, policy_text, tuple(zone for _, zone in zones), tables)
    return in_canonical_order(package)


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        raise Declined(f"{path.name} cannot be read") from None


def _text(path: Path) -> str:
    text = decode_text(_bytes(path), path.name)
    if isinstance(text, PackageError):
        raise Declined(str(text))
    return text


def _loaded(folder: Path, spec: TableSpec, errors: list[PackageError]) -> Loaded:
    raw = parse_csv(_text(folder / spec.filename), spec.filename, errors)
    if raw is None:
        raise Declined(f"{spec.filename} has no header")
    return build_table(spec, raw, errors)


def _registry(folder: Path, spec: TableSpec) -> Columns:
    table = parse(_bytes(folder / spec.filename), spec.filename)
    columns: Columns = {}
    for column in spec.columns:
        cells = table.column(column.name)
        if cells is None:
            if column.required:
                raise Declined(f"{spec.filename} lacks {column.name}")
            cells = ByteColumn.empty(table.n_rows)
        values = _TYPED[column.kind](column, cells)
        if (spec.name, column.name) not in _UNUSED:
            columns[column.name] = values
    return columns
