from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import pytest

from sunshine.admissions.errors import SeasonNotFound
from sunshine.admissions.package_digest import package_digest
from sunshine.admissions.services import (
    export_season,
    find_season,
    import_package,
    season_to_package,
)
from sunshine.audit.models import AuditEvent
from sunshine.datasets.reader import read_package
from sunshine.datasets.writer import WORKBOOK_FILE, write_package
from tests.admissions.packages import assert_packages_equal, small_package

pytestmark = pytest.mark.django_db
ACTOR = "cli:test"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_package_read_from_disk_comes_back_out_equal(
    tmp_path: Path, fmt: Literal["csv", "xlsx"]
) -> None:
    write_package(small_package(), tmp_path / "in", fmt=fmt)
    source = tmp_path / "in" / WORKBOOK_FILE if fmt == "xlsx" else tmp_path / "in"
    original = read_package(source)
    season = import_package(original, actor=ACTOR)

    assert_packages_equal(season_to_package(season), original)
    export_season(season, tmp_path / "out", actor=ACTOR, fmt=fmt)
    exported = tmp_path / "out" / WORKBOOK_FILE if fmt == "xlsx" else tmp_path / "out"
    assert_packages_equal(read_package(exported), original)
    assert (tmp_path / "out" / "policy.toml").read_bytes() == (
        tmp_path / "in" / "policy.toml"
    ).read_bytes()


def test_a_csv_export_reproduces_the_files_byte_for_byte(tmp_path: Path) -> None:
    write_package(small_package(), tmp_path / "in")
    season = import_package(read_package(tmp_path / "in"), actor=ACTOR)
    export_season(season, tmp_path / "out", actor=ACTOR)
    for path in sorted((tmp_path / "in").glob("*.csv")):
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_export_is_recorded_in_the_audit_log(tmp_path: Path) -> None:
    pkg = small_package()
    season = import_package(pkg, actor=ACTOR)
    export_season(season, tmp_path, actor="cli:inspector", fmt="csv")
    event = AuditEvent.objects.get(action="season.exported")
    assert event.actor == "cli:inspector"
    detail = json.loads(event.canonical)["detail"]
    assert detail == {"package_sha256": package_digest(pkg), "format": "csv"}


def test_find_season_needs_region_and_year_only_when_several_match() -> None:
    with pytest.raises(SeasonNotFound, match="no season loaded"):
        find_season()
    first = import_package(small_package(year=2026), actor=ACTOR)
    assert find_season() == first
    second = import_package(small_package(year=2027), actor=ACTOR)
    with pytest.raises(SeasonNotFound, match="several seasons"):
        find_season()
    assert find_season("330102", 2027) == second
    assert find_season(school_year=2026) == first
    with pytest.raises(SeasonNotFound, match="region 110101, year any"):
        find_season("110101")
