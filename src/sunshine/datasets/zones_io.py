"""``zones.geojson``: catchment zones (划片) as a GeoJSON FeatureCollection, read and written.

Errors name the feature by its 1-based position in ``features`` (the ``row``) and the
property or ``geometry`` at fault (the ``column``).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
import shapely.geometry

from sunshine.datasets.columns import split_list
from sunshine.datasets.errors import PackageError
from sunshine.datasets.package import Zone
from sunshine.datasets.schema import ADDRESSES, STAGES, TABLES_BY_NAME, ZONES_FILE

NumberedZone = tuple[int, Zone]  # (feature number, zone)
_LON = ADDRESSES.column("lon")
_LAT = ADDRESSES.column("lat")
_GEOMETRIES = ("Polygon", "MultiPolygon")


def read_zones(text: str, errors: list[PackageError]) -> list[NumberedZone]:
    def fail(message: str) -> list[NumberedZone]:
        errors.append(PackageError(ZONES_FILE, None, None, message))
        return []

    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        return fail(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        return fail('must be a GeoJSON object with "type": "FeatureCollection"')
    features = doc.get("features")
    if not isinstance(features, list):
        return fail('"features" must be a list')
    zones: list[NumberedZone] = []
    first_row: dict[str, int] = {}
    for number, feature in enumerate(features, start=1):
        zone = _zone(feature, number, errors)
        if zone is None:
            continue
        if zone.zone_id in first_row:
            message = f"{zone.zone_id} appears again (first in feature {first_row[zone.zone_id]})"
            errors.append(PackageError(ZONES_FILE, number, "zone_id", message))
            continue
        first_row[zone.zone_id] = number
        zones.append((number, zone))
    return zones


def _zone(feature: Any, number: int, errors: list[PackageError]) -> Zone | None:
    def fail(column: str | None, message: str) -> None:
        errors.append(PackageError(ZONES_FILE, number, column, message))

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        fail(None, 'must be an object with "type": "Feature"')
        return None
    props = feature.get("properties")
    if not isinstance(props, dict):
        fail("properties", "must be an object holding zone_id, stage and school_ids")
        return None
    before = len(errors)
    zone_id = props.get("zone_id")
    if isinstance(zone_id, int) and not isinstance(zone_id, bool):
        zone_id = str(zone_id)  # GIS tools often export numeric ids
    if not isinstance(zone_id, str) or not zone_id.strip():
        fail("zone_id", f"must be a non-empty string, got {zone_id!r}")
    stage = props.get("stage")
    if stage not in STAGES:
        fail("stage", f"{stage!r} is not one of: {', '.join(STAGES)}")
    school_ids = _school_ids(props.get("school_ids"))
    if not school_ids:
        fail("school_ids", "must list at least one school_id (a list, or a string split on ;)")
    geometry = feature.get("geometry")
    problem = _geometry_problem(geometry)
    if problem:
        fail("geometry", problem)
    if len(errors) > before:
        return None
    assert isinstance(zone_id, str)
    assert isinstance(stage, str)
    assert isinstance(geometry, dict)
    zone_id = zone_id.strip()
    properties = {**props, "zone_id": zone_id, "school_ids": list(school_ids)}
    return Zone(zone_id, stage, school_ids, geometry, properties)


def _school_ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_list(value.strip())
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    return ()


def _geometry_problem(geometry: Any) -> str | None:
    if not isinstance(geometry, dict) or geometry.get("type") not in _GEOMETRIES:
        return "must be a Polygon or MultiPolygon"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "has no coordinates"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "a polygon must be a list of rings"
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem
    shape = shapely.geometry.shape(geometry)
    if not shapely.is_valid(shape):
        return f"is not a valid polygon: {shapely.is_valid_reason(shape)}"
    return None


def _ring_problem(ring: Any) -> str | None:
    try:
        points = np.asarray(ring, dtype=np.float64)
    except (ValueError, TypeError):
        return "coordinates must be [longitude, latitude] number pairs"
    if points.ndim != 2 or points.shape[1] not in (2, 3):
        return "coordinates must be [longitude, latitude] number pairs"
    if len(points) < 4:
        return f"a ring needs at least 4 positions, got {len(points)}"
    if not np.array_equal(points[0], points[-1]):
        return "a ring must end at its first position (closed)"
    for column, values in ((_LON, points[:, 0]), (_LAT, points[:, 1])):
        assert column.min is not None
        assert column.max is not None
        outside = ~((values >= column.min) & (values <= column.max))
        if outside.any():
            return (
                f"{column.name} {values[outside][0]:g} is outside {column.min:g}..{column.max:g}"
                " (coordinates are [longitude, latitude] in WGS 84)"
            )
    return None


def check_zone_schools(
    zones: list[NumberedZone], stage_of: dict[str, str], errors: list[PackageError]
) -> None:
    """Each school a zone names exists and is of the zone's stage."""
    schools_file = TABLES_BY_NAME["schools"].filename
    for number, zone in zones:
        for school in zone.school_ids:
            if school not in stage_of:
                message = f"{school}: no such school_id in {schools_file}"
            elif stage_of[school] != zone.stage:
                message = f"{school} is a {stage_of[school]} school in a {zone.stage} zone"
            else:
                continue
            errors.append(PackageError(ZONES_FILE, number, "school_ids", message))


def zones_geojson(zones: tuple[Zone, ...]) -> str:
    """A FeatureCollection with one feature per line (diffs stay readable)."""
    features = [
        json.dumps(
            {
                "type": "Feature",
                "properties": {
                    **zone.properties,
                    "zone_id": zone.zone_id,
                    "stage": zone.stage,
                    "school_ids": list(zone.school_ids),
                },
                "geometry": zone.geometry,
            },
            ensure_ascii=False,
        )
        for zone in zones
    ]
    body = ",\n".join(features)
    return f'{{"type": "FeatureCollection", "features": [\n{body}\n]}}\n'
