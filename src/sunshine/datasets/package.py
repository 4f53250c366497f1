"""The in-memory form of a data package: typed, validated, columnar."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sunshine.core.policy import AdmissionPolicy
from sunshine.datasets.schema import TableSpec


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a package. ``columns`` holds every contract column, typed as described in
    :mod:`sunshine.datasets.schema`; ``extras`` keeps unknown columns as raw strings, in file
    order, so an export writes them back unchanged."""

    spec: TableSpec
    columns: dict[str, np.ndarray]
    extras: dict[str, list[str]] = field(default_factory=dict)

    def __len__(self) -> int:
        first = next(iter(self.columns.values()), None)
        return 0 if first is None else len(first)

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]

    def rows(self) -> Iterator[dict[str, Any]]:
        """Rows as dicts of Python values (slow; for small tables, tests and the DB import)."""
        names = list(self.columns)
        cols = [self.columns[n].tolist() for n in names]
        extra_names = list(self.extras)
        extra_cols = [self.extras[n] for n in extra_names]
        for i in range(len(self)):
            row = {n: c[i] for n, c in zip(names, cols, strict=True)}
            if extra_names:
                row["extra"] = {n: c[i] for n, c in zip(extra_names, extra_cols, strict=True)}
            yield row


@dataclass(frozen=True, slots=True)
class Zone:
    zone_id: str
    stage: str
    school_ids: tuple[str, ...]
    geometry: dict[str, Any]  # GeoJSON geometry (Polygon or MultiPolygon), lon/lat
    properties: dict[str, Any] = field(default_factory=dict)  # every property, extras kept


@dataclass(frozen=True, slots=True)
class DataPackage:
    policy: AdmissionPolicy
    policy_text: str  # the TOML as given, so an export reproduces it byte for byte
    zones: tuple[Zone, ...]
    tables: dict[str, Table]

    def __getitem__(self, table: str) -> Table:
        return self.tables[table]
