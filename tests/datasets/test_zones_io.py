from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sunshine.datasets.errors import PackageError, PackageErrors
from sunshine.datasets.reader import read_package
from sunshine.datasets.zones_io import read_zones, zones_geojson
from tests.datasets.builders import TinyPackage

pytestmark = pytest.mark.no_postgres_rerun

SQUARE = [[120.0, 30.0], [120.1, 30.0], [120.1, 30.1], [120.0, 30.1], [120.0, 30.0]]
BOWTIE = [[120.0, 30.0], [120.1, 30.1], [120.1, 30.0], [120.0, 30.1], [120.0, 30.0]]


def feature(geometry: Any = None, **props: Any) -> dict[str, Any]:
    props = {"zone_id": "Z1", "stage": "primary", "school_ids": ["P1"], **props}
    return {
        "type": "Feature",
        "properties": props,
        "geometry": geometry or {"type": "Polygon", "coordinates": [SQUARE]},
    }


def read(*features: Any) -> tuple[list[Any], list[PackageError]]:
    errors: list[PackageError] = []
    zones = read_zones(
        json.dumps({"type": "FeatureCollection", "features": list(features)}), errors
    )
    return zones, errors


def test_a_polygon_and_a_multipolygon_are_read_with_every_property() -> None:
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE]]}
    zones, errors = read(feature(name="一片"), feature(multi, zone_id="Z2", school_ids="P1; P2"))
    assert errors == []
    (n1, z1), (n2, z2) = zones
    assert (n1, n2) == (1, 2)
    assert z1.properties == {
        "zone_id": "Z1",
        "stage": "primary",
        "school_ids": ["P1"],
        "name": "一片",
    }
    assert z2.school_ids == ("P1", "P2")
    assert z2.geometry["type"] == "MultiPolygon"


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (
            feature({"type": "Point", "coordinates": [120, 30]}),
            "geometry",
            "Polygon or MultiPolygon",
        ),
        (
            feature({"type": "Polygon", "coordinates": [SQUARE[:2] + SQUARE[:1]]}),
            "geometry",
            "at least 4",
        ),
        (
            feature({"type": "Polygon", "coordinates": [[*SQUARE[:-1], [120.0, 30.05]]]}),
            "geometry",
            "closed",
        ),
        (
            feature(
                {"type": "Polygon", "coordinates": [[[30.0, 120.0], *SQUARE[1:-1], [30.0, 120.0]]]}
            ),
            "geometry",
            "lon 30 is outside 73..136",
        ),
        (feature({"type": "Polygon", "coordinates": [[["a", 1]] * 4]}), "geometry", "number pairs"),
        (feature({"type": "Polygon", "coordinates": [BOWTIE]}), "geometry", "Self-intersection"),
        (feature(stage="senior"), "stage", "'senior' is not one of"),
        (feature(zone_id=""), "zone_id", "non-empty string"),
        (feature(school_ids=[]), "school_ids", "at least one school_id"),
        (feature(school_ids=[1, 2]), "school_ids", "at least one school_id"),
        ({"type": "Feature", "geometry": None}, "properties", "must be an object"),
        ([1, 2], None, '"type": "Feature"'),
    ],
)
def test_a_bad_feature_names_its_number_and_part(bad: Any, column: str, message: str) -> None:
    zones, errors = read(feature(zone_id="Z0"), bad)
    assert [z.zone_id for _, z in zones] == ["Z0"]
    assert [(e.file, e.row, e.column) for e in errors] == [("zones.geojson", 2, column)]
    assert message in errors[0].message


def test_a_duplicate_zone_id() -> None:
    _, errors = read(feature(), feature())
    assert [(e.row, e.column) for e in errors] == [(2, "zone_id")]
    assert "first in feature 1" in errors[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
        ('{"type": "FeatureCollection", "features": {}}', '"features" must be a list'),
    ],
)
def test_a_file_that_is_not_a_feature_collection(text: str, message: str) -> None:
    errors: list[PackageError] = []
    assert read_zones(text, errors) == []
    assert [(e.row, e.column) for e in errors] == [(None, None)]
    assert message in errors[0].message


def test_zone_schools_must_exist_and_match_the_stage(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.zones["features"][0]["properties"]["school_ids"] = ["P1", "J1", "P9"]
    with pytest.raises(PackageErrors) as info:
        read_package(tiny.write(tmp_path))
    assert [(e.file, e.row, e.column, e.message) for e in info.value.errors] == [
        ("zones.geojson", 1, "school_ids", "J1 is a junior school in a primary zone"),
        ("zones.geojson", 1, "school_ids", "P9: no such school_id in schools.csv"),
    ]


def test_written_geojson_reads_back_equal() -> None:
    zones, _ = read(feature(note="x"), feature(zone_id="Z2", school_ids="P1;P2"))
    text = zones_geojson(tuple(z for _, z in zones))
    errors: list[PackageError] = []
    again = read_zones(text, errors)
    assert errors == []
    assert again == zones
    assert text.count("\n") == len(zones) + 2  # one feature per line
