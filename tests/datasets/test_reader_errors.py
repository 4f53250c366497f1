"""One test per kind of error, each asserting the exact file, row and column reported."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from sunshine.datasets.errors import PackageError, PackageErrors
from sunshine.datasets.reader import read_package
from sunshine.datasets.writer import WORKBOOK_FILE, write_package
from tests.datasets.builders import TinyPackage

pytestmark = pytest.mark.no_postgres_rerun

Where = tuple[str, int | None, str | None]


def errors_of(tiny: TinyPackage, folder: Path) -> list[PackageError]:
    with pytest.raises(PackageErrors) as info:
        read_package(tiny.write(folder))
    return list(info.value.errors)


def where(errors: list[PackageError]) -> list[Where]:
    return [(e.file, e.row, e.column) for e in errors]


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "message"),
    [
        ("schools", 0, "plan_seats", "ninety", "'ninety' is not a whole number"),
        ("schools", 2, "plan_seats", "-1", "-1 is below the minimum 0"),
        ("schools", 1, "class_size", "0", "0 is below the minimum 1"),
        ("schools", 0, "lat", "95", "95 is above the maximum 54"),
        ("properties", 1, "share", "0", "0 is not above the minimum 0"),
        ("schools", 1, "stage", "高中", "'高中' is not one of: primary, junior"),
        ("applications", 0, "special_needs", "vip", "'vip' is not one of: disabled,"),
        ("applications", 1, "child_name", "", "a value is required here"),
        ("applications", 1, "guardian_ids", " ; ", "a value is required here"),
        ("births", 1, "birth_date", "2013-3-2", "'2013-3-2' is not a date written YYYY-MM-DD"),
        ("vaccinations", 0, "complete", "yes", "'yes' is not true or false"),
        ("seat_usage", 0, "year", "1890", "1890 is below the minimum 1990"),
    ],
)
def test_a_bad_cell_is_reported_at_its_row_and_column(
    tmp_path: Path, table: str, index: int, column: str, value: str, message: str
) -> None:
    tiny = TinyPackage()
    tiny.set(table, index, column, value)
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [(f"{table}.csv", index + 2, column)]
    assert errors[0].message.startswith(message)


def test_a_missing_required_column(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.headers["addresses"] = ["address_id", "text", "lon"]
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [("addresses.csv", 1, "lat")]
    assert errors[0].message == "this required column is missing"


def test_a_duplicate_header_name(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.headers["vaccinations"] = ["child_id", "complete", "complete"]
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [("vaccinations.csv", 1, "complete")]


def test_a_ragged_row(tmp_path: Path) -> None:
    folder = TinyPackage().write(tmp_path)
    path = folder / "addresses.csv"
    path.write_text(path.read_text(encoding="utf-8") + "A3,x,120.0\r\n", encoding="utf-8")
    with pytest.raises(PackageErrors) as info:
        read_package(folder)
    assert where(list(info.value.errors)) == [("addresses.csv", 4, None)]
    assert info.value.errors[0].message == "has 3 cells but the header has 4"


def test_a_duplicate_key(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.set("schools", 2, "school_id", "P1")
    errors = errors_of(tiny, tmp_path)
    assert ("schools.csv", 4, "school_id") in where(errors)
    message = next(e.message for e in errors if e.row == 4)
    assert message == "P1 appears again (first at row 2); it must be unique"


def test_a_duplicate_composite_key(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.set("properties", 1, "owner_id", tiny.tables["properties"][0]["owner_id"])
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [("properties.csv", 3, "certificate_no, owner_id")]


def test_a_dangling_foreign_key(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.set("households", 2, "address_id", "A9")
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [("households.csv", 4, "address_id")]
    assert errors[0].message == "A9: no such address_id in addresses.csv"


def test_list_foreign_keys_are_checked_item_by_item(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.set("applications", 0, "preferences", "P1; P7 ;P8")
    tiny.set("applications", 1, "sibling_application_ids", "APP-1;APP-9")
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [
        ("applications.csv", 2, "preferences"),
        ("applications.csv", 3, "sibling_application_ids"),
    ]
    assert errors[0].message == "P7, P8: no such school_id in schools.csv"
    assert errors[1].message == "APP-9: no such application_id in applications.csv"


def test_an_undecodable_file(tmp_path: Path) -> None:
    folder = TinyPackage().write(tmp_path)
    (folder / "births.csv").write_bytes(b"child_id\n\x80\x80\xff\n")
    with pytest.raises(PackageErrors) as info:
        read_package(folder)
    assert where(list(info.value.errors)) == [("births.csv", None, None)]


@pytest.mark.parametrize(
    ("index", "column", "value", "message"),
    [
        (2, "feeds_school_id", "P1", "only a primary school feeds a junior school"),
        (0, "feeds_school_id", "P2", "P2 is a primary school, not a junior school"),
    ],
)
def test_feeder_links_run_from_primary_to_junior(
    tmp_path: Path, index: int, column: str, value: str, message: str
) -> None:
    tiny = TinyPackage()
    tiny.set("schools", index, column, value)
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [("schools.csv", index + 2, column)]
    assert errors[0].message == message


@pytest.mark.parametrize(
    ("index", "column", "value", "message"),
    [
        (0, "preferences", "P1;J1", "J1: not a primary school"),
        (0, "preferences", "P1;P2;P1;P2", "4 preferences listed; the policy allows 3"),
        (0, "private_school_id", "P1", "P1 is not a private primary school"),
        (1, "current_school_id", "J1", "J1 is not a primary school"),
        (0, "current_school_id", "P1", "only a junior applicant has a current (primary) school"),
    ],
)
def test_application_schools_match_the_stage(
    tmp_path: Path, index: int, column: str, value: str, message: str
) -> None:
    tiny = TinyPackage()
    tiny.set("applications", index, column, value)
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [("applications.csv", index + 2, column)]
    assert errors[0].message == message


def test_an_application_stage_the_policy_does_not_configure(tmp_path: Path) -> None:
    tiny = TinyPackage()
    start = tiny.policy.index("[stages.junior]")
    tiny.policy = tiny.policy[:start]
    tiny.set("applications", 1, "preferences", "")
    errors = errors_of(tiny, tmp_path)
    assert where(errors) == [("applications.csv", 3, "stage")]
    assert errors[0].message == "stage junior is not configured in policy.toml"


def test_a_workbook_names_the_sheet_and_catches_rounded_numbers(tmp_path: Path) -> None:
    pkg = read_package(TinyPackage().write(tmp_path / "csv"))
    write_package(pkg, tmp_path / "x", fmt="xlsx")
    path = tmp_path / "x" / WORKBOOK_FILE
    book = openpyxl.load_workbook(path)
    book["applications"]["B2"] = 330199201905060000  # an ID typed into a Number cell
    del book["seat_usage"]
    book.save(path)
    with pytest.raises(PackageErrors) as info:
        read_package(path)
    found = where(list(info.value.errors))
    assert ("package.xlsx:seat_usage", None, None) in found
    assert ("package.xlsx:applications", 2, "child_id") in found
    assert any("15 digits" in e.message for e in info.value.errors)


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    TinyPackage().write(tmp_path)
    (tmp_path / "tables.xlsx").write_bytes(b"not a zip")
    with pytest.raises(PackageErrors) as info:
        read_package(tmp_path / "tables.xlsx")
    assert where(list(info.value.errors)) == [("tables.xlsx", None, None)]
