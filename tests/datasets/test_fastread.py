"""The fast reader against the full one: equal engine inputs whenever it accepts a package,
and it gives way (None) on every problem, so that the full reader names it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.core.policy import Stage
from sunshine.datasets.errors import PackageErrors
from sunshine.datasets.fastread import read_fast
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate
from sunshine.datasets.to_core import StageInputs, in_canonical_order, stage_inputs
from tests.datasets.builders import TinyPackage, assert_packages_equal

pytestmark = pytest.mark.no_postgres_rerun


def fast_inputs(folder: Path) -> dict[Stage, StageInputs] | None:
    fast = read_fast(folder)
    return None if fast is None else fast.stage_inputs()


def full_inputs(folder: Path) -> dict[Stage, StageInputs]:
    return stage_inputs(in_canonical_order(read_package(folder)))


def assert_same(a: Any, b: Any, where: str = "") -> None:
    """Equal values, dtypes included, through dataclasses, dicts and tuples."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), where
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            assert_same(a[key], b[key], f"{where}[{key}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype, where
        assert a.shape == b.shape, where
        if a.dtype == object:
            geometry = [isinstance(v, shapely.Geometry) for v in a.tolist()]
            if any(geometry):
                assert all(shapely.equals_exact(a, b, tolerance=0)), where
            else:
                assert a.tolist() == b.tolist(), where
        else:
            assert a.tobytes() == b.tobytes(), where
    else:
        assert a == b, where


def assert_fast_equals_full(folder: Path) -> None:
    fast = read_fast(folder)
    assert fast is not None, "the fast reader declined a package it should take"
    inputs = fast.stage_inputs()
    assert inputs is not None, "the fast reader declined the keys or references"
    assert_same(inputs, full_inputs(folder))
    full = in_canonical_order(read_package(folder))
    assert set(fast.package.tables) == {"schools", "applications"}
    assert_packages_equal(
        fast.package, dataclasses.replace(full, tables={k: full[k] for k in fast.package.tables})
    )


def test_the_tiny_package_reads_the_same(tmp_path: Path) -> None:
    assert_fast_equals_full(TinyPackage().write(tmp_path))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_with_or_without_bom_and_with_lf_line_ends(tmp_path: Path, encoding: str) -> None:
    folder = TinyPackage().write(tmp_path, encoding=encoding)
    for path in folder.glob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").removesuffix(b"\n"))
    assert_fast_equals_full(folder)


def test_a_synthetic_county_reads_the_same(tmp_path: Path) -> None:
    generate(tmp_path, children=1200, seed=5, progress=False)
    assert_fast_equals_full(tmp_path)


def test_empty_registries_and_a_missing_optional_column(tmp_path: Path) -> None:
    tiny = TinyPackage()
    for table in ("residence_permits", "social_security", "seat_usage"):
        tiny.tables[table] = []
    tiny.headers["births"] = ["child_id", "birth_date", "mother_id", "father_id"]
    assert_fast_equals_full(tiny.write(tmp_path))


def test_seat_usage_of_a_stage_the_policy_does_not_run(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.policy = tiny.policy[: tiny.policy.index("[stages.junior]")]
    tiny.tables["applications"].pop(1)
    tiny.set("applications", 0, "sibling_application_ids", "")
    tiny.tables["seat_usage"].append(
        {"certificate_no": "CERT-X", "year": "2021", "stage": "junior", "child_id": "OLD-2"}
    )
    assert_fast_equals_full(tiny.write(tmp_path))


# Cells the full reader accepts but the fast one leaves to it (spaces, other spellings).
UNUSUAL = [
    ("households", 0, "address_id", " A1"),
    ("households", 1, "household_id", "H1\u3000"),
    ("properties", 0, "share", "5e-1"),
    ("properties", 0, "share", ".50"),
    ("addresses", 0, "lon", "+120.011"),
    ("social_security", 0, "months_continuous", "030"),
    ("vaccinations", 0, "complete", "True"),
    ("vaccinations", 0, "complete", "tRUE"),
    ("births", 0, "mother_id", ""),
]


@pytest.mark.parametrize(("table", "index", "column", "value"), UNUSUAL)
def test_unusual_spellings_read_the_same_either_way(
    tmp_path: Path, table: str, index: int, column: str, value: str
) -> None:
    tiny = TinyPackage()
    tiny.set(table, index, column, value)
    folder = tiny.write(tmp_path)
    inputs = fast_inputs(folder)
    if inputs is not None:
        assert_same(inputs, full_inputs(folder))


# Problems the full reader reports: the fast one must never accept them.
BAD = [
    ("properties", 1, "share", "0"),
    ("properties", 1, "share", "1.5"),
    ("births", 1, "birth_date", "2013-3-2"),
    ("births", 1, "birth_date", "2013-02-30"),
    ("vaccinations", 0, "complete", "yes"),
    ("seat_usage", 0, "year", "1890"),
    ("seat_usage", 0, "stage", "高中"),
    ("households", 0, "relation", "cousin"),
    ("households", 0, "person_id", ""),
    ("households", 2, "address_id", "A9"),
    ("births", 0, "address_id", "A9"),
    ("applications", 0, "claimed_address_id", "A9"),
    ("households", 1, "person_id", "SAME"),
    ("addresses", 1, "address_id", "A1"),
    ("social_security", 0, "months_continuous", "-3"),
    ("addresses", 0, "lat", "95"),
    ("applications", 1, "child_name", ""),
    ("schools", 0, "plan_seats", "ninety"),
]


@pytest.mark.parametrize(("table", "index", "column", "value"), BAD)
def test_every_problem_is_left_to_the_full_reader(
    tmp_path: Path, table: str, index: int, column: str, value: str
) -> None:
    tiny = TinyPackage()
    tiny.set(table, index, column, value)
    if (table, column, value) == ("households", "person_id", "SAME"):
        tiny.set(table, 0, column, value)
    folder = tiny.write(tmp_path)
    assert fast_inputs(folder) is None
    with pytest.raises(PackageErrors):
        read_package(folder)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text + "A3,x,120.0\r\n",  # a ragged row
        lambda text: text + "\r\n",  # a blank line
        lambda text: text + ",,,\r\n",  # a row of empty cells
        lambda text: text.replace("\r\n", "\n", 1),  # mixed line ends
        lambda text: text.replace("address_id", "address_id,address_id", 1),  # repeated name
        lambda text: text.replace("阳光路1号", '"阳光路1号"'),  # quoted
        lambda text: "",  # no header
    ],
)
def test_odd_files_are_left_to_the_full_reader(tmp_path: Path, damage: Any) -> None:
    folder = TinyPackage().write(tmp_path)
    path = folder / "addresses.csv"
    path.write_text(damage(path.read_bytes().decode("utf-8")), encoding="utf-8", newline="")
    assert read_fast(folder) is None


def test_gb18030_missing_files_and_workbooks_are_left_to_the_full_reader(tmp_path: Path) -> None:
    assert read_fast(TinyPackage().write(tmp_path / "gb", encoding="gb18030")) is None
    folder = TinyPackage().write(tmp_path / "missing")
    (folder / "births.csv").unlink()
    assert read_fast(folder) is None
    assert read_fast(folder / "package.xlsx") is None


NASTY = st.text(alphabet=st.sampled_from([*"A1 .-e0:9X,\t", "\u3000", "中", "\xa0"]), max_size=12)
CELLS = [
    (table, column)
    for table, columns in {
        "addresses": ("address_id", "text", "lon", "lat"),
        "households": ("person_id", "household_id", "address_id", "registered_on", "relation"),
        "properties": ("certificate_no", "owner_id", "share", "acquired_on"),
        "residence_permits": ("person_id", "issued_on"),
        "social_security": ("months_continuous", "as_of"),
        "births": ("child_id", "birth_date", "mother_id", "address_id"),
        "vaccinations": ("child_id", "complete"),
        "seat_usage": ("certificate_no", "year", "stage", "child_id"),
    }.items()
    for column in columns
]


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(CELLS),
            st.integers(0, 3),
            NASTY
            | st.sampled_from(
                ["2015-04-01", "2020-02-29", "0.25", "1", "true", "head", "junior", "A2", "2021"]
            ),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_any_edit_reads_the_same_or_is_left_to_the_full_reader(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[tuple[str, str], int, str]]
) -> None:
    tiny = TinyPackage()
    for (table, column), index, value in edits:
        rows = tiny.tables[table]
        rows[index % len(rows)][column] = value
    folder = tiny.write(tmp_path_factory.mktemp("edit"))
    inputs = fast_inputs(folder)
    try:
        expected = full_inputs(folder)
    except PackageErrors:
        assert inputs is None
        return
    if inputs is not None:
        assert_same(inputs, expected)


def test_stage_inputs_can_be_asked_for_twice(tmp_path: Path) -> None:
    fast = read_fast(TinyPackage().write(tmp_path))
    assert fast is not None
    assert_same(fast.stage_inputs(), fast.stage_inputs())
