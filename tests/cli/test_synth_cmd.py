from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sunshine.cli import main
from sunshine.datasets.reader import read_package
from sunshine.datasets.schema import GROUND_TRUTH_FILE, TABLES

pytestmark = pytest.mark.no_postgres_rerun


def test_synth_writes_a_package_that_reads(tmp_path: Path) -> None:
    out = tmp_path / "county"
    args = ["datasets", "synth", "--children", "400", "--seed", "5", "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--junior-children", "150", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "applications" in result.output
    for spec in TABLES:
        assert (out / spec.filename).is_file()
    pkg = read_package(out)
    stages = set(pkg["applications"]["stage"].tolist())
    assert stages == {"primary", "junior"}
    truth = json.loads((out / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    assert truth["seed"] == 5
    assert truth["junior_children"] == 150


def test_no_junior_writes_grade_one_only(tmp_path: Path) -> None:
    out = tmp_path / "county"
    args = ["datasets", "synth", "--children", "300", "--no-junior", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert set(read_package(out)["applications"]["stage"].tolist()) == {"primary"}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--children", "5"], "at least 100"),
        (["--children", "500", "--seed", "-3"], "negative"),
        (["--children", "500", "--no-junior", "--junior-children", "9"], "needs --junior"),
        (["--children", "300000", "--format", "xlsx"], "use csv"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, extra: list[str], message: str) -> None:
    args = ["datasets", "synth", "--out", str(tmp_path / "x"), *extra]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
