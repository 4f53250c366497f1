"""A realistic synthetic county of any size, written as a complete data package.

``generate(out, children=N, seed=S)`` writes every table of :mod:`sunshine.datasets.schema`,
``zones.geojson``, ``policy.toml`` and ``ground_truth.json`` (the planted anomalies, see
:mod:`sunshine.datasets.synthetic_anomalies`). The same (N, junior N, seed) always gives
byte-identical files: all randomness comes from ``numpy.random.Generator(PCG64)`` streams
derived from the seed, one for the county and one per chunk of families.

The county (:mod:`synthetic_context`) is built first: an irregular boundary near Hangzhou whose
area grows with N, towns, residential compounds, about one public primary school per 600
children and one junior school per 800, a few private schools (~7 % of seats), Voronoi zones
with some 多校划片 zones, and plans that add up to ~1.05× the children but leave popular
schools oversubscribed. Families are then generated and written chunk by chunk
(:mod:`synthetic_families`, :mod:`synthetic_tables`), so memory stays flat at a million.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from sunshine.datasets import synthetic_tables as tables
from sunshine.datasets.schema import GROUND_TRUTH_FILE, POLICY_FILE, TABLES, ZONES_FILE
from sunshine.datasets.synthetic_anomalies import plant
from sunshine.datasets.synthetic_context import County, build_county
from sunshine.datasets.synthetic_families import make_chunk
from sunshine.datasets.synthetic_write import (
    CsvSink,
    ground_truth_text,
    policy_text,
    school_columns,
    zones_text,
)

REGION_CODE = "330199"  # "99": no county has this code, so nothing can match a real place
REGION_NAME = "示范县"
SCHOOL_YEAR = 2026
LOCK_YEARS = {"primary": 6, "junior": 3}
CLASS_SIZES = {"primary": 45, "junior": 50}
PREFERENCES_ALLOWED = 3
CHUNK = 25_000  # children per chunk: big enough to vectorise, small enough to stay flat
MIN_CHILDREN = 100


@dataclass(frozen=True, slots=True)
class SynthSummary:
    out: Path
    seed: int
    children: int
    junior_children: int
    rows: dict[str, int]  # table name -> rows written
    schools: int
    zones: dict[str, int]  # stage -> zones
    anomalies: dict[str, int]  # kind -> ground-truth entries
    files: tuple[Path, ...]


def default_junior_children(children: int) -> int:
    """Half the grade-1 cohort: enough for the demo to show both stages, at half the cost."""
    return children // 2


def generate(
    out: Path,
    *,
    children: int,
    seed: int,
    junior_children: int | None = None,
    progress: bool = True,
    region_code: str = REGION_CODE,
    region_name: str = REGION_NAME,
) -> SynthSummary:
    """Write a synthetic package for ``children`` grade-1 and ``junior_children`` grade-7
    applicants (default: half as many) into the folder ``out``; ``region_code`` and
    ``region_name`` name the county (a province has several, see
    :mod:`sunshine.datasets.synthetic_province`)."""
    junior = default_junior_children(children) if junior_children is None else junior_children
    if children < MIN_CHILDREN:
        raise ValueError(f"children must be at least {MIN_CHILDREN}, got {children}")
    if junior < 0:
        raise ValueError(f"junior_children must not be negative, got {junior}")
    if seed < 0:
        raise ValueError(f"seed must not be negative, got {seed}")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        summary = _write(tmp, children, junior, seed, progress, (region_code, region_name))
        files = _move_into(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return SynthSummary(
        out=out,
        seed=seed,
        children=children,
        junior_children=junior,
        rows=summary["rows"],
        schools=summary["schools"],
        zones=summary["zones"],
        anomalies=summary["anomalies"],
        files=files,
    )


def _move_into(tmp: Path, out: Path) -> tuple[Path, ...]:
    """Publish the finished files: the whole folder at once when ``out`` is new or empty,
    otherwise file by file (each replacement atomic)."""
    names = sorted(p.name for p in tmp.iterdir())
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if not out.exists():
        os.replace(tmp, out)
        tmp.mkdir()  # so the caller's cleanup has something to remove
    else:
        for name in names:
            os.replace(tmp / name, out / name)
    return tuple(out / name for name in names)


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, *stream])))


def _write(
    folder: Path, children: int, junior: int, seed: int, progress: bool, region: tuple[str, str]
) -> dict[str, Any]:
    region_code, region_name = region
    hukou_since_before = dt.date(SCHOOL_YEAR - 1, 8, 31)
    county, homes = build_county(
        _rng(seed, 0),
        children=children,
        junior_children=junior,
        region_name=region_name,
        school_year=SCHOOL_YEAR,
        hukou_since_before=hukou_since_before,
        lock_years=LOCK_YEARS,
        class_sizes=CLASS_SIZES,
        preferences_allowed=PREFERENCES_ALLOWED,
    )
    entries: list[dict[str, Any]] = []
    bar = tqdm(
        total=children + junior, unit="child", unit_scale=True, file=sys.stderr,
        disable=not progress, desc="synth",
    )  # fmt: skip
    with bar, CsvSink(folder) as sink:
        sink.write("schools", school_columns(county))
        for stage_index, stage in enumerate(("primary", "junior")):
            stage_homes = homes[stage]
            for chunk_index, start in enumerate(range(0, len(stage_homes), CHUNK)):
                part = stage_homes[start : start + CHUNK]
                entries += _chunk(
                    county, sink, _rng(seed, 1 + stage_index, chunk_index), stage, part
                )
                bar.update(len(part))
    (folder / ZONES_FILE).write_text(zones_text(county), encoding="utf-8", newline="")
    (folder / POLICY_FILE).write_text(
        policy_text(
            region_code=region_code,
            region_name=region_name,
            school_year=SCHOOL_YEAR,
            hukou_since_before=hukou_since_before,
            lock_years=LOCK_YEARS,
            class_sizes=CLASS_SIZES,
            preferences_allowed=PREFERENCES_ALLOWED,
        ),
        encoding="utf-8",
        newline="",
    )
    header = {"seed": seed, "children": children, "junior_children": junior}
    (folder / GROUND_TRUTH_FILE).write_text(
        ground_truth_text(header, entries), encoding="utf-8", newline=""
    )
    anomalies: dict[str, int] = {}
    for e in entries:
        anomalies[e["kind"]] = anomalies.get(e["kind"], 0) + 1
    return {
        "rows": {spec.name: sink.rows[spec.name] for spec in TABLES},
        "schools": sink.rows["schools"],
        "zones": {s: len(county.stages[s].zones.geoms) for s in county.stages},
        "anomalies": dict(sorted(anomalies.items())),
    }


def _chunk(
    county: County, sink: CsvSink, rng: np.random.Generator, stage: str, homes: np.ndarray
) -> list[dict[str, Any]]:
    chunk = make_chunk(county, rng, stage, homes)
    planted, lock_rows = plant(county, rng, chunk)
    apps, app_ids = tables.applications(county, rng, chunk)
    sink.write("addresses", tables.addresses(county, chunk))
    sink.write("households", tables.households(chunk))
    sink.write("properties", tables.properties(chunk))
    sink.write("residence_permits", tables.residence_permits(chunk))
    sink.write("social_security", tables.social_security(county, chunk))
    sink.write("births", tables.births(chunk))
    sink.write("vaccinations", tables.vaccinations(rng, chunk))
    sink.write("seat_usage", tables.seat_usage(county, rng, chunk, lock_rows))
    sink.write("applications", apps)
    return tables.ground_truth(chunk, planted, app_ids)
