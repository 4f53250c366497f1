from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.zoning import OUTSIDE, ZoneIndex, ZoningError, locate, outside, zone_layer

pytestmark = pytest.mark.no_postgres_rerun


def reference(geoms: list[object], ids: list[str], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Brute force: every zone tested with shapely, smallest zone_id among the hits."""
    out = np.full(len(x), OUTSIDE, dtype=np.int32)
    for z in sorted(range(len(ids)), key=ids.__getitem__, reverse=True):
        hit = shapely.intersects_xy(geoms[z], x, y)
        out[hit] = z
    return out


def voronoi_layer(seed: int, n: int, wiggle: float) -> tuple[list[object], list[str]]:
    rng = np.random.default_rng(seed)
    box = shapely.box(0, 0, 10, 10)
    sites = shapely.multipoints(rng.uniform(0, 10, (n, 2)))
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=box)), box
    )
    cells = shapely.segmentize(cells, wiggle)
    ids = [f"z{int(i):03d}" for i in rng.permutation(len(cells))]
    return list(cells), ids


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 40),
    wiggle=st.sampled_from([0.2, 1.0, 50.0]),
    cells_per_zone=st.sampled_from([4, 64, 256]),
)
def test_matches_brute_force_including_border_points(
    seed: int, n: int, wiggle: float, cells_per_zone: int
) -> None:
    geoms, ids = voronoi_layer(seed, n, wiggle)
    layer = zone_layer(ids, geoms, [[] for _ in ids])
    rng = np.random.default_rng(seed + 1)
    random_pts = rng.uniform(-1, 11, (2000, 2))
    vertices = shapely.get_coordinates(np.array(geoms, dtype=object))
    # midpoints of edges lie exactly on borders only when representable; vertices always do
    grid_pts = np.stack(np.meshgrid(np.linspace(0, 10, 21), np.linspace(0, 10, 21)), -1)
    pts = np.concatenate([random_pts, vertices, grid_pts.reshape(-1, 2)])
    got = ZoneIndex.build(layer, cells_per_zone).locate(pts[:, 0], pts[:, 1])
    assert np.array_equal(got, reference(geoms, ids, pts[:, 0], pts[:, 1]))


def test_shared_border_goes_to_smallest_zone_id() -> None:
    layer = zone_layer(["B", "A"], [shapely.box(1, 0, 2, 1), shapely.box(0, 0, 1, 1)], [[0], [1]])
    got = locate(layer, np.array([1.0, 1.0, 0.5, 1.5]), np.array([0.5, 1.0, 0.5, 0.5]))
    assert got.tolist() == [1, 1, 1, 0]  # layer index 1 is zone "A"


def test_overlap_goes_to_smallest_zone_id_and_holes_are_outside() -> None:
    ring = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (3, 1), (3, 3), (1, 3)]])
    layer = zone_layer(["Z", "Y"], [ring, shapely.box(3.5, 3.5, 5, 5)], [[], []])
    got = locate(layer, np.array([2.0, 0.5, 3.8, 4.8, 1.0]), np.array([2.0, 0.5, 3.8, 4.8, 2.0]))
    assert got.tolist() == [OUTSIDE, 0, 1, 1, 0]


def test_outside_points_are_reported_not_dropped() -> None:
    layer = zone_layer(["A"], [shapely.box(0, 0, 1, 1)], [[0]])
    x = np.array([0.5, 7.0, np.nan, -0.1])
    y = np.array([0.5, 7.0, 0.5, 0.5])
    zones = locate(layer, x, y)
    assert len(zones) == 4
    assert outside(zones).tolist() == [1, 2, 3]


def test_multipolygon_zone_and_empty_layer() -> None:
    mp = shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6)])
    layer = zone_layer(["M"], [mp], [[0]])
    assert locate(layer, np.array([0.5, 5.5, 3.0]), np.array([0.5, 5.5, 3.0])).tolist() == [
        0,
        0,
        OUTSIDE,
    ]
    empty = zone_layer([], [], [])
    assert locate(empty, np.array([1.0]), np.array([1.0])).tolist() == [OUTSIDE]


def test_layer_rejects_non_polygons_and_duplicate_ids() -> None:
    with pytest.raises(ZoningError, match="not a Polygon"):
        zone_layer(["L"], [shapely.LineString([(0, 0), (1, 1)])], [[]])
    with pytest.raises(ZoningError, match="unique"):
        zone_layer(["A", "A"], [shapely.box(0, 0, 1, 1)] * 2, [[], []])


def test_serves_keys() -> None:
    layer = zone_layer(["A", "B"], [shapely.box(0, 0, 1, 1)] * 2, [[2, 0], [1]])
    assert layer.serves_keys(3).tolist() == [0, 2, 4]
    assert layer.schools_of(0).tolist() == [2, 0]
