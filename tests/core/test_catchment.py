from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.catchment import METRES_PER_DEGREE, place
from sunshine.core.zoning import OUTSIDE, ZoneIndex, zone_layer

pytestmark = pytest.mark.no_postgres_rerun

# Two squares of 0.01 degree side sharing the meridian 120.01 ("A" west, "B" east), and a third,
# "C", apart to the north-east. Layer order is not zone_id order on purpose.
LAYER = zone_layer(
    ["B", "C", "A"],
    [
        shapely.box(120.01, 30.0, 120.02, 30.01),
        shapely.box(120.05, 30.05, 120.06, 30.06),
        shapely.box(120.00, 30.0, 120.01, 30.01),
    ],
    [[1], [2], [0]],
)
A, B, C = 2, 0, 1


def test_a_point_well_inside_one_zone() -> None:
    p = place(LAYER, 120.005, 30.005)
    assert (p.zone, p.containing, p.nearby) == (A, (A,), ())
    assert not p.outside
    assert not p.shared_border
    # half a side (0.005 degree) from the nearest edge, in metres at latitude 30
    expected = 0.005 * METRES_PER_DEGREE * math.cos(math.radians(30.005))
    assert p.border_metres == pytest.approx(expected, rel=1e-3)


def test_a_point_on_the_shared_border_goes_to_the_smallest_zone_id_and_says_so() -> None:
    p = place(LAYER, 120.01, 30.005)
    assert p.zone == A
    assert p.containing == (A, B)
    assert p.shared_border
    assert p.border_metres == pytest.approx(0.0, abs=1e-6)


def test_a_point_near_another_zone_names_it_with_its_distance() -> None:
    # 0.0005 degree of longitude west of the border: about 48 m at latitude 30
    p = place(LAYER, 120.0095, 30.005)
    assert p.zone == A
    assert p.containing == (A,)
    assert [d.zone for d in p.nearby] == [B]
    assert p.nearby[0].metres == pytest.approx(48.2, abs=0.5)
    assert place(LAYER, 120.0095, 30.005, near=10).nearby == ()


def test_a_point_outside_every_zone_names_the_nearest_first() -> None:
    p = place(LAYER, 120.03, 30.005)  # east of B
    assert p.outside
    assert p.zone == OUTSIDE
    assert p.containing == ()
    assert p.border_metres is None
    assert [d.zone for d in p.nearby] == [B, A, C]
    assert p.nearby[0].metres < p.nearby[1].metres < p.nearby[2].metres
    assert len(place(LAYER, 120.03, 30.005, nearest=1).nearby) == 1


def test_an_empty_layer_places_nothing() -> None:
    empty = zone_layer([], [], [])
    assert place(empty, 120.0, 30.0).outside


@pytest.mark.parametrize(("lon", "lat"), [(math.nan, 30.0), (120.0, math.inf), (120.0, 91.0)])
def test_a_point_off_the_map_is_refused(lon: float, lat: float) -> None:
    with pytest.raises(ValueError, match="not a point"):
        place(LAYER, lon, lat)


@settings(max_examples=60, deadline=None)
@given(
    lon=st.floats(119.995, 120.065, allow_nan=False),
    lat=st.floats(29.995, 30.065, allow_nan=False),
    snap=st.booleans(),
)
def test_agrees_with_the_zoning_rule_everywhere(lon: float, lat: float, snap: bool) -> None:
    if snap:  # land on the grid of zone edges often, where the border cases live
        lon, lat = round(lon, 2), round(lat, 2)
    index = ZoneIndex.build(LAYER)
    p = place(LAYER, lon, lat, index=index)
    assert p.zone == int(index.locate(np.array([lon]), np.array([lat]))[0])
    assert (p.zone == OUTSIDE) == (p.containing == ())
    if p.containing:
        assert p.zone == p.containing[0]  # the smallest zone_id among those holding it
        assert list(p.containing) == sorted(p.containing, key=LAYER.zone_id.__getitem__)
        assert p.border_metres is not None
        assert p.border_metres >= 0
    assert all(d.zone not in p.containing for d in p.nearby)
