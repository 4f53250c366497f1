"""Publishing lists after a season run: masked, k-checked, approved, versioned, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from pytest_django.fixtures import Settings

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import (
    Admission,
    Decision,
    PublishedList,
    PublishedVersion,
    School,
    Season,
    SeasonRun,
)
from sunshine.admissions.publication import (
    PublicationNotAnonymous,
    PublicationRefused,
    publish_list,
)
from sunshine.admissions.services import import_package, run_season
from sunshine.audit.models import AuditEvent
from sunshine.core.publication import diff_rows, list_digest
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(tmp_path: Path) -> Season:
    generate(tmp_path, children=300, seed=5, progress=False)
    season = import_package(read_package(tmp_path), actor="test")
    run_season(season, actor="test")
    return season


def _user(name: str, role: str) -> User:
    return User.objects.create_user(username=name, password="x", role=role)


@pytest.fixture
def clerk() -> User:
    return _user("clerk", Role.BUREAU_REVIEWER)


@pytest.fixture
def chief() -> User:
    return _user("chief", Role.BUREAU_ADMIN)


def _busiest_school(season: Season) -> School:
    counts: dict[int, int] = {}
    for school_id in Admission.objects.filter(season=season).values_list("school_id", flat=True):
        counts[school_id] = counts.get(school_id, 0) + 1
    return School.objects.get(pk=max(counts, key=lambda pk: counts[pk]))


def test_publishing_the_classes_of_a_school_stores_masked_rows_and_audits_the_digest(
    season: Season, clerk: User, chief: User
) -> None:
    school = _busiest_school(season)
    version = publish_list(season, "classes", school, actor=clerk, approver=chief)
    admitted = Admission.objects.filter(season=season, school=school)
    assert version.number == 1
    assert version.previous is None
    assert len(version.rows) == admitted.count()
    assert version.sha256 == list_digest(version.rows)
    published = json.dumps(version.rows, ensure_ascii=False)
    for a in admitted.select_related("application"):
        assert a.application.child_id_number not in published
        assert a.application.child_name not in published
    event = AuditEvent.objects.get(action="publication.published")
    body = json.loads(event.canonical)
    assert body["detail"]["sha256"] == version.sha256
    assert body["detail"]["version"] == 1
    assert body["detail"]["rows"] == admitted.count()
    assert body["actor"] == f"user:{clerk.pk}"
    assert "*" not in event.canonical  # no masked personal data either


def test_the_admitted_list_of_the_whole_season_covers_every_admission(
    season: Season, clerk: User, chief: User
) -> None:
    version = publish_list(season, "admitted", None, actor=clerk, approver=chief)
    assert {r["code"] for r in version.rows} == set(
        Admission.objects.filter(season=season).values_list("application__code", flat=True)
    )


def test_the_waitlist_holds_positions_and_lottery_numbers(
    season: Season, clerk: User, chief: User
) -> None:
    version = publish_list(season, "waitlist", None, actor=clerk, approver=chief)
    run = SeasonRun.objects.get(season=season)
    held = Decision.objects.filter(run=run, waitlist_position__isnull=False)
    assert {r["code"] for r in version.rows} == set(
        held.values_list("application__code", flat=True)
    )
    assert all(r["waitlist_position"] and r["lottery_number"] for r in version.rows)


def test_a_second_person_must_approve(season: Season, clerk: User, chief: User) -> None:
    school = _busiest_school(season)
    with pytest.raises(PublicationRefused, match="second person"):
        publish_list(season, "classes", school, actor=clerk, approver=None)
    with pytest.raises(PublicationRefused, match="different person"):
        publish_list(season, "classes", school, actor=clerk, approver=clerk)
    teacher = _user("teacher", Role.SCHOOL_STAFF)
    with pytest.raises(PublicationRefused, match="education-bureau"):
        publish_list(season, "classes", school, actor=clerk, approver=teacher)
    parent = _user("parent", Role.PARENT)
    with pytest.raises(PublicationRefused, match="staff user"):
        publish_list(season, "classes", school, actor=parent, approver=chief)
    assert not PublishedVersion.objects.exists()
    assert not AuditEvent.objects.filter(action="publication.published").exists()


def test_a_list_that_fails_the_k_check_is_refused_with_its_classes(
    season: Season, clerk: User, chief: User, settings: Settings
) -> None:
    school = _busiest_school(season)
    settings.SUNSHINE_PUBLICATION_K = 10_000
    with pytest.raises(PublicationNotAnonymous) as caught:
        publish_list(season, "classes", school, actor=clerk, approver=chief)
    classes = Admission.objects.filter(season=season, school=school).values("class_no").distinct()
    assert len(caught.value.report.small) == classes.count()
    assert "k=10000" in str(caught.value)
    assert not PublishedList.objects.exists()


def test_a_late_insertion_is_a_second_version_with_reason_and_approver(
    season: Season, clerk: User, chief: User
) -> None:
    school = _busiest_school(season)
    first = publish_list(season, "classes", school, actor=clerk, approver=chief)
    # A child seated elsewhere is moved in behind the list's back: the late insertion.
    moved = (
        Admission.objects.filter(season=season, school__stage=school.stage)
        .exclude(school=school)
        .select_related("application")
        .first()
    )
    assert moved is not None
    late = moved.application
    moved.delete()
    Admission.objects.create(
        season=season,
        application=late,
        child_id_number=late.child_id_number,
        school=school,
        kind="admitted",
        class_no=first.rows[0]["class_no"],
    )
    with pytest.raises(PublicationRefused, match="reason"):
        publish_list(season, "classes", school, actor=clerk, approver=chief)
    second = publish_list(
        season, "classes", school, actor=chief, approver=clerk, reason="复核后补录"
    )
    assert second.number == 2
    assert second.previous == first
    diff = diff_rows(first.rows, second.rows)
    assert [r["code"] for r in diff.added] == [late.code]
    assert not diff.removed
    assert not diff.changed
    assert second.approved_by == clerk
    assert second.reason == "复核后补录"
    event = AuditEvent.objects.filter(action="publication.published").order_by("-seq").first()
    assert event is not None
    detail = json.loads(event.canonical)["detail"]
    assert detail["diff"] == {"added": 1, "removed": 0, "changed": 0}
    assert detail["previous_sha256"] == first.sha256
    with pytest.raises(PublicationRefused, match="nothing changed"):
        publish_list(season, "classes", school, actor=clerk, approver=chief, reason="again")


def test_versions_are_immutable(season: Season, clerk: User, chief: User) -> None:
    version = publish_list(season, "admitted", None, actor=clerk, approver=chief)
    version.reason = "rewritten"
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        version.delete()
    with pytest.raises(PermissionError):
        PublishedVersion.objects.filter(pk=version.pk).update(reason="x")
    with pytest.raises(PermissionError):
        PublishedVersion.objects.all().delete()
    with pytest.raises(PermissionError):
        PublishedList.objects.all().delete()


def test_the_database_refuses_a_self_approved_or_unexplained_version(
    season: Season, clerk: User, chief: User
) -> None:
    first = publish_list(season, "admitted", None, actor=clerk, approver=chief)
    fields = {"list": first.list, "rows": [], "sha256": "0" * 64, "published_at": timezone.now()}
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedVersion.objects.create(
            number=2, published_by=clerk, approved_by=clerk, reason="r", **fields
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        PublishedVersion.objects.create(
            number=2, published_by=clerk, approved_by=chief, reason="", **fields
        )
