"""Writing the synthetic package: streamed CSV tables (same cell forms and encoding as
:mod:`sunshine.datasets.writer`), zones, policy and the ground truth."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import numpy as np
import shapely

from sunshine.datasets.columns import format_column
from sunshine.datasets.package import Zone
from sunshine.datasets.schema import TABLES, TABLES_BY_NAME
from sunshine.datasets.synthetic_context import County, StageSchools
from sunshine.datasets.zones_io import zones_geojson


class CsvSink:
    """One open CSV writer per table, headers first; chunks are appended as they come."""

    def __init__(self, folder: Path) -> None:
        self._files: dict[str, IO[str]] = {}
        self.rows: dict[str, int] = {}
        for spec in TABLES:
            # utf-8-sig and the csv module's \r\n: what writer.py writes and Excel expects.
            stream = (folder / spec.filename).open("w", encoding="utf-8-sig", newline="")
            self._files[spec.name] = stream
            csv.writer(stream).writerow(spec.column_names)
            self.rows[spec.name] = 0

    def write(self, table: str, columns: dict[str, np.ndarray]) -> None:
        spec = TABLES_BY_NAME[table]
        if set(columns) != set(spec.column_names):
            raise ValueError(f"{table}: columns {sorted(columns)} != {spec.column_names}")
        cells = []
        for column in spec.columns:
            values = columns[column.name]
            if column.kind in ("str", "enum", "list"):  # list cells come joined already
                cells.append(values.tolist())
            else:
                cells.append(format_column(column, values))
        # Format the chunk in memory and write it once: the file's encoder is then called
        # once per chunk instead of once per row.
        buffer = io.StringIO()
        csv.writer(buffer).writerows(zip(*cells, strict=True))
        self._files[table].write(buffer.getvalue())
        self.rows[table] += len(columns[spec.column_names[0]])

    def __enter__(self) -> CsvSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for stream in self._files.values():
            stream.close()


def school_columns(county: County) -> dict[str, np.ndarray]:
    parts = []
    for stage in county.stages.values():
        for kind in ("public", "private"):
            parts.append(_stage_schools(stage, kind))
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


def _stage_schools(s: StageSchools, kind: str) -> dict[str, np.ndarray]:
    public = kind == "public"
    ids = s.public_ids if public else s.private_ids
    xy = s.public_xy if public else s.private_xy
    n = len(ids)
    return {
        "school_id": ids,
        "name": s.public_names if public else s.private_names,
        "stage": np.full(n, s.stage),
        "kind": np.full(n, kind),
        "lon": xy[:, 0],
        "lat": xy[:, 1],
        "plan_seats": s.public_seats if public else s.private_seats,
        "class_size": np.full(n, s.class_size, dtype=np.int64),
        "feeds_school_id": s.feeds if public else np.full(n, ""),
    }


def zones_text(county: County) -> str:
    zones = []
    for stage in county.stages.values():
        for z, geom in enumerate(stage.zones.geoms.tolist()):
            members = [int(i) for i in stage.zone_schools[z] if i >= 0]
            school_ids = tuple(str(stage.public_ids[i]) for i in members)
            geometry = json.loads(shapely.to_geojson(geom))
            zone_id = str(stage.zone_ids[z])
            zones.append(Zone(zone_id, stage.stage, school_ids, geometry, {"zone_id": zone_id}))
    return zones_geojson(tuple(zones))


def policy_text(
    *,
    region_code: str,
    region_name: str,
    school_year: int,
    hukou_since_before: dt.date,
    lock_years: dict[str, int],
    class_sizes: dict[str, int],
    preferences_allowed: int,
) -> str:
    def tiers(stage: str) -> str:
        rows = [
            ("房户一致", "Hukou and owned home at the same address",
             f"hukou_home_same_address = true\nhukou_since_before = {hukou_since_before}"),
            ("户籍", "Hukou in zone", "hukou_in_zone = true"),
            ("房产", "Home owned in zone", "owns_home_in_zone = true"),
            ("居住证+社保", "Residence permit and social security",
             "residence_permit_in_zone = true\nsocial_security_months_at_least = 12"),
        ]  # fmt: skip
        return "\n".join(
            f'\n[[stages.{stage}.tiers]]\nname = "{name}"\nname_en = "{en}"\n{body}'
            for name, en, body in rows
        )

    return f"""# Synthetic county: every person, address and number here is invented.
region_code = "{region_code}"
region_name = "{region_name}"
school_year = {school_year}
age_cutoff = {school_year}-08-31
mechanism = "priority_first"
preferences_allowed = {preferences_allowed}
overflow = "nearest_with_seats"
allow_grandparent_home = false
priority_group_rule = "above_all_tiers"
priority_groups = ["martyr", "military", "police", "talent"]

[stages.primary]
min_age = 6
seat_lock_years = {lock_years["primary"]}
class_size = {class_sizes["primary"]}
{tiers("primary")}

[stages.junior]
seat_lock_years = {lock_years["junior"]}
class_size = {class_sizes["junior"]}
use_feeders = true
{tiers("junior")}
"""


def ground_truth_text(header: dict[str, Any], entries: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for e in entries:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    doc = {**header, "counts": dict(sorted(counts.items())), "anomalies": entries}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
