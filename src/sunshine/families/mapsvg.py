"""The zone map of one stage as inline SVG, drawn on the server so it needs no script and no
download: the family's zone and candidate schools highlighted, its address marked.

Same projection and CSS classes as the public map (``portal/static/portal/zonemap.js``):
equirectangular with longitude scaled by the cosine of the mid-latitude, 1000 units wide.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 1000.0

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Shape:
    code: str
    d: str  # SVG path data
    css: str
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class Dot:
    code: str
    name: str
    x: float
    y: float
    css: str


@dataclass(frozen=True, slots=True)
class ZoneMap:
    view_box: str
    zones: tuple[Shape, ...]
    schools: tuple[Dot, ...]
    home: Dot | None


def _rings(geometry: dict[str, Any]) -> list[list[list[Sequence[float]]]]:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _points(geometries: Iterable[dict[str, Any]]) -> list[Sequence[float]]:
    return [p for g in geometries for poly in _rings(g) for ring in poly for p in ring]


def zone_map(
    zones: Sequence[tuple[str, dict[str, Any]]],
    schools: Sequence[tuple[str, str, str, float, float]],
    *,
    selected_zone: str | None = None,
    candidates: Iterable[str] = (),
    home: tuple[str, float, float] | None = None,
) -> ZoneMap | None:
    """``zones``: (code, GeoJSON geometry); ``schools``: (code, name, kind, lon, lat);
    ``home``: (label, lon, lat). None when there is nothing to draw."""
    points = _points(g for _c, g in zones)
    points += [(lon, lat) for *_rest, lon, lat in schools]
    if home is not None:
        points.append((home[1], home[2]))
    if not points:
        return None
    west = min(p[0] for p in points)
    east = max(p[0] for p in points)
    south = min(p[1] for p in points)
    north = max(p[1] for p in points)
    k = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / max((east - west) * k, 1e-9)
    height = max((north - south) * scale, 1.0)

    def xy(lon: float, lat: float) -> Point:
        return (lon - west) * k * scale, (north - lat) * scale

    wanted = set(candidates)
    shapes = []
    for code, geometry in zones:
        d, label = _path(geometry, xy)
        css = "zone selected" if code == selected_zone else "zone"
        shapes.append(Shape(code, d, css, label[0], label[1]))
    dots = []
    for code, name, kind, lon, lat in schools:
        x, y = xy(lon, lat)
        css = "school-dot " + ("private" if kind == "private" else "public")
        dots.append(Dot(code, name, x, y, css + (" candidate" if code in wanted else "")))
    marker = None
    if home is not None:
        x, y = xy(home[1], home[2])
        marker = Dot("", home[0], x, y, "home-marker")
    pad = 20.0
    box = f"{-pad:.0f} {-pad:.0f} {WIDTH + 2 * pad:.0f} {height + 2 * pad:.0f}"
    return ZoneMap(box, tuple(shapes), tuple(dots), marker)


def _path(geometry: dict[str, Any], xy: Any) -> tuple[str, Point]:
    """Path data, and where to write the code: the centroid of the largest outer ring."""
    parts: list[str] = []
    best: Point = (0.0, 0.0)
    best_area = -1.0
    for poly in _rings(geometry):
        for i, ring in enumerate(poly):
            projected = [xy(float(p[0]), float(p[1])) for p in ring]
            parts.append(
                "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + "Z" if projected else ""
            )
            if i == 0:
                area, centre = _centroid(projected)
                if area > best_area:
                    best_area, best = area, centre
    return "".join(parts), best


def _centroid(ring: Sequence[Point]) -> tuple[float, Point]:
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        c = x0 * y1 - x1 * y0
        a += c
        cx += (x0 + x1) * c
        cy += (y0 + y1) * c
    if abs(a) < 1e-12:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))
