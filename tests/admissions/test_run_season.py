"""The web path runs the same engine over the database and records the outcome atomically."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db.models import Count

from sunshine.admissions.models import (
    Admission,
    Application,
    Decision,
    School,
    Season,
    SeasonRun,
)
from sunshine.admissions.services import import_package, run_season
from sunshine.audit.models import AuditEvent
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(tmp_path: Path) -> Season:
    generate(tmp_path, children=500, seed=5, progress=False)
    return import_package(read_package(tmp_path), actor="test")


def test_every_application_gets_a_decision_and_no_school_exceeds_its_plan(season: Season) -> None:
    run = run_season(season, actor="test")
    applications = Application.objects.filter(season=season).count()
    assert Decision.objects.filter(run=run).count() == applications
    for school in School.objects.filter(season=season).annotate(n=Count("admissions")):
        assert school.n <= school.plan_seats, school.code
    admitted = Admission.objects.filter(season=season)
    assert admitted.exists()
    assert not admitted.filter(class_no__isnull=True).exists()
    statuses = set(Application.objects.filter(season=season).values_list("status", flat=True))
    assert "submitted" not in statuses
    decision = Decision.objects.filter(run=run, status="admitted").first()
    assert decision is not None
    assert decision.explanation["zh"]
    assert decision.explanation["en"]


def test_a_run_is_audited_with_a_digest_and_no_personal_data(season: Season) -> None:
    run = run_season(season, actor="test")
    event = AuditEvent.objects.get(action="season.run")
    body = json.loads(event.canonical)
    assert body["detail"]["run"] == run.pk
    assert body["detail"]["lottery_seed"] == run.lottery_seed
    child = Application.objects.filter(season=season).first()
    assert child is not None
    assert child.child_id_number not in event.canonical
    assert child.child_name not in event.canonical


def test_running_again_replaces_the_admissions_and_reproduces_them(season: Season) -> None:
    first = run_season(season, actor="test")
    before = sorted(Admission.objects.values_list("application__code", "school__code"))
    second = run_season(season, actor="test")
    after = sorted(Admission.objects.values_list("application__code", "school__code"))
    assert before == after
    assert second.lottery_seed == first.lottery_seed
    assert SeasonRun.objects.filter(season=season).count() == 2


def test_an_answer_to_an_offer_survives_a_rerun_offering_the_same_school(season: Season) -> None:
    run_season(season, actor="test")
    accepted, declined, moved = Admission.objects.filter(season=season).order_by("pk")[:3]
    Admission.objects.filter(pk=accepted.pk).update(accepted=True)
    Admission.objects.filter(pk=declined.pk).update(accepted=False)
    # An answer given for another school does not carry over to this run's offer.
    other = School.objects.filter(season=season).exclude(pk=moved.school_id).first()
    assert other is not None
    Admission.objects.filter(pk=moved.pk).update(accepted=True, school=other)
    run_season(season, actor="test")
    answers = dict(
        Admission.objects.filter(season=season).values_list("application_id", "accepted")
    )
    assert answers[accepted.application_id] is True
    assert answers[declined.application_id] is False
    assert answers[moved.application_id] is None
    assert sum(a is not None for a in answers.values()) == 2
