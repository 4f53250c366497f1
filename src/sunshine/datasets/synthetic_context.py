"""The county-wide part of the synthetic generator, built once before the families: boundary,
compounds, schools with their plans and feeders, zones, and the counters that keep ids unique
across chunks."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from sunshine.datasets import synthetic_geo as geo
from sunshine.datasets import synthetic_names as names
from sunshine.datasets.synthetic_ids import IdAllocator, local_codes, migrant_codes

CHILDREN_PER_PUBLIC_PRIMARY = 600
CHILDREN_PER_PUBLIC_JUNIOR = 800
SEATS_OVER_DEMAND = 1.05  # the plans add up to slightly more seats than children
PRIVATE_SEAT_SHARE = 0.07


@dataclass(frozen=True, slots=True)
class StageSchools:
    stage: str
    class_size: int
    zones: geo.ZoneSet
    public_ids: np.ndarray  # U: school_id per public site (index = zone school index)
    public_names: np.ndarray
    public_xy: np.ndarray
    public_seats: np.ndarray
    popularity: np.ndarray  # relative weight of a school as a first choice
    private_ids: np.ndarray
    private_names: np.ndarray
    private_xy: np.ndarray
    private_seats: np.ndarray
    private_popularity: np.ndarray
    zone_schools: np.ndarray  # [z, 3] public school indices of each zone, -1 padded
    zone_ids: np.ndarray  # U: zone_id per zone
    feeds: np.ndarray  # U: junior school_id fed by each public primary ("" for junior)
    list_private_rate: float


@dataclass(slots=True)
class Counters:
    """Running numbers shared by all chunks, so every id is unique in the package."""

    address: int = 0
    household: int = 0
    certificate: int = 0
    application: dict[str, int] = field(default_factory=lambda: {"primary": 0, "junior": 0})
    flats: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass(slots=True)
class County:
    region_name: str
    school_year: int
    hukou_since_before: np.datetime64
    lock_years: dict[str, int]
    preferences_allowed: int
    boundary: BaseGeometry
    town_names: np.ndarray  # U per town
    compounds: geo.Compounds
    compound_names: np.ndarray  # U per compound: "城东街道阳光花园"
    stages: dict[str, StageSchools]
    ids: IdAllocator
    n_local_codes: int
    n_migrant_codes: int
    counters: Counters

    def date(self, years_back: int, month: int, day: int) -> np.datetime64:
        return np.datetime64(dt.date(self.school_year - years_back, month, day), "D")


def build_county(
    rng: np.random.Generator,
    *,
    children: int,
    junior_children: int,
    region_name: str,
    school_year: int,
    hukou_since_before: dt.date,
    lock_years: dict[str, int],
    class_sizes: dict[str, int],
    preferences_allowed: int,
) -> tuple[County, dict[str, np.ndarray]]:
    """The county and, per stage, the compound of each child (drawn here so that school plans
    can follow the real demand)."""
    total = children + junior_children
    boundary = geo.county_boundary(rng, total)
    towns = geo.make_towns(rng, boundary, total)
    compounds = geo.make_compounds(rng, boundary, towns, max(40, total // 10))
    town_names = np.array([names.town_name(i) for i in range(len(towns.weights))])
    compound_names = np.array(
        [
            f"{town_names[t]}{names.compound_name(int(q))}"
            for t, q in zip(compounds.town, compounds.local_index, strict=True)
        ]
    )
    cohorts = {"primary": children, "junior": junior_children}
    drafts: dict[str, _StageDraft] = {}
    zone_of: dict[str, np.ndarray] = {}
    for stage, per_school, suffix in (
        ("primary", CHILDREN_PER_PUBLIC_PRIMARY, names.PRIMARY_SCHOOL_SUFFIX),
        ("junior", CHILDREN_PER_PUBLIC_JUNIOR, names.JUNIOR_SCHOOL_SUFFIX),
    ):
        n_public = max(2, round(max(cohorts[stage], children // 2) / per_school))
        n_public = min(n_public, len(compounds.weight) // 2)
        sites = geo.pick_sites(rng, boundary, compounds, n_public)
        zones = geo.make_zones(rng, boundary, sites, merge_share=0.12)
        zone_of[stage] = zones.lookup(compounds.xy)
        drafts[stage] = _StageDraft(stage, sites, zones, suffix, boundary)
    # A compound on a zone edge would have an ambiguous zone: nobody lives there.
    usable = (zone_of["primary"] >= 0) & (zone_of["junior"] >= 0)
    weight = np.where(usable, compounds.weight, 0.0)
    compounds = geo.Compounds(
        compounds.xy, compounds.town, compounds.local_index, weight / weight.sum()
    )
    homes = {s: rng.choice(len(weight), size=cohorts[s], p=compounds.weight) for s in cohorts}
    stages = {
        stage: _finish_stage(
            rng, draft, compounds, town_names, zone_of[stage], homes[stage], class_sizes[stage]
        )
        for stage, draft in drafts.items()
    }
    _set_feeders(stages)
    n_local = max(1, math.ceil(total / 40_000))
    allocator = IdAllocator(local_codes(n_local) + migrant_codes())
    county = County(
        region_name=region_name,
        school_year=school_year,
        hukou_since_before=np.datetime64(hukou_since_before, "D"),
        lock_years=lock_years,
        preferences_allowed=preferences_allowed,
        boundary=boundary,
        town_names=town_names,
        compounds=compounds,
        compound_names=compound_names,
        stages=stages,
        ids=allocator,
        n_local_codes=n_local,
        n_migrant_codes=len(migrant_codes()),
        counters=Counters(flats=np.zeros(len(weight), dtype=np.int64)),
    )
    return county, homes


@dataclass(frozen=True, slots=True)
class _StageDraft:
    stage: str
    sites: np.ndarray
    zones: geo.ZoneSet
    suffix: str
    boundary: BaseGeometry


def _school_names(
    sites: np.ndarray, compounds: geo.Compounds, town_names: np.ndarray, suffix: str
) -> np.ndarray:
    """ "城东小学", "城东第二小学", ... after the town of the nearest compound."""
    nearest = _nearest(sites, compounds.xy)
    town = compounds.town[nearest]
    seen: dict[int, int] = {}
    out = []
    for t in town.tolist():
        k = seen.get(t, 0) + 1
        seen[t] = k
        stem = town_names[t].removesuffix("街道").removesuffix("镇")
        out.append(f"{stem}{suffix}" if k == 1 else f"{stem}第{names.chinese_number(k)}{suffix}")
    return np.array(out)


def _nearest(points: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    tree = shapely.STRtree(shapely.points(candidates))
    return np.asarray(tree.nearest(shapely.points(points)), dtype=np.int64)


def _finish_stage(
    rng: np.random.Generator,
    draft: _StageDraft,
    compounds: geo.Compounds,
    town_names: np.ndarray,
    compound_zone: np.ndarray,
    homes: np.ndarray,
    class_size: int,
) -> StageSchools:
    stage, zones = draft.stage, draft.zones
    n_public, cohort = len(draft.sites), len(homes)
    prefix = "PS" if stage == "primary" else "JS"
    # Some schools are popular (few seats for their zone, many first choices), some are not.
    kind = rng.choice(3, size=n_public, p=[0.2, 0.6, 0.2])
    # Even a small county has a school that needs a lottery and one with seats to spare.
    if n_public >= 2 and not np.any(kind == 0):
        kind[rng.integers(0, n_public)] = 0
    if n_public >= 3 and not np.any(kind == 2):
        kind[rng.choice(np.flatnonzero(kind != 0))] = 2
    popularity = np.array([3.0, 1.0, 0.4])[kind]
    factor = np.array([rng.uniform(lo, hi) for lo, hi in ((0.55, 0.8), (0.95, 1.2), (1.2, 1.6))])[
        kind
    ] * rng.uniform(0.95, 1.05, n_public)
    demand = np.bincount(compound_zone[homes], minlength=len(zones.schools)).astype(float)
    base = np.zeros(n_public)
    for z, members in enumerate(zones.schools):
        base[list(members)] = demand[z] / len(members)
    private_total = PRIVATE_SEAT_SHARE * cohort
    raw = np.maximum(base, 1.0) * factor
    public_target = max(SEATS_OVER_DEMAND * cohort - private_total, float(class_size))
    target = raw * public_target / raw.sum()
    seats = _to_classes(target, class_size)
    per_private = class_size * 4
    n_private = max(1, round(private_total / per_private))
    private_xy = geo.pick_sites(rng, draft.boundary, compounds, n_private)
    private_seats = _to_classes(
        rng.uniform(0.7, 1.3, n_private) * private_total / n_private, class_size
    )
    # Rounding to whole classes may leave the county short; add classes where the plan is
    # furthest below its unrounded target (normal and unpopular schools first).
    short = math.ceil((SEATS_OVER_DEMAND * cohort - seats.sum() - private_seats.sum()) / class_size)
    while short > 0:
        gap = (target - seats) / class_size - (popularity > 1.0)
        take = min(short, n_public)
        seats[np.argsort(-gap, kind="stable")[:take]] += class_size
        short -= take
    zone_schools = np.full((len(zones.schools), 3), -1, dtype=np.int64)
    for z, members in enumerate(zones.schools):
        zone_schools[z, : len(members)] = members
    private_names = np.array(
        [
            f"{n.removesuffix('小学').removesuffix('中学')}{names.PRIVATE_SCHOOL_NAMES[i % 5]}"
            for i, n in enumerate(_school_names(private_xy, compounds, town_names, ""))
        ]
    )
    zone_prefix = "PZ" if stage == "primary" else "JZ"
    return StageSchools(
        stage=stage,
        class_size=class_size,
        zones=zones,
        public_ids=np.array([f"{prefix}{i + 1:04d}" for i in range(n_public)]),
        public_names=_school_names(draft.sites, compounds, town_names, draft.suffix),
        public_xy=draft.sites,
        public_seats=seats,
        popularity=popularity,
        private_ids=np.array([f"{prefix[0]}P{i + 1:04d}" for i in range(n_private)]),
        private_names=private_names,
        private_xy=private_xy,
        private_seats=private_seats,
        private_popularity=rng.lognormal(0.0, 0.5, n_private),
        zone_schools=zone_schools,
        zone_ids=np.array([f"{zone_prefix}{z + 1:04d}" for z in range(len(zones.schools))]),
        feeds=np.full(n_public, "", dtype="U6"),
        list_private_rate=0.10 if stage == "primary" else 0.12,
    )


def _to_classes(seats: np.ndarray, class_size: int) -> np.ndarray:
    return np.maximum(np.round(seats / class_size), 1).astype(np.int64) * class_size


def _set_feeders(stages: dict[str, StageSchools]) -> None:
    """Each public primary feeds the nearest public junior school of the junior zone its site
    lies in (对口直升)."""
    primary, junior = stages["primary"], stages["junior"]
    zone = junior.zones.lookup(primary.public_xy)
    for i, z in enumerate(zone.tolist()):
        candidates = [s for s in junior.zone_schools[z] if s >= 0] if z >= 0 else []
        pool = junior.public_xy[candidates] if candidates else junior.public_xy
        best = int(np.argmin(((pool - primary.public_xy[i]) ** 2).sum(axis=1)))
        primary.feeds[i] = junior.public_ids[candidates[best] if candidates else best]
