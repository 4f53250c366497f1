"""Class assignment by the bureau: the engine's classes again, rebalanced after declines."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from sunshine.accounts.models import Role, User
from sunshine.admissions.class_assignment import assign_season_classes, class_balance
from sunshine.admissions.models import Admission, School, Season
from sunshine.admissions.services import import_package, run_season
from sunshine.audit.models import AuditEvent
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate
from sunshine.errors import Conflict, NotAllowed
from tests.portal.factories import build_county, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("classes")
    generate(path, children=300, seed=7, progress=False)
    return path


@pytest.fixture
def season(package_dir: Path) -> Season:
    season = import_package(read_package(package_dir), actor="test")
    run_season(season, actor="test")
    return season


@pytest.fixture
def admin(season: Season) -> User:
    return make_user(Role.BUREAU_ADMIN, "admin", region_code=season.region_code)


def _classes(season: Season) -> dict[int, int | None]:
    return dict(Admission.objects.filter(season=season).values_list("pk", "class_no"))


def test_right_after_the_season_the_classes_are_the_engines(season: Season, admin: User) -> None:
    before = _classes(season)
    assert any(before.values())
    result = assign_season_classes(season, actor=admin)
    assert result.changed == 0
    assert result.children == len(before)
    assert _classes(season) == before
    event = AuditEvent.objects.get(action="classes.assigned")
    assert event.actor == f"user:{admin.pk}"


def test_after_declines_the_classes_are_rebalanced(season: Season, admin: User) -> None:
    school_id = Admission.objects.filter(season=season).values_list("school_id", flat=True).first()
    declined = list(Admission.objects.filter(season=season, school_id=school_id, class_no=1)[:5])
    Admission.objects.filter(pk__in=[a.pk for a in declined]).update(accepted=False)
    result = assign_season_classes(season, actor=admin)
    assert result.changed >= len(declined)
    assert all(_classes(season)[a.pk] is None for a in declined)
    balance = class_balance(season, School.objects.filter(season=season))
    assert balance
    for school in balance:
        assert school.balanced, school
        assert school.unassigned == 0
        assert school.spread_children <= 1
    total = sum(c.children for b in balance for c in b.classes)
    assert total == Admission.objects.filter(season=season).exclude(accepted=False).count()
    # Running again changes nothing: the same seed, the same children.
    assert assign_season_classes(season, actor=admin).changed == 0


@pytest.mark.parametrize(
    ("role", "region"),
    [
        (Role.BUREAU_REVIEWER, None),
        (Role.SCHOOL_STAFF, None),
        (Role.INSPECTOR, None),
        (Role.PARENT, None),
        (Role.BUREAU_ADMIN, "999999"),
    ],
)
def test_only_an_administrator_of_the_county_assigns_classes(
    season: Season, role: Role, region: str | None
) -> None:
    user = make_user(role, region_code=region or season.region_code)
    Admission.objects.filter(season=season).update(class_no=None)
    with pytest.raises(NotAllowed):
        assign_season_classes(season, actor=user)
    assert not any(_classes(season).values())
    assert not AuditEvent.objects.filter(action="classes.assigned").exists()


def test_classes_wait_for_a_season_run(db: None) -> None:
    county = build_county()
    admin = make_user(Role.BUREAU_ADMIN, region_code="330110")
    with pytest.raises(Conflict):
        assign_season_classes(county.season, actor=admin)


def test_the_page_shows_the_balance_and_runs_for_the_administrator(
    client: Client, season: Season, admin: User
) -> None:
    inspector = make_user(Role.INSPECTOR, region_code=season.region_code)
    client.force_login(inspector)
    page = client.get("/staff/planning/classes/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="balance-summary"' in html
    assert 'data-testid="run-classes"' not in html
    run_url = f"/staff/planning/seasons/{season.pk}/classes/"
    refused = client.post(run_url)
    assert refused.status_code == 403
    assert 'data-testid="classes-error"' in refused.content.decode()
    assert not AuditEvent.objects.filter(action="classes.assigned").exists()

    client.force_login(admin)
    assert 'data-testid="run-classes"' in client.get("/staff/planning/classes/").content.decode()
    assert client.post(run_url).status_code == 302
    assert AuditEvent.objects.filter(action="classes.assigned").count() == 1
