"""Where each data-package table lives in the database, and how its typed columns convert to
and from database values. The column lists come from :mod:`sunshine.datasets.schema`; this module
only says what is stored differently from the contract (renamed fields, codes that become foreign
keys, columns kept in another table)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from django.db import models

from sunshine.admissions.models import Address, Application, School
from sunshine.datasets import schema
from sunshine.datasets.schema import Column, TableSpec
from sunshine.registry.models import (
    BirthRecord,
    HouseholdMember,
    PropertyOwnership,
    ResidencePermit,
    SeatUsage,
    SocialSecurity,
    VaccinationRecord,
)

RefTarget = Literal["schools", "addresses"]


@dataclass(frozen=True, slots=True)
class TableMap:
    spec: TableSpec
    model: type[models.Model]
    renames: Mapping[str, str] = field(default_factory=dict)  # column -> model attname
    refs: Mapping[str, RefTarget] = field(default_factory=dict)  # column holds a code -> FK
    # Stored on the row but set once all rows exist (a school's feeder is another school).
    deferred: frozenset[str] = frozenset()
    # Stored in a table of their own (an application's ranked preferences).
    separate: frozenset[str] = frozenset()

    def attname(self, column: str) -> str:
        return self.renames.get(column, column)

    @property
    def row_columns(self) -> tuple[Column, ...]:
        """Columns kept on the model's own row."""
        return tuple(c for c in self.spec.columns if c.name not in self.separate)

    @property
    def insert_columns(self) -> tuple[Column, ...]:
        """Columns written by the first, generic insert."""
        return tuple(c for c in self.row_columns if c.name not in self.deferred)


SCHOOLS = TableMap(
    schema.SCHOOLS,
    School,
    renames={"school_id": "code", "feeds_school_id": "feeds_id"},
    refs={"feeds_school_id": "schools"},
    deferred=frozenset({"feeds_school_id"}),
)
ADDRESSES = TableMap(schema.ADDRESSES, Address, renames={"address_id": "code"})
APPLICATIONS = TableMap(
    schema.APPLICATIONS,
    Application,
    renames={
        "application_id": "code",
        "child_id": "child_id_number",
        "sibling_application_ids": "sibling_codes",
    },
    refs={
        "claimed_address_id": "addresses",
        "private_school_id": "schools",
        "current_school_id": "schools",
    },
    separate=frozenset({"preferences"}),
)
_AT_ADDRESS: Mapping[str, RefTarget] = {"address_id": "addresses"}
REGISTRIES: tuple[TableMap, ...] = (
    TableMap(schema.HOUSEHOLDS, HouseholdMember, refs=_AT_ADDRESS),
    TableMap(schema.PROPERTIES, PropertyOwnership, refs=_AT_ADDRESS),
    TableMap(schema.RESIDENCE_PERMITS, ResidencePermit, refs=_AT_ADDRESS),
    TableMap(schema.SOCIAL_SECURITY, SocialSecurity),
    TableMap(schema.BIRTHS, BirthRecord, refs=_AT_ADDRESS),
    TableMap(schema.VACCINATIONS, VaccinationRecord),
    TableMap(schema.SEAT_USAGE, SeatUsage),
)
TABLE_MAPS: dict[str, TableMap] = {
    m.spec.name: m for m in (SCHOOLS, ADDRESSES, *REGISTRIES, APPLICATIONS)
}
# Every contract table is stored somewhere; a table added to the schema must be mapped here.
assert set(TABLE_MAPS) == set(schema.TABLES_BY_NAME), "schema tables without a database home"


def to_db(column: Column, values: np.ndarray) -> list[Any]:
    """A typed column as the Python values a model field stores (empty optional cell: None,
    except strings, which Django keeps as "")."""
    kind = column.kind
    if kind in ("str", "enum"):
        return [str(v) for v in values.tolist()]
    if kind == "int":
        ints: list[int] = values.tolist()
        return ints if column.required else [None if v == -1 else v for v in ints]
    if kind == "float":
        return [None if math.isnan(v) else v for v in values.tolist()]
    if kind == "date":
        return list(values.astype("datetime64[D]").tolist())  # NaT -> None
    if kind == "bool":
        return [bool(v) for v in values.tolist()]
    return [list(v) for v in values.tolist()]  # list -> JSON array


def from_db(column: Column, values: Sequence[Any]) -> np.ndarray:
    """Database values back into the typed column :mod:`sunshine.datasets.schema` describes."""
    kind = column.kind
    if kind in ("str", "enum"):
        return _objects(["" if v is None else v for v in values])
    if kind == "int":
        return np.array([-1 if v is None else v for v in values], dtype=np.int64)
    if kind == "float":
        return np.array([math.nan if v is None else v for v in values], dtype=np.float64)
    if kind == "date":
        return np.array(values, dtype="datetime64[D]")  # None -> NaT
    if kind == "bool":
        return np.array(values, dtype=bool)
    return _objects([tuple(v) for v in values])


def _objects(values: list[Any]) -> np.ndarray:
    # np.array() would turn equal-length tuples into a 2-D array; fromiter keeps them items.
    return np.fromiter(values, dtype=object, count=len(values))
