"""Outlines of zone geometries as SVG paths, so a page can show the old and the new boundary
side by side without a map library. Pure: GeoJSON in, path strings out."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

WIDTH = 320.0


@dataclass(frozen=True, slots=True)
class Outlines:
    view_box: str
    paths: tuple[str, ...]  # one per geometry, "" for a missing one


def _rings(geometry: Any) -> list[Sequence[Sequence[float]]]:
    if not isinstance(geometry, dict):
        return []
    coords = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        return list(coords)
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def outlines(geometries: Iterable[Any]) -> Outlines:
    """Paths for ``geometries`` in one shared frame (north up, lengths true at mid-latitude)."""
    rings = [_rings(g) for g in geometries]
    points = [p for rs in rings for ring in rs for p in ring]
    if not points:
        return Outlines("0 0 1 1", tuple("" for _ in rings))
    lons = [float(p[0]) for p in points]
    lats = [float(p[1]) for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squeeze = math.cos(math.radians((south + north) / 2)) or 1.0
    span = max((east - west) * squeeze, north - south, 1e-9)
    scale = WIDTH / span
    height = (north - south) * scale

    def xy(p: Sequence[float]) -> str:
        return f"{(float(p[0]) - west) * squeeze * scale:.1f},{(north - float(p[1])) * scale:.1f}"

    paths = tuple(
        " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for ring in rs if ring) for rs in rings
    )
    pad = 4
    return Outlines(f"{-pad} {-pad} {WIDTH + 2 * pad:.1f} {height + 2 * pad:.1f}", paths)
