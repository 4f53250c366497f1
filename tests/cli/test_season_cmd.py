from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sunshine.cli import main
from sunshine.datasets.synthetic import generate
from sunshine.season.outputs import FILES

pytestmark = pytest.mark.no_postgres_rerun


def test_season_run_writes_every_file_and_its_lottery_verifies(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", children=400, seed=3, progress=False)
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["season", "run", str(tmp_path / "pkg"), "--out", str(tmp_path / "out"),
         "--witness", "notary:王公证=8817", "--no-progress", "--processes", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "decided" in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(FILES)
    verified = runner.invoke(main, ["lottery", "verify", str(tmp_path / "out" / "lottery.json")])
    assert verified.exit_code == 0, verified.output
    assert "王公证" in (tmp_path / "out" / "lottery.json").read_text(encoding="utf-8")


def test_a_bad_package_lists_its_errors_and_exits_2(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", children=300, seed=3, progress=False)
    schools = tmp_path / "pkg" / "schools.csv"
    lines = schools.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[6], "many", 1)  # plan_seats
    schools.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["season", "run", str(tmp_path / "pkg"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "schools.csv" in result.output
    assert "nothing was run" in result.output
    assert not (tmp_path / "out").exists()


def test_a_malformed_witness_is_one_line_and_exit_2(tmp_path: Path) -> None:
    generate(tmp_path / "pkg", children=300, seed=3, progress=False)
    result = CliRunner().invoke(
        main,
        ["season", "run", str(tmp_path / "pkg"), "--out", str(tmp_path / "o"), "--witness", "x"],
    )
    assert result.exit_code == 2
    assert "ROLE:NAME=VALUE" in result.output
