"""A tiny, valid data package to build tests on: three schools, two zones, two applications.

``TinyPackage()`` holds every file as plain Python data; change a cell with ``set`` (or the
``tables`` dict directly) and ``write`` it into a folder. Other test modules may reuse it.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stdnum.cn import ric

from sunshine.datasets.package import DataPackage
from sunshine.datasets.schema import POLICY_FILE, TABLES, TABLES_BY_NAME, ZONES_FILE

POLICY_TOML = """\
region_code = "330199"
region_name = "示范县"
school_year = 2026
age_cutoff = 2026-08-31
mechanism = "priority_first"
preferences_allowed = 3
overflow = "nearest_with_seats"
allow_grandparent_home = false
priority_group_rule = "above_all_tiers"
priority_groups = ["martyr", "military", "police", "talent"]

[stages.primary]
min_age = 6
seat_lock_years = 6
class_size = 45

[[stages.primary.tiers]]
name = "房户一致"
name_en = "Hukou and owned home at the same address"
hukou_home_same_address = true
hukou_since_before = 2025-08-31

[[stages.primary.tiers]]
name = "居住证+社保"
residence_permit_in_zone = true
social_security_months_at_least = 12

[stages.junior]
seat_lock_years = 3
class_size = 50
use_feeders = true

[[stages.junior.tiers]]
name = "户籍"
hukou_in_zone = true
"""


def person_id(region: str, birth: str, serial: int) -> str:
    """A valid GB 11643 ID number (check digit computed)."""
    body = f"{region}{birth}{serial:03d}"
    return body + ric.calc_check_digit(body)


CHILD_1 = person_id("330199", "20190506", 11)
CHILD_2 = person_id("330199", "20130302", 22)
MOTHER = person_id("330199", "19880101", 32)
FATHER = person_id("330199", "19870202", 41)
MIGRANT = person_id("420101", "19900303", 51)


def _square(lon: float, lat: float, size: float = 0.05) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _tables() -> dict[str, list[dict[str, str]]]:
    return {
        "schools": [
            {
                "school_id": "P1",
                "name": "阳光小学",
                "stage": "primary",
                "kind": "public",
                "lon": "120.01",
                "lat": "30.01",
                "plan_seats": "90",
                "class_size": "",
                "feeds_school_id": "J1",
            },
            {
                "school_id": "P2",
                "name": "Private Primary",
                "stage": "primary",
                "kind": "private",
                "lon": "120.02",
                "lat": "30.02",
                "plan_seats": "45",
                "class_size": "30",
                "feeds_school_id": "",
            },
            {
                "school_id": "J1",
                "name": "阳光初中",
                "stage": "junior",
                "kind": "public",
                "lon": "120.03",
                "lat": "30.03",
                "plan_seats": "100",
                "class_size": "50",
                "feeds_school_id": "",
            },
        ],
        "addresses": [
            {"address_id": "A1", "text": "阳光路1号", "lon": "120.011", "lat": "30.011"},
            {"address_id": "A2", "text": "阳光路2号", "lon": "120.012", "lat": "30.012"},
        ],
        "households": [
            row("person_id household_id address_id registered_on relation", line)
            for line in (
                f"{MOTHER} H1 A1 2015-04-01 head",
                f"{FATHER} H1 A1 2015-04-01 spouse",
                f"{CHILD_1} H1 A1 2019-05-20 child",
                f"{CHILD_2} H1 A1 2015-04-01 child",
            )
        ],
        "properties": [
            row("certificate_no address_id owner_id share acquired_on", line)
            for line in (f"CERT-1 A1 {MOTHER} 0.5 2014-10-01", f"CERT-1 A1 {FATHER} 0.5 2014-10-01")
        ],
        "residence_permits": [
            row("person_id address_id issued_on valid_until", f"{MIGRANT} A2 2023-01-01 2027-01-01")
        ],
        "social_security": [
            row("person_id months_continuous as_of", f"{MIGRANT} 30 2026-04-30"),
        ],
        "births": [
            {
                "child_id": CHILD_1,
                "birth_date": "2019-05-06",
                "mother_id": MOTHER,
                "father_id": FATHER,
                "address_id": "A1",
            },
            {
                "child_id": CHILD_2,
                "birth_date": "2013-03-02",
                "mother_id": MOTHER,
                "father_id": "",
                "address_id": "",
            },
        ],
        "vaccinations": [{"child_id": CHILD_1, "complete": "true"}],
        "seat_usage": [row("certificate_no year stage child_id", "CERT-X 2020 primary OLD-1")],
        "applications": [
            {
                "application_id": "APP-1",
                "child_id": CHILD_1,
                "child_name": "张三",
                "gender": "M",
                "birth_date": "2019-05-06",
                "stage": "primary",
                "guardian_ids": f"{MOTHER};{FATHER}",
                "claimed_address_id": "A1",
                "claimed_certificate_no": "CERT-1",
                "preferences": "P1;P2",
                "private_school_id": "P2",
                "priority_group": "",
                "special_needs": "",
                "sibling_application_ids": "APP-2",
                "current_school_id": "",
            },
            {
                "application_id": "APP-2",
                "child_id": CHILD_2,
                "child_name": "张四",
                "gender": "F",
                "birth_date": "2013-03-02",
                "stage": "junior",
                "guardian_ids": MOTHER,
                "claimed_address_id": "A1",
                "claimed_certificate_no": "",
                "preferences": "J1",
                "private_school_id": "",
                "priority_group": "military",
                "special_needs": "left_behind",
                "sibling_application_ids": "APP-1",
                "current_school_id": "P1",
            },
        ],
    }


def row(names: str, values: str) -> dict[str, str]:
    """A row from space-separated column names and values (cells without spaces)."""
    return dict(zip(names.split(), values.split(), strict=True))


def _zones() -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"zone_id": "Z1", "stage": "primary", "school_ids": ["P1", "P2"]},
                "geometry": _square(120.0, 30.0),
            },
            {
                "type": "Feature",
                "properties": {
                    "zone_id": "Z2",
                    "stage": "junior",
                    "school_ids": "J1",
                    "片区": "东",
                },
                "geometry": _square(120.0, 30.0, 0.1),
            },
        ],
    }


@dataclass
class TinyPackage:
    tables: dict[str, list[dict[str, str]]] = field(default_factory=_tables)
    policy: str = POLICY_TOML
    zones: dict[str, Any] = field(default_factory=_zones)
    # Column order per table; a table not listed here uses its rows' key order.
    headers: dict[str, list[str]] = field(default_factory=dict)

    def copy(self) -> TinyPackage:
        return copy.deepcopy(self)

    def set(self, table: str, index: int, column: str, value: str) -> None:
        """Set a cell; ``index`` 0 is Excel row 2."""
        self.tables[table][index][column] = value

    def header(self, table: str) -> list[str]:
        if table in self.headers:
            return self.headers[table]
        rows = self.tables[table]
        return list(rows[0]) if rows else list(TABLES_BY_NAME[table].column_names)

    def csv_text(self, table: str) -> str:
        header = self.header(table)
        lines = [",".join(header)]
        lines += [",".join(_quote(r.get(c, "")) for c in header) for r in self.tables[table]]
        return "\r\n".join(lines) + "\r\n"

    def write(self, folder: Path, *, encoding: str = "utf-8") -> Path:
        """Write every file into ``folder``; CSVs in ``encoding`` (e.g. utf-8-sig, gb18030)."""
        folder.mkdir(parents=True, exist_ok=True)
        for spec in TABLES:
            if spec.name in self.tables:
                (folder / spec.filename).write_bytes(self.csv_text(spec.name).encode(encoding))
        (folder / POLICY_FILE).write_text(self.policy, encoding="utf-8")
        (folder / ZONES_FILE).write_text(json.dumps(self.zones, ensure_ascii=False), "utf-8")
        return folder


def _quote(cell: str) -> str:
    if any(c in cell for c in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def assert_packages_equal(a: DataPackage, b: DataPackage) -> None:
    """Equal policy, text, zones and every typed column (NaN equals NaN, NaT equals NaT)."""
    assert a.policy == b.policy
    assert a.policy_text == b.policy_text
    assert a.zones == b.zones
    assert list(a.tables) == list(b.tables)
    for name, table in a.tables.items():
        other = b.tables[name]
        assert list(table.columns) == list(other.columns), name
        assert table.extras == other.extras, name
        for column, values in table.columns.items():
            assert values.dtype == other[column].dtype, (name, column)
            assert _same(values.tolist(), other[column].tolist()), (name, column)


def _same(left: list[Any], right: list[Any]) -> bool:
    def norm(v: Any) -> Any:
        return "<nan>" if isinstance(v, float) and math.isnan(v) else v

    return [norm(v) for v in left] == [norm(v) for v in right]
