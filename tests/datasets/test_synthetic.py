"""The synthetic county: a valid package, deterministic, consistent across its tables."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
import shapely.geometry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.core.ids import id_birth_dates, id_gender, valid_id_mask
from sunshine.datasets.package import DataPackage
from sunshine.datasets.reader import read_package
from sunshine.datasets.schema import GROUND_TRUTH_FILE, TABLES
from sunshine.datasets.synthetic import generate

pytestmark = pytest.mark.no_postgres_rerun

CHILDREN = 2000


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "county"
    generate(out, children=CHILDREN, seed=7, progress=False)
    return out


@pytest.fixture(scope="module")
def pkg(folder: Path) -> DataPackage:
    return read_package(folder)  # raises PackageErrors listing every problem


@pytest.fixture(scope="module")
def truth(folder: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((folder / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    return doc


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def rows(pkg: DataPackage, table: str) -> list[dict[str, Any]]:
    return list(pkg[table].rows())


def test_the_package_reads_without_errors_and_has_every_table(pkg: DataPackage) -> None:
    assert {spec.name for spec in TABLES} == set(pkg.tables)
    apps = pkg["applications"]
    stages = Counter(apps["stage"].tolist())
    # Every child applies once, plus the planted duplicate applications.
    assert CHILDREN <= stages["primary"] <= CHILDREN * 1.01
    assert CHILDREN // 2 <= stages["junior"] <= CHILDREN // 2 * 1.01
    assert len(pkg.policy.stages) == 2


def test_same_seed_gives_identical_files_and_another_seed_does_not(
    folder: Path, tmp_path: Path
) -> None:
    generate(tmp_path / "again", children=CHILDREN, seed=7, progress=False)
    generate(tmp_path / "other", children=CHILDREN, seed=8, progress=False)
    first = digests(folder)
    assert digests(tmp_path / "again") == first
    other = digests(tmp_path / "other")
    assert set(other) == set(first)
    changed = {name for name in first if other[name] != first[name]}
    assert changed >= {"applications.csv", "zones.geojson", "households.csv"}


def test_ids_are_well_formed_and_match_birth_date_and_gender(pkg: DataPackage) -> None:
    apps = pkg["applications"]
    ids = apps["child_id"]
    assert valid_id_mask(ids).all()
    assert len(set(ids.tolist())) == len(ids)
    assert (id_birth_dates(ids) == apps["birth_date"]).all()
    assert [id_gender(i) for i in ids.tolist()] == apps["gender"].tolist()
    for table, column in (("households", "person_id"), ("properties", "owner_id")):
        assert valid_id_mask(pkg[table][column]).all()
    # Plainly synthetic: every region code is an unassigned "xx99" county.
    assert {i[4:6] for i in ids.tolist()} == {"99"}


def test_guardians_are_the_parents_on_the_birth_record(
    pkg: DataPackage, truth: dict[str, Any]
) -> None:
    births = {r["child_id"]: r for r in rows(pkg, "births")}
    duplicates = {a for e in truth["anomalies"] if e["kind"] == "duplicate_child"
                  for a in e["application_ids"][1:]}  # fmt: skip
    for app in rows(pkg, "applications"):
        if app["application_id"] in duplicates:
            assert app["child_id"] not in births  # the invented second ID has no record
            continue
        birth = births[app["child_id"]]
        parents = {birth["mother_id"], birth["father_id"]} - {""}
        assert birth["birth_date"] == app["birth_date"]
        if app["special_needs"] == "orphan":
            assert not set(app["guardian_ids"]) & parents  # a grandparent is the guardian
        else:
            assert set(app["guardian_ids"]) == parents


def zone_index(pkg: DataPackage) -> dict[str, tuple[list[Any], shapely.STRtree]]:
    out = {}
    for stage in ("primary", "junior"):
        zones = [z for z in pkg.zones if z.stage == stage]
        geoms = [shapely.geometry.shape(z.geometry) for z in zones]
        out[stage] = (zones, shapely.STRtree(geoms))
    return out


def test_preferences_are_the_schools_of_the_claimed_addresses_zone(pkg: DataPackage) -> None:
    where = {r["address_id"]: (r["lon"], r["lat"]) for r in rows(pkg, "addresses")}
    index = zone_index(pkg)
    allowed = pkg.policy.preferences_allowed
    for app in rows(pkg, "applications"):
        zones, tree = index[app["stage"]]
        hits = tree.query(shapely.Point(where[app["claimed_address_id"]]), predicate="within")
        assert len(hits) == 1
        schools = zones[int(hits[0])].school_ids
        assert set(app["preferences"]) <= set(schools)
        assert len(app["preferences"]) == min(len(schools), allowed)


def test_zones_tile_the_county_without_gaps_or_overlaps(pkg: DataPackage) -> None:
    outlines = {}
    for stage in ("primary", "junior"):
        geoms = [shapely.geometry.shape(z.geometry) for z in pkg.zones if z.stage == stage]
        union = shapely.union_all(geoms)
        assert abs(sum(g.area for g in geoms) - union.area) < 1e-9 * union.area + 1e-12
        assert union.geom_type == "Polygon"
        assert len(union.interiors) == 0  # no holes: every gap would show up as one
        outlines[stage] = union
    difference = shapely.symmetric_difference(outlines["primary"], outlines["junior"])
    assert difference.area < 1e-6 * outlines["primary"].area
    public = {r["school_id"]: r["stage"] for r in rows(pkg, "schools") if r["kind"] == "public"}
    listed = Counter(s for z in pkg.zones for s in z.school_ids)
    assert set(listed) == set(public)
    assert set(listed.values()) == {1}  # each public school serves exactly one zone
    assert any(len(z.school_ids) > 1 for z in pkg.zones)  # some 多校划片


def test_schools_feeders_and_plans(pkg: DataPackage) -> None:
    schools = rows(pkg, "schools")
    stage_of = {s["school_id"]: s["stage"] for s in schools}
    apps = rows(pkg, "applications")
    for stage in ("primary", "junior"):
        seats = sum(s["plan_seats"] for s in schools if s["stage"] == stage)
        children = sum(1 for a in apps if a["stage"] == stage)
        assert 1.0 <= seats / children <= 1.15
        private = sum(
            s["plan_seats"] for s in schools if s["stage"] == stage and s["kind"] == "private"
        )
        assert 0.03 <= private / seats <= 0.12
    for s in schools:
        if s["stage"] == "primary" and s["kind"] == "public":
            assert stage_of[s["feeds_school_id"]] == "junior"
        else:
            assert s["feeds_school_id"] == ""
    first = Counter(a["preferences"][0] for a in apps if a["preferences"])
    ratio = {s["school_id"]: first[s["school_id"]] / s["plan_seats"] for s in schools
             if s["kind"] == "public"}  # fmt: skip
    assert max(ratio.values()) > 1.05  # a lottery will be needed somewhere
    assert min(ratio.values()) < 0.9  # and some schools have seats to spare
    junior = [a for a in apps if a["stage"] == "junior"]
    assert all(stage_of[a["current_school_id"]] == "primary" for a in junior)
    assert all(a["current_school_id"] == "" for a in apps if a["stage"] == "primary")


def test_special_groups_priority_and_twins(pkg: DataPackage) -> None:
    apps = rows(pkg, "applications")
    n = len(apps)
    needs = Counter(a["special_needs"] for a in apps)
    assert 0.03 < (n - needs[""]) / n < 0.09
    priority = sum(1 for a in apps if a["priority_group"])
    assert 0.004 < priority / n < 0.03
    private = sum(1 for a in apps if a["private_school_id"])
    assert 0.06 < private / n < 0.16
    by_id = {a["application_id"]: a for a in apps}
    twins = [a for a in apps if a["sibling_application_ids"]]
    assert twins
    for a in twins:
        (other_id,) = a["sibling_application_ids"]
        other = by_id[other_id]
        assert other["sibling_application_ids"] == (a["application_id"],)
        assert other["birth_date"] == a["birth_date"]
        assert other["guardian_ids"] == a["guardian_ids"]
        assert other["claimed_address_id"] == a["claimed_address_id"]


def test_ground_truth_points_at_real_rows(pkg: DataPackage, truth: dict[str, Any]) -> None:
    apps = set(pkg["applications"]["application_id"].tolist())
    addresses = set(pkg["addresses"]["address_id"].tolist())
    certs = set(pkg["properties"]["certificate_no"].tolist())
    entries = truth["anomalies"]
    kinds = Counter(e["kind"] for e in entries)
    assert set(kinds) == {
        "crowded_address", "late_hukou", "seat_lock_reuse", "expired_permit", "duplicate_child"
    }  # fmt: skip
    assert truth["counts"] == dict(sorted(kinds.items()))
    for e in entries:
        assert e["application_ids"]
        assert set(e["application_ids"]) <= apps
        assert set(e["address_ids"]) <= addresses
        assert set(e["certificate_nos"]) <= certs
        assert e["note"]
    families = len(apps)
    assert kinds["late_hukou"] / families < 0.01
    assert kinds["duplicate_child"] / families < 0.005


def flagged(truth: dict[str, Any], kind: str) -> set[str]:
    return {a for e in truth["anomalies"] if e["kind"] == kind for a in e["application_ids"]}


def test_crowded_addresses_are_exactly_the_planted_ones(
    pkg: DataPackage, truth: dict[str, Any]
) -> None:
    apps = rows(pkg, "applications")
    claims = Counter(a["claimed_address_id"] for a in apps)
    crowded = {a for a, n in claims.items() if n >= 8}
    planted = {e["address_ids"][0] for e in truth["anomalies"] if e["kind"] == "crowded_address"}
    assert crowded == planted
    hukou_at = Counter(r["address_id"] for r in rows(pkg, "households") if r["relation"] == "other")
    assert all(hukou_at[a] >= 8 for a in planted)


def test_late_hukou_and_expired_permits_are_exactly_the_planted_ones(
    pkg: DataPackage, truth: dict[str, Any]
) -> None:
    cutoff = np.datetime64("2025-08-31")
    registered = {r["person_id"]: r["registered_on"] for r in rows(pkg, "households")}
    late = {
        a["application_id"]
        for a in rows(pkg, "applications")
        if a["child_id"] in registered
        and cutoff - np.timedelta64(60, "D") <= registered[a["child_id"]]
    }
    assert late == flagged(truth, "late_hukou")
    expired_people = {
        r["person_id"]
        for r in rows(pkg, "residence_permits")
        if r["valid_until"] < np.datetime64("2026-05-01")
    }
    expired = {
        a["application_id"]
        for a in rows(pkg, "applications")
        if set(a["guardian_ids"]) & expired_people
    }
    # A crowded or duplicate application of the same family may share the guardians.
    assert flagged(truth, "expired_permit") <= expired
    assert expired - flagged(truth, "expired_permit") <= flagged(truth, "duplicate_child")


def test_seat_lock_reuse_is_exactly_the_planted_one(
    pkg: DataPackage, truth: dict[str, Any]
) -> None:
    births = {r["child_id"]: r for r in rows(pkg, "births")}
    lock = {"primary": 6, "junior": 3}
    uses: dict[str, list[dict[str, Any]]] = {}
    for r in rows(pkg, "seat_usage"):
        uses.setdefault(r["certificate_no"], []).append(r)
    reused = set()
    for app in rows(pkg, "applications"):
        cert = app["claimed_certificate_no"]
        for use in (u for u in uses.get(cert, []) if u["stage"] == app["stage"]):
            if use["year"] <= 2026 - lock[app["stage"]] or use["child_id"] == app["child_id"]:
                continue
            sibling = births.get(use["child_id"])
            family = set(app["guardian_ids"])
            if sibling is None or not ({sibling["mother_id"], sibling["father_id"]} & family):
                reused.add(app["application_id"])
    planted = flagged(truth, "seat_lock_reuse")
    assert planted <= reused
    # Children who claim a planted home (crowded) inherit its history.
    assert reused - planted <= flagged(truth, "crowded_address")


def test_duplicates_share_birth_gender_and_guardians(
    pkg: DataPackage, truth: dict[str, Any]
) -> None:
    by_id = {a["application_id"]: a for a in rows(pkg, "applications")}
    for e in (e for e in truth["anomalies"] if e["kind"] == "duplicate_child"):
        real, fake = (by_id[a] for a in e["application_ids"])
        assert real["child_id"] != fake["child_id"]
        for key in ("birth_date", "gender", "guardian_ids", "stage"):
            assert real[key] == fake[key]
        assert real["child_name"][0] == fake["child_name"][0]
        assert fake["claimed_address_id"] != real["claimed_address_id"]


def test_coordinates_have_at_most_six_decimals(folder: Path) -> None:
    text = (folder / "addresses.csv").read_text(encoding="utf-8-sig")
    for line in text.splitlines()[1:50]:
        for cell in line.split(",")[2:]:
            assert len(cell.split(".")[1]) <= 6


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(children=st.integers(100, 600), junior=st.integers(0, 300), seed=st.integers(0, 2**32))
def test_any_small_county_is_a_valid_package(
    tmp_path_factory: pytest.TempPathFactory, children: int, junior: int, seed: int
) -> None:
    out = tmp_path_factory.mktemp("small") / "pkg"
    summary = generate(out, children=children, seed=seed, junior_children=junior, progress=False)
    pkg = read_package(out)
    stages = Counter(pkg["applications"]["stage"].tolist())
    assert stages["primary"] >= children
    assert stages["junior"] >= junior
    assert summary.rows["applications"] == len(pkg["applications"])
    assert summary.rows == {name: len(table) for name, table in pkg.tables.items()}


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path / "x", children=5, seed=1, progress=False)
    with pytest.raises(ValueError, match="negative"):
        generate(tmp_path / "x", children=500, seed=-1, progress=False)
    (tmp_path / "file").write_text("")
    with pytest.raises(ValueError, match="not a folder"):
        generate(tmp_path / "file", children=500, seed=1, progress=False)


def test_many_chunks_stream_into_one_valid_deterministic_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sunshine.datasets.synthetic.CHUNK", 250)
    for name in ("a", "b"):
        generate(tmp_path / name, children=1000, seed=3, progress=False)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    pkg = read_package(tmp_path / "a")  # unique ids and valid references across chunks
    persons = pkg["households"]["person_id"].tolist() + pkg["births"]["child_id"].tolist()
    assert len(set(pkg["households"]["person_id"].tolist())) == len(pkg["households"])
    assert len(set(persons)) < len(persons)  # applicants appear in both registries
    truth = json.loads((tmp_path / "a" / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    assert {e["kind"] for e in truth["anomalies"]} >= {"late_hukou", "duplicate_child"}
