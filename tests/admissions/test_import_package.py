from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from sunshine.admissions.errors import (
    DuplicateChild,
    DuplicatePreference,
    SeasonExists,
    SeasonInUse,
    ValueTooLong,
)
from sunshine.admissions.models import Address, Application, Preference, School, Season, Zone
from sunshine.admissions.package_digest import package_digest
from sunshine.admissions.services import import_package, season_to_package
from sunshine.audit.models import AuditEvent
from sunshine.datasets.package import DataPackage
from sunshine.registry.models import HouseholdMember, StudentRecord
from tests.admissions.packages import (
    application_rows,
    assert_packages_equal,
    small_package,
    with_applications,
)
from tests.admissions.strategies import packages

pytestmark = pytest.mark.django_db
ACTOR = "cli:test"


def row_counts() -> dict[str, int]:
    """Rows in every table of the project, the audit log included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label.startswith(("admissions", "registry", "audit", "accounts"))
    }


def test_a_package_loads_into_rows_linked_by_key() -> None:
    season = import_package(small_package(), actor=ACTOR)
    assert (season.region_code, season.school_year, season.region_name) == (
        "330102",
        2026,
        "测试县",
    )
    assert School.objects.get(season=season, code="P1").feeds == School.objects.get(code="J1")
    assert School.objects.get(code="P1").extra == {"校长": "李四"}
    zone = Zone.objects.get(season=season, code="Z1")
    assert sorted(zone.schools.values_list("code", flat=True)) == ["P1", "P2"]
    first = Application.objects.get(season=season, code="2026-0001")
    assert first.claimed_address == Address.objects.get(code="A1")
    assert first.private_school is not None
    assert first.private_school.code == "X1"
    assert first.sibling_codes == ["2026-0002"]
    assert list(first.preferences.values_list("rank", "school__code")) == [(1, "P1"), (2, "P2")]
    junior = Application.objects.get(code="2026-0003")
    assert junior.current_school is not None
    assert junior.current_school.code == "P1"
    assert not junior.preferences.exists()
    assert HouseholdMember.objects.get(person_id="C1").extra == {"户别": "家庭户", "备注": "新生儿"}


def test_season_to_package_gives_back_the_package_imported() -> None:
    pkg = small_package()
    season = import_package(pkg, actor=ACTOR)
    again = season_to_package(season)
    assert_packages_equal(again, pkg)
    assert package_digest(again) == package_digest(pkg)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pkg=packages())
def test_any_valid_package_round_trips_through_the_database(pkg: DataPackage) -> None:
    with transaction.atomic():
        season = import_package(pkg, actor=ACTOR)
        assert_packages_equal(season_to_package(season), pkg)
        transaction.set_rollback(True)  # each example starts from an empty database


def test_the_import_is_recorded_with_the_package_digest_and_no_personal_data() -> None:
    pkg = small_package()
    season = import_package(pkg, actor=ACTOR)
    event = AuditEvent.objects.get(action="season.imported")
    assert (event.action, event.actor, event.object_type) == ("season.imported", ACTOR, "season")
    assert event.object_id == str(season.pk)
    detail = json.loads(event.canonical)["detail"]
    assert detail["package_sha256"] == package_digest(pkg)
    assert detail["rows"]["applications"] == 3
    assert detail["rows"]["preferences"] == 3
    assert detail["rows"]["zones"] == 2
    assert detail["replaced_season"] is None
    for secret in ("张小明", "C1", "G1", "幸福路"):
        assert secret not in event.canonical


def test_a_season_already_loaded_is_refused_unless_replaced() -> None:
    import_package(small_package(), actor=ACTOR)
    before = row_counts()
    with pytest.raises(SeasonExists, match="330102, year 2026"):
        import_package(small_package(), actor=ACTOR)
    assert row_counts() == before


def test_replace_swaps_the_whole_season_in_one_step() -> None:
    old = import_package(small_package(), actor=ACTOR)
    rows = application_rows(small_package())[2:]  # only the junior application is left
    new = import_package(with_applications(small_package(), rows), actor=ACTOR, replace=True)
    assert new.pk != old.pk
    assert list(Season.objects.values_list("pk", flat=True)) == [new.pk]
    assert list(Application.objects.values_list("code", flat=True)) == ["2026-0003"]
    assert Preference.objects.count() == 0
    events = list(AuditEvent.objects.filter(action="season.imported").order_by("seq"))
    assert len(events) == 2
    assert json.loads(events[1].canonical)["detail"]["replaced_season"] == old.pk


def test_every_application_gets_its_own_event_without_personal_data() -> None:
    season = import_package(small_package(), actor=ACTOR)
    events = AuditEvent.objects.filter(action="application.registered").order_by("seq")
    codes = sorted(Application.objects.filter(season=season).values_list("code", flat=True))
    assert sorted(e.object_id for e in events) == codes
    seqs = [e.seq for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # gapless, after the import event
    for application in Application.objects.filter(season=season):
        for event in events:
            assert application.child_id_number not in event.canonical
            assert application.child_name not in event.canonical


def test_another_year_is_a_separate_season() -> None:
    import_package(small_package(year=2026), actor=ACTOR)
    import_package(small_package(year=2027), actor=ACTOR)
    assert Season.objects.count() == 2
    assert Application.objects.count() == 6


def _twice_the_same_child() -> DataPackage:
    rows = application_rows(small_package())
    rows[2]["child_id"] = rows[0]["child_id"]
    return with_applications(small_package(), rows)


def test_a_failure_midway_leaves_the_database_exactly_as_it_was() -> None:
    # Two applications for one child pass the reader; the database constraint stops them
    # after schools, zones, addresses and registries were written.
    before = row_counts()
    with pytest.raises(DuplicateChild) as caught:
        import_package(_twice_the_same_child(), actor=ACTOR)
    assert caught.value.application_ids == ("2026-0001", "2026-0003")
    assert "2026-0001, 2026-0003" in str(caught.value)
    assert "C1" not in str(caught.value)  # the child's ID number stays out of messages
    assert row_counts() == before


def test_a_failed_replace_keeps_the_season_it_would_have_replaced() -> None:
    pkg = small_package()
    season = import_package(pkg, actor=ACTOR)
    before = row_counts()
    with pytest.raises(DuplicateChild):
        import_package(_twice_the_same_child(), actor=ACTOR, replace=True)
    assert row_counts() == before
    assert_packages_equal(season_to_package(Season.objects.get(pk=season.pk)), pkg)


def test_a_school_listed_twice_in_preferences_is_named() -> None:
    rows = application_rows(small_package())
    rows[1]["preferences"] = ("P2", "P1", "P2")
    before = row_counts()
    with pytest.raises(DuplicatePreference, match="2026-0002 lists school P2"):
        import_package(with_applications(small_package(), rows), actor=ACTOR)
    assert row_counts() == before


def test_a_value_too_long_for_its_column_is_refused_on_every_database() -> None:
    rows = application_rows(small_package())
    rows[1]["child_id"] = "1" * 19
    before = row_counts()
    with pytest.raises(ValueTooLong) as caught:
        import_package(with_applications(small_package(), rows), actor=ACTOR)
    assert str(caught.value) == (
        "applications.csv row 3 column child_id: longer than 18 characters"
    )
    assert row_counts() == before


def test_a_season_whose_schools_hold_student_records_is_not_replaced() -> None:
    import_package(small_package(), actor=ACTOR)
    StudentRecord.objects.create(
        student_no="GC1",
        child_id_number="C1",
        child_name="张小明",
        school=School.objects.get(code="P1"),
        created_at=timezone.now(),
    )
    before = row_counts()
    with pytest.raises(SeasonInUse, match="cannot be replaced"):
        import_package(small_package(), actor=ACTOR, replace=True)
    assert row_counts() == before
