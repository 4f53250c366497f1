"""The synthetic county's geography: boundary, towns, residential compounds, school sites and
catchment zones (Voronoi cells of the school sites, some merged into 多校划片 zones).

All coordinates are lon/lat degrees rounded to 6 decimals (about 0.1 m) with shapely's
precision grid, and the zone lookups use the rounded geometry that is written out, so a point
lies in exactly the zones a reader of the package will find.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

GRID: Final = 1e-6  # degrees: the precision of every written coordinate
CENTER: Final = (120.1, 30.2)  # lon, lat: somewhere near Hangzhou
KM_PER_DEG_LAT: Final = 111.32
KM2_PER_CHILD: Final = 0.15  # county area per grade-1 child: ~750 km² for 5,000 children


def km_to_deg(lat: float) -> tuple[float, float]:
    """Degrees of (lon, lat) per km at latitude ``lat``."""
    return 1.0 / (KM_PER_DEG_LAT * math.cos(math.radians(lat))), 1.0 / KM_PER_DEG_LAT


def county_boundary(rng: np.random.Generator, children: int) -> BaseGeometry:
    """An irregular star-shaped polygon whose area grows with the number of children."""
    radius_km = math.sqrt(max(children, 200) * KM2_PER_CHILD / math.pi)
    angles = np.linspace(0.0, 2 * math.pi, 72, endpoint=False)
    r = np.ones_like(angles)
    for k in range(2, 6):  # a few low harmonics make a plausible outline
        r += rng.uniform(0.0, 0.18 / k * 2) * np.cos(k * angles + rng.uniform(0, 2 * math.pi))
    r *= rng.uniform(0.96, 1.04, len(angles))
    r = np.clip(r, 0.45, None) * radius_km
    dlon, dlat = km_to_deg(CENTER[1])
    lon = CENTER[0] + r * np.cos(angles) * dlon
    lat = CENTER[1] + r * np.sin(angles) * dlat
    return snap(shapely.Polygon(np.column_stack([lon, lat])))


def snap(geoms: Any) -> Any:
    """Round every coordinate to the grid, keeping the geometries valid.

    Plain rounding, not GEOS snap-rounding: neighbours share their edges vertex for vertex, so
    rounding keeps them shared and the zones still tile exactly (snap-rounding each polygon
    alone may bend a shared edge in one of them only and leave slivers of overlap)."""
    out = shapely.transform(geoms, lambda xy: np.round(xy, 6))
    invalid = ~shapely.is_valid(out)
    if np.any(invalid):
        if isinstance(out, np.ndarray):
            out[invalid] = shapely.make_valid(out[invalid])
        else:
            out = shapely.make_valid(out)
    return out


def points_inside(
    rng: np.random.Generator,
    boundary: BaseGeometry,
    centers: np.ndarray,
    sigma: np.ndarray,
    which: np.ndarray,
) -> np.ndarray:
    """Gaussian points around ``centers[which]`` (sigma in degrees), redrawn until each lies
    inside the boundary; rounded to the grid. Returns [n, 2] lon/lat."""
    pts = np.empty((len(which), 2))
    todo = np.arange(len(which))
    shapely.prepare(boundary)
    for _ in range(200):
        c = centers[which[todo]]
        s = sigma[which[todo]][:, None]
        cand = np.round(c + rng.normal(0.0, 1.0, (len(todo), 2)) * s, 6)
        inside = shapely.contains_xy(boundary, cand[:, 0], cand[:, 1])
        pts[todo[inside]] = cand[inside]
        todo = todo[~inside]
        if len(todo) == 0:
            return pts
    pts[todo] = centers[which[todo]]  # a centre always lies inside (drawn so)
    return pts


@dataclass(frozen=True, slots=True)
class Towns:
    centers: np.ndarray  # [t, 2]
    weights: np.ndarray  # [t], sums to 1
    sigma: np.ndarray  # [t] spread of the built-up area, degrees


def make_towns(rng: np.random.Generator, boundary: BaseGeometry, children: int) -> Towns:
    t = int(np.clip(round(math.sqrt(children) / 6), 4, 60))
    minx, miny, maxx, maxy = boundary.bounds
    c = boundary.centroid
    centers = [np.array([c.x, c.y])]
    shapely.prepare(boundary)
    while len(centers) < t:
        cand = rng.uniform([minx, miny], [maxx, maxy], (4 * t, 2))
        cand = cand[shapely.contains_xy(boundary, cand[:, 0], cand[:, 1])]
        centers.extend(cand[: t - len(centers)])
    weights = rng.lognormal(0.0, 0.5, t)
    weights[0] *= 4.0  # the county seat (城关) holds a large share of the families
    weights /= weights.sum()
    span = math.sqrt(boundary.area / math.pi)
    sigma = span * 0.25 * np.sqrt(weights * t) / math.sqrt(t) * 1.5
    return Towns(np.round(np.array(centers), 6), weights, sigma)


@dataclass(frozen=True, slots=True)
class Compounds:
    """Residential compounds (小区): where families live."""

    xy: np.ndarray  # [c, 2] lon/lat
    town: np.ndarray  # [c] town index
    local_index: np.ndarray  # [c] index of the compound within its town (for its name)
    weight: np.ndarray  # [c] share of the children, sums to 1


def make_compounds(
    rng: np.random.Generator, boundary: BaseGeometry, towns: Towns, count: int
) -> Compounds:
    town = rng.choice(len(towns.weights), size=count, p=towns.weights)
    xy = points_inside(rng, boundary, towns.centers, towns.sigma, town)
    local = np.zeros(count, dtype=np.int64)
    order = np.argsort(town, kind="stable")
    starts = np.searchsorted(town[order], np.arange(len(towns.weights)))
    local[order] = np.arange(count) - starts[town[order]]
    weight = rng.lognormal(0.0, 0.6, count)
    return Compounds(xy, town, local, weight / weight.sum())


@dataclass(frozen=True, slots=True)
class ZoneSet:
    """Zones of one stage: each a (multi)polygon served by 1-3 public schools."""

    geoms: np.ndarray  # [z] shapely geometries (rounded, valid)
    schools: tuple[tuple[int, ...], ...]  # school indices (into the stage's public sites)
    tree: shapely.STRtree

    def lookup(self, xy: np.ndarray) -> np.ndarray:
        """Zone index of each point, or -1 where a point is in no zone or on a shared edge."""
        pts = shapely.points(xy)
        pairs = self.tree.query(pts, predicate="within")
        counts = np.bincount(pairs[0], minlength=len(xy))
        out = np.full(len(xy), -1, dtype=np.int64)
        single = counts[pairs[0]] == 1
        out[pairs[0][single]] = pairs[1][single]
        return out


def make_zones(
    rng: np.random.Generator, boundary: BaseGeometry, sites: np.ndarray, merge_share: float
) -> ZoneSet:
    """Voronoi cells of the sites clipped to the boundary; a share of the cells are merged
    with one or two neighbours into multi-school zones."""
    if len(np.unique(sites, axis=0)) != len(sites):
        raise ValueError("school sites must be distinct")
    if len(sites) == 1:
        cells = np.array([boundary], dtype=object)
    else:
        diagram = shapely.voronoi_polygons(
            shapely.MultiPoint(sites), extend_to=boundary, ordered=True
        )
        cells = snap(shapely.intersection(np.array(shapely.get_parts(diagram)), boundary))
    tree = shapely.STRtree(cells)
    group = np.full(len(sites), -1, dtype=np.int64)
    groups: list[list[int]] = []
    for position, i in enumerate(rng.permutation(len(sites)).tolist()):
        if group[i] >= 0:
            continue
        members = [i]
        # The first cell always merges, so even a small county shows a 多校划片 zone.
        if (rng.random() < merge_share or position == 0) and len(sites) >= 3:
            near = tree.query(cells[i], predicate="intersects")
            near = np.sort(near[(near != i) & (group[near] < 0)])
            shared = shapely.length(shapely.intersection(cells[near], cells[i])) > 0
            near = near[shared]
            if len(near):
                take = min(len(near), int(rng.integers(1, 3)))
                members += rng.choice(near, size=take, replace=False).tolist()
        group[members] = len(groups)
        groups.append(sorted(members))
    geoms = np.array(
        [snap(shapely.union_all(cells[g])) if len(g) > 1 else cells[g[0]] for g in groups],
        dtype=object,
    )
    return ZoneSet(geoms, tuple(tuple(g) for g in groups), shapely.STRtree(geoms))


def pick_sites(
    rng: np.random.Generator, boundary: BaseGeometry, compounds: Compounds, count: int
) -> np.ndarray:
    """School sites near populous compounds (so zones follow the families), distinct."""
    chosen = rng.choice(len(compounds.weight), size=count, replace=False, p=compounds.weight)
    base = compounds.xy[chosen]
    moved = np.round(base + rng.uniform(-0.002, 0.002, base.shape), 6)
    inside = shapely.contains_xy(boundary, moved[:, 0], moved[:, 1])
    return np.where(inside[:, None], moved, base)
