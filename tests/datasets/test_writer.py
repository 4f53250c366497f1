from __future__ import annotations

import codecs
import datetime as dt
import tempfile
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.datasets.reader import read_package
from sunshine.datasets.schema import TABLES
from sunshine.datasets.writer import write_package
from tests.datasets.builders import TinyPackage, assert_packages_equal

pytestmark = pytest.mark.no_postgres_rerun

Format = Literal["csv", "xlsx"]


def round_trip(tiny: TinyPackage, fmt: Format) -> None:
    """read(write(read(x))) equals read(x)."""
    with tempfile.TemporaryDirectory() as tmp:
        first = read_package(tiny.write(Path(tmp) / "in"))
        write_package(first, Path(tmp) / "out", fmt=fmt)
        path = Path(tmp) / "out"
        again = read_package(path / "package.xlsx" if fmt == "xlsx" else path)
        assert_packages_equal(first, again)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_tiny_package_round_trips(fmt: Format) -> None:
    round_trip(TinyPackage(), fmt)


_text = st.text(alphabet=st.sampled_from("ab 张三阳光,;\"=\n'-_0"), min_size=1, max_size=8).filter(
    lambda s: s.strip() != ""
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fmt=st.sampled_from(["csv", "xlsx"]),
    name=_text,
    note=st.text(alphabet=st.sampled_from(' x,"=阳;\n'), max_size=6),
    seats=st.integers(0, 10**9),
    lon=st.floats(73.0, 136.0),
    birth=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    class_size=st.one_of(st.just(""), st.integers(1, 60).map(str)),
)
def test_random_cell_values_round_trip(
    fmt: Format, name: str, note: str, seats: int, lon: float, birth: dt.date, class_size: str
) -> None:
    tiny = TinyPackage()
    tiny.set("applications", 0, "child_name", name)
    tiny.set("schools", 0, "plan_seats", str(seats))
    tiny.set("schools", 1, "lon", repr(lon))
    tiny.set("schools", 2, "class_size", class_size)
    tiny.set("applications", 1, "birth_date", birth.isoformat())
    for i, row in enumerate(tiny.tables["applications"]):
        row["note"] = note if i == 0 else ""
    round_trip(tiny, fmt)


def test_csv_is_written_with_a_bom_contract_columns_first_then_extras(tmp_path: Path) -> None:
    tiny = TinyPackage()
    for school in tiny.tables["schools"]:
        school["备注"] = "x"
    tiny.headers["schools"] = ["备注", *(c for c in tiny.header("schools") if c != "备注")]
    pkg = read_package(tiny.write(tmp_path / "in"))
    write_package(pkg, tmp_path / "out")
    data = (tmp_path / "out" / "schools.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    header = data[len(codecs.BOM_UTF8) :].decode().splitlines()[0]
    assert header == ",".join([*TABLES[0].column_names, "备注"])
    assert (tmp_path / "out" / "policy.toml").read_text(encoding="utf-8") == tiny.policy


def test_writing_leaves_no_temporary_files_and_replaces_old_ones(tmp_path: Path) -> None:
    pkg = read_package(TinyPackage().write(tmp_path / "in"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "schools.csv").write_text("old")
    write_package(pkg, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [t.filename for t in TABLES] + ["policy.toml", "zones.geojson"]
    )
    assert (out / "schools.csv").read_text(encoding="utf-8-sig").startswith("school_id,")


def test_an_unknown_format_is_refused(tmp_path: Path) -> None:
    pkg = read_package(TinyPackage().write(tmp_path / "in"))
    with pytest.raises(ValueError, match="unknown format"):
        write_package(pkg, tmp_path / "out", fmt="json")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()
