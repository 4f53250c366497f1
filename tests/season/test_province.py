"""A province: synthetic counties written deterministically, then decided one process per
county, each county's files the same as when it is run alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sunshine.cli import main
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic_province import PROVINCE_FILE, plan_counties
from sunshine.season.outputs import FILES
from sunshine.season.province import PROVINCE_REPORT, county_folders

pytestmark = pytest.mark.no_postgres_rerun
WITNESS = ["--witness", "notary:王公证=8817", "--no-progress"]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("province")
    result = CliRunner().invoke(
        main, ["datasets", "synth", "--children", "1200", "--counties", "3", "--seed", "9",
               "--jobs", "2", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 counties" in result.output
    return out


def test_county_sizes_vary_add_up_and_follow_the_seed() -> None:
    plan = plan_counties(100_000, 12, seed=3)
    assert sum(c.children for c in plan) == 100_000
    assert len({c.children for c in plan}) > 6
    assert len({c.region_code for c in plan}) == len({c.seed for c in plan}) == 12
    assert plan == plan_counties(100_000, 12, seed=3)
    assert plan != plan_counties(100_000, 12, seed=4)
    with pytest.raises(ValueError, match="at least"):
        plan_counties(500, 12, seed=3)


def test_each_county_is_a_package_of_its_own(province: Path, tmp_path: Path) -> None:
    listed = json.loads((province / PROVINCE_FILE).read_text(encoding="utf-8"))["counties"]
    folders = county_folders(province)
    assert folders is not None
    assert sorted(f.name for f in folders) == [c["region_code"] for c in listed]
    for county in listed:
        pkg = read_package(province / county["region_code"])
        assert pkg.policy.region_code == county["region_code"]
        assert pkg.policy.region_name == county["region_name"]
        assert len(pkg["applications"]) == county["applications"]
    # written by two processes, yet the same bytes as one process writes
    again = tmp_path / "again"
    result = CliRunner().invoke(
        main, ["datasets", "synth", "--children", "1200", "--counties", "3", "--seed", "9",
               "--out", str(again)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for path in sorted(province.rglob("*")):
        if path.is_file():
            assert (again / path.relative_to(province)).read_bytes() == path.read_bytes()


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES if name != "report.json"}


def test_counties_run_in_their_own_processes_as_they_would_alone(
    province: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    result = runner.invoke(
        main, ["season", "run", str(province), "--out", str(tmp_path / "all"), "--jobs", "2",
               *WITNESS],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "in 3 counties" in result.output
    report = json.loads((tmp_path / "all" / PROVINCE_REPORT).read_text(encoding="utf-8"))
    assert report["failed"] == []
    assert all(c["peak_memory_mb"] > 0 for c in report["counties"])
    for county in report["counties"]:
        alone = tmp_path / "alone" / county["county"]
        one = runner.invoke(
            main, ["season", "run", str(province / county["county"]), "--out", str(alone),
                   *WITNESS],
        )  # fmt: skip
        assert one.exit_code == 0, one.output
        assert _files(tmp_path / "all" / county["county"]) == _files(alone)


def test_a_county_with_errors_stops_only_itself(province: Path, tmp_path: Path) -> None:
    broken = tmp_path / "province"
    for path in province.rglob("*"):
        if path.is_file():
            target = broken / path.relative_to(province)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    first = sorted(p.name for p in broken.iterdir() if p.is_dir())[0]
    (broken / first / "births.csv").unlink()
    result = CliRunner().invoke(
        main, ["season", "run", str(broken), "--out", str(tmp_path / "out"), *WITNESS]
    )
    assert result.exit_code == 2
    assert f"1 of 3 counties had errors: {first}" in result.output
    assert "births.csv" in result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir())
    assert first not in written
    assert len(written) == 2
