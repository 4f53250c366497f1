"""The data-package contract: which files, which columns, which types.

This module is the single source of truth for docs/data-package.md, the readers, the writer,
the synthetic generator and the database import. Column names are the contract; extra columns
are allowed and kept.

In memory a table is columnar (see :class:`sunshine.datasets.package.Table`):

=========  ==========================================  ===========================
kind       numpy dtype in memory                       empty optional cell
=========  ==========================================  ===========================
str        object (Python str)                         ""
enum       object (Python str, one of ``choices``)     ""
int        int64                                       -1
float      float64                                     NaN
date       datetime64[D] (cells are ISO YYYY-MM-DD)     NaT
bool       bool (cells are ``true``/``false``)          (never optional)
list       object (tuple[str, ...], cells split on ;)  ()
=========  ==========================================  ===========================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

ColumnKind = Literal["str", "enum", "int", "float", "date", "bool", "list"]

LIST_SEPARATOR: Final = ";"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: ColumnKind
    required: bool = True  # False: the cell may be empty
    choices: tuple[str, ...] = ()  # for kind "enum" (and list items, when set)
    min: float | None = None  # inclusive bound for int/float
    max: float | None = None  # inclusive bound for int/float
    min_exclusive: bool = False  # the bound ``min`` itself is not allowed (e.g. share > 0)
    description: str = ""


@dataclass(frozen=True, slots=True)
class ForeignKey:
    column: str
    table: str  # target table name
    target: str  # target column
    # list columns are checked item by item; an empty optional cell is never checked


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str  # "schools"
    filename: str  # "schools.csv"; also the .xlsx sheet name without ".csv"
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique per row
    foreign_keys: tuple[ForeignKey, ...] = ()
    description: str = ""

    @property
    def sheet(self) -> str:
        return self.name

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


STAGES: Final = ("primary", "junior")
SCHOOL_KINDS: Final = ("public", "private")
RELATIONS: Final = ("head", "spouse", "child", "other")
GENDERS: Final = ("M", "F")
PRIORITY_GROUPS: Final = ("military", "police", "martyr", "talent")
SPECIAL_NEEDS: Final = ("disabled", "orphan", "left_behind", "unsupported", "poor")

# Longitude/latitude bounds of China, generously: a point outside is certainly a data error.


def _lon() -> Column:
    return Column("lon", "float", min=73.0, max=136.0)


def _lat() -> Column:
    return Column("lat", "float", min=3.0, max=54.0)


SCHOOLS = TableSpec(
    "schools",
    "schools.csv",
    (
        Column("school_id", "str"),
        Column("name", "str"),
        Column("stage", "enum", choices=STAGES),
        Column("kind", "enum", choices=SCHOOL_KINDS),
        _lon(),
        _lat(),
        Column("plan_seats", "int", min=0, description="approved 招生计划: a hard capacity"),
        Column("class_size", "int", required=False, min=1, description="default: the policy's"),
        Column(
            "feeds_school_id",
            "str",
            required=False,
            description="for a primary school: the junior school its graduates go to (对口)",
        ),
    ),
    key=("school_id",),
    foreign_keys=(ForeignKey("feeds_school_id", "schools", "school_id"),),
    description="Schools of both stages with their approved plans.",
)

ADDRESSES = TableSpec(
    "addresses",
    "addresses.csv",
    (
        Column("address_id", "str"),
        Column("text", "str"),
        _lon(),
        _lat(),
    ),
    key=("address_id",),
    description="Every address that any registry or application refers to, geocoded.",
)

HOUSEHOLDS = TableSpec(
    "households",
    "households.csv",
    (
        Column("person_id", "str"),
        Column("household_id", "str"),
        Column("address_id", "str"),
        Column("registered_on", "date", description="date the person's 户籍 moved to this address"),
        Column("relation", "enum", choices=RELATIONS),
    ),
    key=("person_id",),
    foreign_keys=(ForeignKey("address_id", "addresses", "address_id"),),
    description="户籍: household registrations, one row per person.",
)

PROPERTIES = TableSpec(
    "properties",
    "properties.csv",
    (
        Column("certificate_no", "str"),
        Column("address_id", "str"),
        Column("owner_id", "str"),
        Column("share", "float", min=0.0, max=1.0, min_exclusive=True),
        Column("acquired_on", "date"),
    ),
    key=("certificate_no", "owner_id"),
    foreign_keys=(ForeignKey("address_id", "addresses", "address_id"),),
    description="房产: one row per (certificate, owner); co-owners share a certificate.",
)

RESIDENCE_PERMITS = TableSpec(
    "residence_permits",
    "residence_permits.csv",
    (
        Column("person_id", "str"),
        Column("address_id", "str"),
        Column("issued_on", "date"),
        Column("valid_until", "date"),
    ),
    key=("person_id", "issued_on"),
    foreign_keys=(ForeignKey("address_id", "addresses", "address_id"),),
    description="居住证 held by people without local hukou.",
)

SOCIAL_SECURITY = TableSpec(
    "social_security",
    "social_security.csv",
    (
        Column("person_id", "str"),
        Column("months_continuous", "int", min=0),
        Column("as_of", "date"),
    ),
    key=("person_id",),
    description="社保: continuous contribution months as of a date.",
)

BIRTHS = TableSpec(
    "births",
    "births.csv",
    (
        Column("child_id", "str"),
        Column("birth_date", "date"),
        Column("mother_id", "str", required=False),
        Column("father_id", "str", required=False),
        Column("address_id", "str", required=False),
    ),
    key=("child_id",),
    foreign_keys=(ForeignKey("address_id", "addresses", "address_id"),),
    description="出生医学证明: the birth record naming the parents.",
)

VACCINATIONS = TableSpec(
    "vaccinations",
    "vaccinations.csv",
    (
        Column("child_id", "str"),
        Column("complete", "bool"),
    ),
    key=("child_id",),
    description="预防接种证: whether the child's vaccination record is complete.",
)

SEAT_USAGE = TableSpec(
    "seat_usage",
    "seat_usage.csv",
    (
        Column("certificate_no", "str"),
        Column("year", "int", min=1990, max=2100),
        Column("stage", "enum", choices=STAGES),
        Column("child_id", "str"),
    ),
    key=("certificate_no", "year", "stage", "child_id"),
    description="学位锁定: earlier admissions that used a home, for the seat lock.",
)

APPLICATIONS = TableSpec(
    "applications",
    "applications.csv",
    (
        Column("application_id", "str"),
        Column("child_id", "str", description="the child's 身份证 number (GB 11643)"),
        Column("child_name", "str"),
        Column("gender", "enum", choices=GENDERS),
        Column("birth_date", "date"),
        Column("stage", "enum", choices=STAGES),
        Column("guardian_ids", "list", description="身份证 numbers of the guardians"),
        Column("claimed_address_id", "str"),
        Column("claimed_certificate_no", "str", required=False),
        Column("preferences", "list", required=False, description="school_ids, best first"),
        Column("private_school_id", "str", required=False),
        Column("priority_group", "enum", required=False, choices=PRIORITY_GROUPS),
        Column("special_needs", "enum", required=False, choices=SPECIAL_NEEDS),
        Column("sibling_application_ids", "list", required=False),
        Column(
            "current_school_id",
            "str",
            required=False,
            description="junior entry: the primary school the child attends (for feeders)",
        ),
    ),
    key=("application_id",),
    foreign_keys=(
        ForeignKey("claimed_address_id", "addresses", "address_id"),
        ForeignKey("preferences", "schools", "school_id"),
        ForeignKey("private_school_id", "schools", "school_id"),
        ForeignKey("sibling_application_ids", "applications", "application_id"),
        ForeignKey("current_school_id", "schools", "school_id"),
    ),
    description="The families' applications for this season.",
)

# Read and written in this order; a foreign key always points to an earlier (or the same) table.
TABLES: Final[tuple[TableSpec, ...]] = (
    SCHOOLS,
    ADDRESSES,
    HOUSEHOLDS,
    PROPERTIES,
    RESIDENCE_PERMITS,
    SOCIAL_SECURITY,
    BIRTHS,
    VACCINATIONS,
    SEAT_USAGE,
    APPLICATIONS,
)
TABLES_BY_NAME: Final[dict[str, TableSpec]] = {t.name: t for t in TABLES}

POLICY_FILE: Final = "policy.toml"
ZONES_FILE: Final = "zones.geojson"
ZONE_PROPERTIES: Final = ("zone_id", "stage", "school_ids")
# Written by the synthetic generator beside a package; nothing in the pipeline reads it.
GROUND_TRUTH_FILE: Final = "ground_truth.json"
