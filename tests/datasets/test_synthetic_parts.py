"""The generator's building blocks: unique synthetic ID numbers and tiling zones."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.ids import id_birth_dates, id_gender, valid_id_mask
from sunshine.datasets import synthetic_geo as geo
from sunshine.datasets.synthetic_ids import IdAllocator, local_codes, migrant_codes

pytestmark = pytest.mark.no_postgres_rerun

people = st.lists(
    st.tuples(
        st.integers(0, 2),
        st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2025, 12, 31)),
        st.booleans(),
    ),
    min_size=1,
    max_size=60,
)


@given(st.lists(people, min_size=1, max_size=4))
def test_allocated_ids_are_valid_unique_and_encode_birth_and_gender(
    batches: list[list[tuple[int, dt.date, bool]]],
) -> None:
    codes = ["330199", "330299", "510199"]
    allocator = IdAllocator(codes)
    seen: list[str] = []
    for batch in batches:
        code = np.array([p[0] for p in batch])
        birth = np.array([p[1] for p in batch], dtype="datetime64[D]")
        male = np.array([p[2] for p in batch])
        ids = allocator.allocate(code, birth, male)
        assert valid_id_mask(ids).all()
        assert (id_birth_dates(ids) == birth).all()
        assert [id_gender(i) for i in ids.tolist()] == ["M" if m else "F" for m in male]
        assert [i[:6] for i in ids.tolist()] == [codes[c] for c in code]
        seen += ids.tolist()
    assert len(set(seen)) == len(seen)


def test_allocation_is_deterministic_and_refuses_overflow() -> None:
    birth = np.full(500, np.datetime64("2020-01-01"))
    first = IdAllocator(["330199"]).allocate(np.zeros(500, int), birth, np.ones(500, bool))
    again = IdAllocator(["330199"]).allocate(np.zeros(500, int), birth, np.ones(500, bool))
    assert first.tolist() == again.tolist()
    allocator = IdAllocator(["330199"])
    allocator.allocate(np.zeros(500, int), birth, np.ones(500, bool))
    with pytest.raises(ValueError, match="too many"):
        allocator.allocate(np.zeros(1, int), birth[:1], np.ones(1, bool))


def test_region_codes_are_unassigned_counties() -> None:
    codes = local_codes(3) + migrant_codes()
    assert all(c.endswith("99") and len(c) == 6 for c in codes)
    assert len(set(codes)) == len(codes)
    assert not any(c.startswith("33") for c in migrant_codes())


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_sites=st.integers(1, 40),
    merge=st.floats(0.0, 0.6),
)
def test_zones_tile_the_boundary_and_contain_their_schools(
    seed: int, n_sites: int, merge: float
) -> None:
    rng = np.random.default_rng(seed)
    boundary = geo.county_boundary(rng, 3000)
    towns = geo.make_towns(rng, boundary, 3000)
    compounds = geo.make_compounds(rng, boundary, towns, 200)
    sites = geo.pick_sites(rng, boundary, compounds, n_sites)
    zones = geo.make_zones(rng, boundary, sites, merge)
    assert boundary.is_valid
    assert boundary.geom_type == "Polygon"
    assert all(g.is_valid and not g.is_empty for g in zones.geoms)
    union = shapely.union_all(zones.geoms)
    # Rounding the cells' corners on the outline moves it by a fraction of a metre at most.
    assert shapely.symmetric_difference(union, boundary).area < 1e-6 * boundary.area
    assert union.geom_type == "Polygon"
    assert not union.interiors
    # Neighbours share their edges exactly: no overlap at all.
    assert abs(sum(g.area for g in zones.geoms) - union.area) < 1e-12 * union.area
    members = sorted(s for group in zones.schools for s in group)
    assert members == list(range(n_sites))  # every site in exactly one zone
    assert all(1 <= len(group) <= 3 for group in zones.schools)
    if n_sites >= 3:
        assert any(len(group) > 1 for group in zones.schools)
    found = zones.lookup(sites)
    for site, zone in enumerate(found.tolist()):
        assert site in zones.schools[zone]
    # Every coordinate sits on the 1e-6 degree grid.
    coords = shapely.get_coordinates(np.asarray(zones.geoms))
    assert np.allclose(coords, np.round(coords, 6), rtol=0, atol=1e-9)


def test_lookup_marks_points_outside_every_zone() -> None:
    rng = np.random.default_rng(1)
    boundary = geo.county_boundary(rng, 3000)
    compounds = geo.make_compounds(rng, boundary, geo.make_towns(rng, boundary, 3000), 100)
    zones = geo.make_zones(rng, boundary, geo.pick_sites(rng, boundary, compounds, 5), 0.3)
    minx, miny, _, _ = boundary.bounds
    assert zones.lookup(np.array([[minx - 1.0, miny - 1.0]])).tolist() == [-1]
