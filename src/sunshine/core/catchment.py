"""Why a point gets the zone it gets: the border and outside cases, as facts a page can explain.

:mod:`sunshine.core.zoning` gives each point one zone (the smallest ``zone_id`` where zones
share a border, ``OUTSIDE`` where none holds it). A family asking "which schools serve my
address" also needs to know *why*: that the point lies on a border two zones share, that another
zone is a few metres away, or which zones are nearest when it lies in none. This module answers
that for one point against one stage's :class:`ZoneLayer`, with the very rule of ``zoning``.

Distances are in metres on a local equirectangular projection centred on the point: over a
county's few kilometres the error is far below the precision of a published zone map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from sunshine.core.zoning import OUTSIDE, ZoneIndex, ZoneLayer

# Metres per degree along the WGS 84 equator (a degree of latitude is within 1 % of it).
METRES_PER_DEGREE = 6_378_137.0 * math.pi / 180.0
NEAR_METRES = 100.0  # a border closer than this is worth a sentence on the page
NEAREST_ZONES = 3  # how many zones to name when a point lies in none


@dataclass(frozen=True, slots=True)
class ZoneDistance:
    zone: int  # index in the layer
    metres: float


@dataclass(frozen=True, slots=True)
class Placement:
    """One point's zone and the facts around it.

    ``zone`` is the answer of :mod:`zoning` (a layer index, or ``OUTSIDE``); ``containing`` every
    zone whose closed polygon holds the point, in ``zone_id`` order (two or more: a shared border
    or an overlap); ``border_metres`` the distance to the assigned zone's edge (``None`` when
    outside); ``nearby`` the other zones within the ``near`` distance when inside, or the nearest
    zones when outside, nearest first.
    """

    zone: int
    containing: tuple[int, ...]
    border_metres: float | None
    nearby: tuple[ZoneDistance, ...]

    @property
    def outside(self) -> bool:
        return self.zone == OUTSIDE

    @property
    def shared_border(self) -> bool:
        return len(self.containing) > 1


def _local_metres(geometry: np.ndarray, lon: float, lat: float) -> np.ndarray:
    kx = METRES_PER_DEGREE * math.cos(math.radians(lat))
    scale = np.array([kx, METRES_PER_DEGREE])
    origin = np.array([lon, lat])
    return np.asarray(shapely.transform(geometry, lambda xy: (xy - origin) * scale))


def place(
    layer: ZoneLayer,
    lon: float,
    lat: float,
    *,
    index: ZoneIndex | None = None,
    near: float = NEAR_METRES,
    nearest: int = NEAREST_ZONES,
) -> Placement:
    """The placement of the point (``lon``, ``lat``) in ``layer``; ``index`` may be a prebuilt
    :class:`ZoneIndex` of the same layer. Raises ValueError for a point that is not finite."""
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90:
        raise ValueError(f"not a point on the map: lon={lon}, lat={lat}")
    if layer.n_zones == 0:
        return Placement(OUTSIDE, (), None, ())
    index = index if index is not None else ZoneIndex.build(layer)
    zone = int(index.locate(np.array([lon]), np.array([lat]))[0])
    by_id = sorted(range(layer.n_zones), key=layer.zone_id.__getitem__)
    hits = shapely.intersects_xy(layer.geometry, lon, lat)
    containing = tuple(i for i in by_id if hits[i])
    local = _local_metres(layer.geometry, lon, lat)
    origin = shapely.Point(0.0, 0.0)
    to_zone = shapely.distance(local, origin)  # 0 inside or on the edge
    to_edge = shapely.distance(shapely.boundary(local), origin)
    if zone == OUTSIDE:
        ranked = sorted(by_id, key=lambda i: (float(to_zone[i]), layer.zone_id[i]))
        nearby = tuple(ZoneDistance(i, float(to_zone[i])) for i in ranked[: max(nearest, 0)])
        return Placement(OUTSIDE, containing, None, nearby)
    others = [i for i in by_id if not hits[i] and float(to_zone[i]) <= near]
    others.sort(key=lambda i: (float(to_zone[i]), layer.zone_id[i]))
    nearby = tuple(ZoneDistance(i, float(to_zone[i])) for i in others)
    return Placement(zone, containing, float(to_edge[zone]), nearby)
