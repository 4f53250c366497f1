from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sunshine.cli import main
from tests.datasets.builders import TinyPackage

pytestmark = pytest.mark.no_postgres_rerun


def test_a_valid_package_prints_ok_with_counts(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["datasets", "validate", str(TinyPackage().write(tmp_path))])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 2 applications, 2 zones; 3 schools, 2 addresses,")


def test_every_error_is_printed_one_per_line_and_the_exit_status_is_2(tmp_path: Path) -> None:
    tiny = TinyPackage()
    tiny.set("schools", 0, "plan_seats", "many")
    tiny.set("households", 0, "address_id", "A9")
    result = CliRunner().invoke(main, ["datasets", "validate", str(tiny.write(tmp_path))])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert lines == [
        "schools.csv row 2 column plan_seats: 'many' is not a whole number",
        "households.csv row 2 column address_id: A9: no such address_id in addresses.csv",
    ]
    assert "2 errors: the package was not loaded" in result.stderr


def test_a_missing_path_is_one_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["datasets", "validate", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert result.stdout.strip().endswith("nothing: does not exist")
