"""Small data packages built in memory for the import/export tests, and a strict comparison.

Tables are built from plain Python rows with the typing rules of sunshine.datasets.schema
(written out here independently, so the tests check the database code against the contract
rather than against itself)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sunshine.datasets.package import DataPackage, Table, Zone
from sunshine.datasets.policy_toml import parse_policy
from sunshine.datasets.schema import TABLES, TABLES_BY_NAME, Column

Row = Mapping[str, Any]


def policy_text(region_code: str = "330102", year: int = 2026) -> str:
    return f"""\
# 测试县招生政策
region_code = "{region_code}"
region_name = "测试县"
school_year = {year}
age_cutoff = {year}-08-31
mechanism = "priority_first"
preferences_allowed = 3

[stages.primary]
min_age = 6
seat_lock_years = 6
class_size = 45

[[stages.primary.tiers]]
name = "房户一致"
hukou_home_same_address = true

[[stages.primary.tiers]]
name = "片区内居住"
any_address_in_zone = true

[stages.junior]
seat_lock_years = 3
class_size = 50
use_feeders = true

[[stages.junior.tiers]]
name = "片区内户籍"
hukou_in_zone = true
"""


_EMPTY = {"str": "", "enum": "", "int": -1, "float": math.nan, "date": None, "list": ()}


def _empty(column: Column) -> Any:
    return _EMPTY.get(column.kind)


def _array(column: Column, values: Sequence[Any]) -> np.ndarray:
    if column.kind == "int":
        return np.array(values, dtype=np.int64)
    if column.kind == "float":
        return np.array(values, dtype=np.float64)
    if column.kind == "date":
        return np.array(values, dtype="datetime64[D]")
    if column.kind == "bool":
        return np.array(values, dtype=bool)
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = tuple(v) if column.kind == "list" else v
    return out


def make_table(
    name: str, rows: Sequence[Row], extras: Mapping[str, Sequence[str]] | None = None
) -> Table:
    spec = TABLES_BY_NAME[name]
    columns = {
        c.name: _array(c, [row.get(c.name, _empty(c)) for row in rows]) for c in spec.columns
    }
    return Table(spec=spec, columns=columns, extras={k: list(v) for k, v in (extras or {}).items()})


def make_package(
    tables: Mapping[str, Table], zones: Sequence[Zone], text: str | None = None
) -> DataPackage:
    text = text or policy_text()
    full = {spec.name: tables.get(spec.name) or make_table(spec.name, []) for spec in TABLES}
    return DataPackage(policy=parse_policy(text), policy_text=text, zones=tuple(zones), tables=full)


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[120.0, 30.0], [120.1, 30.0], [120.1, 30.1], [120.0, 30.1], [120.0, 30.0]]],
}


def _props(zone_id: str, stage: str, *schools: str, **extra: str) -> dict[str, Any]:
    return {"zone_id": zone_id, "stage": stage, "school_ids": list(schools), **extra}


def small_package(region_code: str = "330102", year: int = 2026) -> DataPackage:
    """Every table, an extra column in two of them, optional cells both set and empty, a
    feeder link, a multi-school zone, siblings, a private choice and a junior application."""
    d = dt.date
    schools = make_table(
        "schools",
        [
            {"school_id": "J1", "name": "第一中学", "stage": "junior", "kind": "public",
             "lon": 120.05, "lat": 30.05, "plan_seats": 200},
            {"school_id": "P1", "name": "实验小学", "stage": "primary", "kind": "public",
             "lon": 120.01, "lat": 30.01, "plan_seats": 90, "class_size": 45,
             "feeds_school_id": "J1"},
            {"school_id": "P2", "name": "城南小学", "stage": "primary", "kind": "public",
             "lon": 120.02, "lat": 30.02, "plan_seats": 45},
            {"school_id": "X1", "name": "明德民办小学", "stage": "primary", "kind": "private",
             "lon": 120.03, "lat": 30.03, "plan_seats": 30},
        ],
        extras={"校长": ["王五", "李四", "", "赵六"]},
    )  # fmt: skip
    addresses = make_table(
        "addresses",
        [
            {"address_id": "A1", "text": "幸福路1号", "lon": 120.011, "lat": 30.011},
            {"address_id": "A2", "text": "和平街2号", "lon": 120.021, "lat": 30.021},
        ],
    )
    households = make_table(
        "households",
        [
            {"person_id": "G1", "household_id": "H1", "address_id": "A1",
             "registered_on": d(2015, 3, 1), "relation": "head"},
            {"person_id": "C1", "household_id": "H1", "address_id": "A1",
             "registered_on": d(2019, 9, 1), "relation": "child"},
        ],
        extras={"户别": ["家庭户", "家庭户"], "备注": ["", "新生儿"]},
    )  # fmt: skip
    properties = make_table(
        "properties",
        [
            {"certificate_no": "浙(2015)0001", "address_id": "A1", "owner_id": "G1",
             "share": 0.5, "acquired_on": d(2015, 1, 1)},
            {"certificate_no": "浙(2015)0001", "address_id": "A1", "owner_id": "G2",
             "share": 0.5, "acquired_on": d(2015, 1, 1)},
        ],
    )  # fmt: skip
    social = make_table(
        "social_security", [{"person_id": "G3", "months_continuous": 30, "as_of": d(2026, 3, 1)}]
    )
    births = make_table(
        "births",
        [
            {"child_id": "C1", "birth_date": d(2019, 8, 1), "mother_id": "G2",
             "father_id": "G1", "address_id": "A1"},
            {"child_id": "C2", "birth_date": d(2019, 12, 5)},
        ],
    )  # fmt: skip
    vaccinations = make_table(
        "vaccinations",
        [{"child_id": "C1", "complete": True}, {"child_id": "C2", "complete": False}],
    )
    seat_usage = make_table(
        "seat_usage",
        [{"certificate_no": "浙(2015)0001", "year": 2021, "stage": "primary", "child_id": "C0"}],
    )
    applications = make_table(
        "applications",
        [
            {"application_id": "2026-0001", "child_id": "C1", "child_name": "张小明",
             "gender": "M", "birth_date": d(2019, 8, 1), "stage": "primary",
             "guardian_ids": ("G1", "G2"), "claimed_address_id": "A1",
             "claimed_certificate_no": "浙(2015)0001", "preferences": ("P1", "P2"),
             "private_school_id": "X1", "priority_group": "military",
             "sibling_application_ids": ("2026-0002",)},
            {"application_id": "2026-0002", "child_id": "C2", "child_name": "张小红",
             "gender": "F", "birth_date": d(2019, 12, 5), "stage": "primary",
             "guardian_ids": ("G1",), "claimed_address_id": "A1", "preferences": ("P2",),
             "special_needs": "disabled", "sibling_application_ids": ("2026-0001",)},
            {"application_id": "2026-0003", "child_id": "C3", "child_name": "李四",
             "gender": "M", "birth_date": d(2013, 5, 5), "stage": "junior",
             "guardian_ids": ("G3",), "claimed_address_id": "A2", "current_school_id": "P1"},
        ],
    )  # fmt: skip
    zones = (
        Zone(
            "Z1",
            "primary",
            ("P1", "P2"),
            SQUARE,
            _props("Z1", "primary", "P1", "P2", name="城东片"),
        ),
        Zone("Z2", "junior", ("J1",), SQUARE, _props("Z2", "junior", "J1")),
    )
    return make_package(
        {
            "schools": schools,
            "addresses": addresses,
            "households": households,
            "properties": properties,
            "social_security": social,
            "births": births,
            "vaccinations": vaccinations,
            "seat_usage": seat_usage,
            "applications": applications,
        },
        zones,
        policy_text(region_code, year),
    )


def with_applications(pkg: DataPackage, rows: Sequence[Row]) -> DataPackage:
    tables = dict(pkg.tables)
    tables["applications"] = make_table("applications", rows)
    return DataPackage(pkg.policy, pkg.policy_text, pkg.zones, tables)


def application_rows(pkg: DataPackage) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k != "extra"} for row in pkg["applications"].rows()]


def assert_packages_equal(got: DataPackage, want: DataPackage) -> None:
    """Equal policy, zones and every table column by column: names, order, dtype and values
    (NaN equals NaN and NaT equals NaT), extras in the same order."""
    assert got.policy_text == want.policy_text
    assert got.policy == want.policy
    assert got.zones == want.zones
    assert list(got.tables) == list(want.tables)
    for name, table in want.tables.items():
        other = got[name]
        assert list(other.columns) == list(table.columns), name
        for column, values in table.columns.items():
            assert other[column].dtype == values.dtype, (name, column)
            np.testing.assert_array_equal(other[column], values, err_msg=f"{name}.{column}")
        assert list(other.extras) == list(table.extras), name
        assert other.extras == table.extras, name
