from __future__ import annotations

import json

import pytest
from django.test import Client
from shapely.geometry import shape
from tests.portal.factories import County, build_county

pytestmark = pytest.mark.django_db


def _collection(client: Client, url: str, **params: str) -> dict:  # type: ignore[type-arg]
    response = client.get(url, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    for feature in body["features"]:
        assert feature["type"] == "Feature"
        assert shape(feature["geometry"]).is_valid
    return body


def test_zones_carry_their_schools_and_multi_school_flag(client: Client, county: County) -> None:
    body = _collection(client, "/zones.geojson")
    by_id = {f["properties"]["zone_id"]: f for f in body["features"]}
    assert set(by_id) == {"Z01", "Z02", "ZJ1"}  # both stages
    z02 = by_id["Z02"]["properties"]
    assert z02["stage"] == "primary"
    assert z02["school_ids"] == [county.east.code, county.west.code]
    assert z02["school_names"] == ["城东小学", "城西小学"]
    assert z02["multi_school"] is True
    assert by_id["Z01"]["properties"]["multi_school"] is False
    assert by_id["Z01"]["geometry"]["type"] == "Polygon"


def test_schools_are_points_with_plans(client: Client, county: County) -> None:
    body = _collection(client, "/schools.geojson")
    by_id = {f["properties"]["school_id"]: f for f in body["features"]}
    east = by_id[county.east.code]
    assert east["geometry"] == {"type": "Point", "coordinates": [120.02, 30.01]}
    assert east["properties"]["plan_seats"] == 90
    assert by_id[county.private.code]["properties"]["kind"] == "private"


def test_layers_follow_the_season_parameter(client: Client, county: County) -> None:
    other = build_county("330122", "另一县")
    other.season.school_year = 2025
    other.season.save()
    latest = _collection(client, "/schools.geojson")
    assert {f["id"] for f in latest["features"]} >= {county.east.code}
    older = _collection(client, "/schools.geojson", season=str(other.season.pk))
    assert {f["id"] for f in older["features"]} == {
        s.code for s in (other.east, other.west, other.private, other.junior)
    }
    assert client.get("/zones.geojson", {"season": "424242"}).status_code == 404


def test_no_season_gives_an_empty_collection(client: Client) -> None:
    assert _collection(client, "/zones.geojson")["features"] == []
    assert _collection(client, "/schools.geojson")["features"] == []
