"""A synthetic province: several synthetic counties, each a complete data package.

Counties decide their admissions independently (ARCHITECTURE.md, "Scaling out"), so a province
is a folder holding one package folder per county, named by its region code, and a
``province.json`` listing them. County sizes vary as real ones do (a few large, many small),
drawn from the seed; each county is :func:`sunshine.datasets.synthetic.generate` with its own
seed, so the same (children, counties, seed) always gives byte-identical files. Counties are
written by ``jobs`` processes at once.
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sunshine.datasets.synthetic import MIN_CHILDREN, default_junior_children, generate

PROVINCE_FILE = "province.json"
PROVINCE_PREFIX = "3399"  # "99": no prefecture has this code, so nothing matches a real place
MAX_COUNTIES = 99


@dataclass(frozen=True, slots=True)
class County:
    region_code: str
    region_name: str
    children: int  # grade 1
    junior_children: int  # grade 7
    seed: int

    def to_json_value(self) -> dict[str, Any]:
        return {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "children": self.children,
            "junior_children": self.junior_children,
            "seed": self.seed,
        }


def plan_counties(
    children: int, counties: int, seed: int, *, junior: bool = True
) -> tuple[County, ...]:
    """How ``children`` grade-1 applicants split over ``counties`` counties (each at least
    :data:`MIN_CHILDREN`), with each county's name and seed."""
    if not 1 <= counties <= MAX_COUNTIES:
        raise ValueError(f"counties must be between 1 and {MAX_COUNTIES}, got {counties}")
    if children < counties * MIN_CHILDREN:
        raise ValueError(f"children must be at least {MIN_CHILDREN} per county")
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 7919])))
    weights = rng.gamma(4.0, size=counties)  # sizes spread about ±50 %
    spare = children - counties * MIN_CHILDREN
    sizes = MIN_CHILDREN + np.floor(spare * weights / weights.sum()).astype(np.int64)
    sizes[np.argmax(weights)] += children - int(sizes.sum())  # the rounding remainder
    county_seeds = np.random.SeedSequence([seed, 104729]).generate_state(counties, np.uint32)
    return tuple(
        County(
            region_code=f"{PROVINCE_PREFIX}{k + 1:02d}",
            region_name=f"示范{k + 1}县",
            children=int(size),
            junior_children=default_junior_children(int(size)) if junior else 0,
            seed=int(county_seed),
        )
        for k, (size, county_seed) in enumerate(zip(sizes, county_seeds, strict=True))
    )


def generate_province(
    out: Path, *, children: int, counties: int, seed: int, junior: bool = True, jobs: int = 1
) -> dict[County, int]:
    """Write the province into ``out``: ``out/<region_code>/`` per county and
    ``out/province.json``. Returns the applications written per county."""
    plan = plan_counties(children, counties, seed, junior=junior)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    largest_first = sorted(plan, key=lambda c: -(c.children + c.junior_children))
    if jobs > 1 and len(plan) > 1:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            written = list(pool.map(_write_county, [out] * len(plan), largest_first))
    else:
        written = [_write_county(out, county) for county in largest_first]
    applications = dict(zip(largest_first, written, strict=True))
    counties_json = [{**c.to_json_value(), "applications": applications[c]} for c in plan]
    text = json.dumps({"counties": counties_json}, ensure_ascii=False, indent=1)
    (out / PROVINCE_FILE).write_text(text + "\n", encoding="utf-8")
    return {c: applications[c] for c in plan}


def _write_county(out: Path, county: County) -> int:
    return generate(
        out / county.region_code,
        children=county.children,
        junior_children=county.junior_children,
        seed=county.seed,
        progress=False,
        region_code=county.region_code,
        region_name=county.region_name,
    ).rows["applications"]
