"""The pure rules: effective dates, notice periods and boundary checks."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sunshine.planning.rules import geometry_problem, is_due, notice_problem
from sunshine.planning.svg import outlines

UTC = dt.UTC
moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2035, 1, 1), timezones=st.just(UTC)
)
notices = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=30))


@given(published=moments, effective=moments, notice=notices)
def test_a_change_may_take_effect_only_after_a_full_notice(
    published: dt.datetime, effective: dt.datetime, notice: dt.timedelta
) -> None:
    problem = notice_problem(published, effective, notice)
    ok = effective > published and effective - published >= notice
    assert (problem is None) == ok
    if problem is not None and effective <= published:
        assert problem.code == "too_late"


@given(effective=moments, a=moments, b=moments)
def test_once_due_a_change_stays_due(
    effective: dt.datetime, a: dt.datetime, b: dt.datetime
) -> None:
    early, late = sorted((a, b))
    if is_due(effective, early):
        assert is_due(effective, late)
    assert is_due(effective, effective)


@given(
    lon=st.floats(-179, 170),
    lat=st.floats(-89, 80),
    w=st.floats(1e-4, 5),
    h=st.floats(1e-4, 5),
)
def test_every_rectangle_is_a_valid_boundary(lon: float, lat: float, w: float, h: float) -> None:
    ring = [[lon, lat], [lon + w, lat], [lon + w, lat + h], [lon, lat + h], [lon, lat]]
    assert geometry_problem({"type": "Polygon", "coordinates": [ring]}) is None
    multi = {"type": "MultiPolygon", "coordinates": [[ring]]}
    assert geometry_problem(multi) is None
    view = outlines([multi])
    assert view.paths[0].startswith("M")
    assert view.paths[0].endswith("Z")


def test_broken_boundaries_are_named() -> None:
    bow_tie = [[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]
    cases = {
        "type": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
        "coordinates": {"type": "Polygon", "coordinates": "nope"},
        "bounds": {"type": "Polygon", "coordinates": [[[0, 0], [0, 95], [1, 95], [0, 0]]]},
        "invalid": {"type": "Polygon", "coordinates": [bow_tie]},
        "empty": {"type": "Polygon", "coordinates": []},
    }
    for code, geometry in cases.items():
        problem = geometry_problem(geometry)
        assert problem is not None, code
        assert problem.code == code, (code, problem)
    assert geometry_problem(None) is not None
