"""The public map layers as GeoJSON FeatureCollections (RFC 7946, lon/lat)."""

from __future__ import annotations

from typing import Any

from sunshine.admissions.models import School, Season, Zone

FeatureCollection = dict[str, Any]


def zones_collection(season: Season) -> FeatureCollection:
    """Both stages' zones, each with its schools, so the browser needs no second lookup."""
    zones = Zone.objects.filter(season=season).order_by("stage", "code").prefetch_related("schools")
    features = []
    for zone in zones:
        schools = sorted(zone.schools.all(), key=lambda s: s.code)
        features.append(
            {
                "type": "Feature",
                "id": zone.code,
                "geometry": zone.geometry,
                "properties": {
                    "zone_id": zone.code,
                    "stage": zone.stage,
                    "school_ids": [s.code for s in schools],
                    "school_names": [s.name for s in schools],
                    "multi_school": len(schools) > 1,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def schools_collection(season: Season) -> FeatureCollection:
    schools = School.objects.filter(season=season).order_by("stage", "code")
    features = [
        {
            "type": "Feature",
            "id": s.code,
            "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
            "properties": {
                "school_id": s.code,
                "name": s.name,
                "stage": s.stage,
                "kind": s.kind,
                "plan_seats": s.plan_seats,
            },
        }
        for s in schools
    ]
    return {"type": "FeatureCollection", "features": features}
