from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sunshine.admissions.models import Application, Season
from sunshine.audit.models import AuditEvent
from sunshine.cli import main
from sunshine.cli.db_cmd import default_actor
from sunshine.datasets.reader import read_package
from sunshine.datasets.writer import write_package
from tests.admissions.packages import assert_packages_equal, small_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def package_dir(tmp_path: Path) -> Path:
    write_package(small_package(), tmp_path / "county")
    return tmp_path / "county"


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_import_loads_the_package_and_prints_one_line(package_dir: Path) -> None:
    result = CliRunner().invoke(main, ["import", str(package_dir), "--actor", "clerk"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("imported 测试县 2026")
    assert "4 schools, 2 zones, 2 addresses, 10 registry rows, 3 applications" in lines[0]
    assert Application.objects.count() == 3
    assert AuditEvent.objects.get(action="season.imported").actor == "clerk"


def test_the_actor_defaults_to_the_os_user(package_dir: Path) -> None:
    result = CliRunner().invoke(main, ["import", str(package_dir)])
    assert result.exit_code == 0, result.output
    assert AuditEvent.objects.get(action="season.imported").actor == default_actor()
    assert default_actor().startswith("cli:")


def test_a_bad_package_lists_every_error_one_per_line_and_loads_nothing(
    package_dir: Path,
) -> None:
    _replace_in(package_dir / "schools.csv", "120.05", "220.05")  # longitude outside China
    _replace_in(package_dir / "households.csv", ",head,", ",boss,")
    result = CliRunner().invoke(main, ["import", str(package_dir)])
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert "schools.csv row 2 column lon" in lines[0]
    assert "households.csv row 2 column relation" in lines[1]
    assert not Season.objects.exists()


def test_a_second_import_is_refused_then_replaced(package_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(package_dir)]).exit_code == 0
    again = runner.invoke(main, ["import", str(package_dir)])
    assert again.exit_code == 2
    assert again.stderr.count("\n") == 1
    assert "already loaded; add --replace" in again.stderr
    replaced = runner.invoke(main, ["import", str(package_dir), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert Season.objects.count() == 1


def test_a_duplicate_child_is_one_readable_line(package_dir: Path) -> None:
    # The second application takes the first one's child: the reader accepts it, the database
    # constraint does not, and the user is told which applications clash.
    text = (package_dir / "applications.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[2] = lines[2].replace(",C2,", ",C1,", 1)
    (package_dir / "applications.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(package_dir)])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("several applications: 2026-0001, 2026-0002")
    assert not Season.objects.exists()


def test_import_of_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["import", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_the_single_season_back_out(
    package_dir: Path, tmp_path: Path, fmt: str
) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(package_dir)]).exit_code == 0
    out = tmp_path / "export"
    result = runner.invoke(main, ["export", "--out", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"exported 测试县 2026 to {out} ({fmt})")
    written = out / "package.xlsx" if fmt == "xlsx" else out
    assert_packages_equal(read_package(written), read_package(package_dir))
    event = AuditEvent.objects.get(action="season.exported")
    assert json.loads(event.canonical)["detail"]["format"] == fmt


def test_export_names_the_season_when_several_exist(package_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(package_dir)]).exit_code == 0
    write_package(small_package(year=2027), tmp_path / "next")
    assert runner.invoke(main, ["import", str(tmp_path / "next")]).exit_code == 0

    ambiguous = runner.invoke(main, ["export", "--out", str(tmp_path / "x")])
    assert ambiguous.exit_code == 2
    assert "several seasons match" in ambiguous.stderr
    chosen = runner.invoke(
        main, ["export", "--region", "330102", "--year", "2027", "--out", str(tmp_path / "y")]
    )
    assert chosen.exit_code == 0, chosen.output
    assert read_package(tmp_path / "y").policy.school_year == 2027
    missing = runner.invoke(main, ["export", "--region", "110101", "--out", str(tmp_path / "z")])
    assert missing.exit_code == 2
    assert "no season loaded for region 110101" in missing.stderr
