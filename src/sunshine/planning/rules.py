"""The rules of plan and zone changes as pure functions: no Django, no clock, no I/O.

Times are arguments, so a test states "published on 1 March, effective on 10 March, applied
as of 9 March" and gets the same answer on any day it runs. Problems come back as codes; the
services turn them into translated messages beside the form field at fault.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import shapely
import shapely.geometry

_GEOMETRIES = ("Polygon", "MultiPolygon")


@dataclass(frozen=True, slots=True)
class Problem:
    code: str  # "type", "coordinates", "empty", "bounds", "invalid", "too_late", "short_notice"
    detail: str = ""


def geometry_problem(geometry: Any) -> Problem | None:
    """Why ``geometry`` cannot be a zone's boundary (GeoJSON in lon/lat, WGS 84), or None."""
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRIES:
        return Problem("type")
    try:
        shape = shapely.geometry.shape(geometry)
        bounds = shape.bounds
    except Exception:  # malformed rings raise ValueError, TypeError, GEOSException...
        return Problem("coordinates")
    if shape.is_empty or not all(math.isfinite(v) for v in bounds):
        return Problem("empty")
    lon_min, lat_min, lon_max, lat_max = bounds
    if lon_min < -180 or lon_max > 180 or lat_min < -90 or lat_max > 90:
        return Problem("bounds")
    if not shapely.is_valid(shape):
        return Problem("invalid", str(shapely.is_valid_reason(shape)))
    if shape.area <= 0:
        return Problem("empty")
    return None


def notice_problem(
    published_at: dt.datetime, effective_from: dt.datetime, min_notice: dt.timedelta
) -> Problem | None:
    """Why a zone change published at ``published_at`` may not take effect at
    ``effective_from``: it must have been public for at least ``min_notice`` by then."""
    if effective_from <= published_at:
        return Problem("too_late")
    if effective_from - published_at < min_notice:
        return Problem("short_notice")
    return None


def is_due(effective_from: dt.datetime, as_of: dt.datetime) -> bool:
    """A change takes effect at ``effective_from``, never earlier."""
    return effective_from <= as_of
