"""The server-drawn zone map: every shape inside the view box, the family's zone and candidate
schools marked, the address marked, north up; and the no-script ranking buttons."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.families.forms import apply_move
from sunshine.families.mapsvg import zone_map
from tests.portal.factories import square

pytestmark = pytest.mark.no_postgres_rerun


def _numbers(d: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d)]


def test_the_map_marks_the_zone_the_candidates_and_the_home() -> None:
    zones = [("Z01", square(120.0, 30.0, 0.05)), ("Z02", square(120.05, 30.0, 0.05))]
    schools = [
        ("P1", "城东小学", "public", 120.02, 30.01),
        ("P2", "城西小学", "public", 120.07, 30.01),
        ("P9", "民办小学", "private", 120.03, 30.04),
    ]
    m = zone_map(zones, schools, selected_zone="Z02", candidates=["P2"], home=("家", 120.06, 30.02))
    assert m is not None
    assert [z.css for z in m.zones] == ["zone", "zone selected"]
    css = {d.code: d.css for d in m.schools}
    assert css == {
        "P1": "school-dot public",
        "P2": "school-dot public candidate",
        "P9": "school-dot private",
    }
    assert m.home is not None
    _x0, _y0, width, height = (float(v) for v in m.view_box.split())
    xs = [v for z in m.zones for v in _numbers(z.d)[0::2]]
    assert min(xs) == pytest.approx(0.0)
    assert max(xs) == pytest.approx(1000.0)
    assert width == pytest.approx(1040)
    # north is up: the northern private school is drawn above the southern public ones
    by = {d.code: d.y for d in m.schools}
    assert by["P9"] < by["P1"]
    # the label of a square zone sits at its centre
    z1 = m.zones[0]
    assert (z1.label_x, z1.label_y) == pytest.approx((250.0, height / 2 - 20), abs=1.0)


def test_nothing_to_draw_gives_no_map() -> None:
    assert zone_map([], []) is None


CODES = st.lists(st.sampled_from("ABCDE"), unique=True, max_size=5)


@given(CODES, st.sampled_from(["add", "remove", "up", "down", "save"]), st.sampled_from("ABCDEF"))
def test_a_move_keeps_a_ranking_a_ranking(order: list[str], verb: str, code: str) -> None:
    out = apply_move(order, f"{verb}:{code}")
    assert len(set(out)) == len(out)
    if verb in ("up", "down", "save") or (verb == "add" and code in order):
        assert sorted(out) == sorted(order)
    if verb == "add" and code not in order:
        assert out == [*order, code]
    if verb == "remove":
        assert out == [c for c in order if c != code]


def test_up_and_down_swap_neighbours_and_stop_at_the_ends() -> None:
    assert apply_move(["A", "B", "C"], "up:B") == ["B", "A", "C"]
    assert apply_move(["A", "B", "C"], "down:B") == ["A", "C", "B"]
    assert apply_move(["A", "B", "C"], "up:A") == ["A", "B", "C"]
    assert apply_move(["A", "B", "C"], "down:C") == ["A", "B", "C"]
