from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sunshine.core.policy import Stage
from sunshine.datasets.errors import PackageErrors
from sunshine.datasets.reader import read_package
from sunshine.datasets.schema import TABLES
from sunshine.datasets.writer import WORKBOOK_FILE, write_package
from tests.datasets.builders import CHILD_1, MOTHER, TinyPackage, assert_packages_equal

pytestmark = pytest.mark.no_postgres_rerun


def test_a_valid_package_loads_every_table_typed(tmp_path: Path) -> None:
    pkg = read_package(TinyPackage().write(tmp_path))
    assert list(pkg.tables) == [t.name for t in TABLES]
    schools = pkg["schools"]
    assert schools["school_id"].tolist() == ["P1", "P2", "J1"]
    assert schools["plan_seats"].dtype == np.int64
    assert schools["class_size"].tolist() == [-1, 30, 50]
    assert schools["lon"].dtype == np.float64
    apps = pkg["applications"]
    assert apps["guardian_ids"][0] == (MOTHER, pkg["properties"]["owner_id"][1])
    assert apps["preferences"].tolist() == [("P1", "P2"), ("J1",)]
    assert apps["birth_date"][0] == np.datetime64("2019-05-06")
    assert apps["priority_group"].tolist() == ["", "military"]
    assert pkg["vaccinations"]["complete"].tolist() == [True]
    assert np.isnat(pkg["households"]["registered_on"]).sum() == 0
    assert pkg.policy.stages[Stage.JUNIOR].use_feeders
    assert [z.zone_id for z in pkg.zones] == ["Z1", "Z2"]
    assert pkg.zones[1].school_ids == ("J1",)  # given as a string, read as a list
    assert pkg.zones[1].properties["片区"] == "东"  # extra properties are kept


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str) -> None:
    baseline = read_package(TinyPackage().write(tmp_path / "utf-8"))
    pkg = read_package(TinyPackage().write(tmp_path / encoding, encoding=encoding))
    assert pkg["schools"]["name"].tolist() == ["阳光小学", "Private Primary", "阳光初中"]
    assert pkg["applications"]["child_name"].tolist() == ["张三", "张四"]
    assert_packages_equal(baseline, pkg)


def test_extra_columns_are_kept_as_raw_strings_in_file_order(tmp_path: Path) -> None:
    tiny = TinyPackage()
    for i, school in enumerate(tiny.tables["schools"]):
        school["备注"] = f" note {i}"
        school["district"] = "东区"
    tiny.headers["schools"] = ["备注", *(c for c in tiny.header("schools") if c != "备注")]
    schools = read_package(tiny.write(tmp_path))["schools"]
    assert list(schools.extras) == ["备注", "district"]
    assert schools.extras["备注"] == [" note 0", " note 1", " note 2"]
    assert tuple(schools.columns) == TABLES[0].column_names  # contract columns in schema order


def test_optional_columns_may_be_left_out(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.headers["schools"] = [c for c in tiny.header("schools") if c != "class_size"]
    schools = read_package(tiny.write(tmp_path))["schools"]
    assert schools["class_size"].tolist() == [-1, -1, -1]


def test_cells_are_stripped(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.set("applications", 0, "child_id", f"  {CHILD_1}\u3000")
    tiny.set("applications", 0, "stage", " primary ")
    apps = read_package(tiny.write(tmp_path))["applications"]
    assert apps["child_id"][0] == CHILD_1
    assert apps["stage"][0] == "primary"


def test_a_workbook_with_text_files_beside_it_reads_like_the_folder(tmp_path: Path) -> None:
    pkg = read_package(TinyPackage().write(tmp_path / "csv"))
    write_package(pkg, tmp_path / "xlsx", fmt="xlsx")
    assert sorted(p.name for p in (tmp_path / "xlsx").iterdir()) == [
        WORKBOOK_FILE,
        "policy.toml",
        "zones.geojson",
    ]
    assert_packages_equal(pkg, read_package(tmp_path / "xlsx" / WORKBOOK_FILE))


def test_progress_reports_each_file(tmp_path: Path) -> None:
    seen: list[str] = []
    read_package(TinyPackage().write(tmp_path), progress=seen.append)
    assert "reading schools.csv" in seen
    assert "reading zones.geojson" in seen
    assert seen[-1] == "checking references between files"


def test_a_path_that_is_not_a_package_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PackageErrors) as info:
        read_package(tmp_path / "missing")
    assert info.value.errors[0].message == "does not exist"
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(PackageErrors) as info:
        read_package(tmp_path / "notes.txt")
    assert "neither a folder nor an .xlsx" in info.value.errors[0].message


def test_errors_across_files_are_reported_at_once_and_nothing_is_returned(
    tmp_path: Path,
) -> None:
    tiny = TinyPackage()
    tiny.set("schools", 1, "plan_seats", "-5")
    tiny.set("households", 3, "registered_on", "2015/04/01")
    tiny.set("applications", 1, "gender", "X")
    tiny.policy = tiny.policy.replace('mechanism = "priority_first"', 'mechanism = "first"')
    tiny.zones["features"][0]["properties"]["stage"] = "senior"
    result = None
    with pytest.raises(PackageErrors) as info:
        result = read_package(tiny.write(tmp_path))
    assert result is None
    found = [(e.file, e.row, e.column) for e in info.value.errors]
    assert found == [
        ("policy.toml", None, "mechanism"),
        ("zones.geojson", 1, "stage"),
        ("schools.csv", 3, "plan_seats"),
        ("households.csv", 5, "registered_on"),
        ("applications.csv", 3, "gender"),
    ]
    text = str(info.value)
    assert text.startswith("5 errors in the data package:")
    assert "schools.csv row 3 column plan_seats: -5 is below the minimum 0" in text


def test_every_missing_file_is_named(tmp_path: Path) -> None:
    folder = TinyPackage().write(tmp_path)
    (folder / "births.csv").unlink()
    (folder / "zones.geojson").unlink()
    with pytest.raises(PackageErrors) as info:
        read_package(folder)
    assert {(e.file, e.message) for e in info.value.errors} == {
        ("births.csv", "this file is missing"),
        ("zones.geojson", "this file is missing"),
    }
