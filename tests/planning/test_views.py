"""The planning pages: forms with field messages, co-signature, publication, public page."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from sunshine.accounts.models import User
from sunshine.admissions.models import School, Zone
from sunshine.planning.models import PlanChange, ZoneChange
from sunshine.planning.services import publish_zone_change
from tests.planning.conftest import PASSWORD, People, at
from tests.portal.factories import County, square

pytestmark = pytest.mark.django_db
HOME = "/staff/planning/"


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _future(days: int = 30) -> str:
    return (timezone.localtime() + timezone.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _plan(county: County, username: str, password: str, **extra: str) -> dict[str, str]:
    return {
        "school": str(county.east.pk),
        "plan_seats": "135",
        "effective_from": _future(),
        "reason": "新建教学楼",
        "cosigner_username": username,
        "cosigner_password": password,
        **extra,
    }


def test_the_overview_lists_schools_zones_and_offers_forms_to_the_bureau(
    county: County, people: People
) -> None:
    html = _as(people.reviewer).get(HOME).content.decode()
    for shown in ("城东小学", "Z02", 'data-testid="plan-change-form"', "cosigner_password"):
        assert shown in html
    assert 'data-testid="apply-form"' not in html  # only an administrator applies
    assert 'data-testid="apply-form"' in _as(people.admin).get(HOME).content.decode()
    inspector = _as(people.inspector).get(HOME)
    assert inspector.status_code == 200
    assert 'data-testid="plan-change-form"' not in inspector.content.decode()


@pytest.mark.parametrize("who", ["parent", "witness"])
def test_non_staff_are_refused(county: County, people: People, who: str) -> None:
    assert _as(getattr(people, who)).get(HOME).status_code == 403


def test_a_plan_change_is_registered_with_a_cosignature(county: County, people: People) -> None:
    client = _as(people.reviewer)
    url = f"/staff/planning/seasons/{county.season.pk}/plans/"
    refused = client.post(url, _plan(county, "reviewer", PASSWORD))
    assert refused.status_code == 403
    assert "会签人必须是另一个人" in refused.content.decode()
    assert client.post(url, _plan(county, "admin", "nope")).status_code == 422
    assert client.post(url, _plan(county, "school", PASSWORD)).status_code == 403
    assert client.post(url, _plan(county, "other-admin", PASSWORD)).status_code == 403
    too_few = client.post(
        url, _plan(county, "admin", PASSWORD, school=str(county.west.pk), plan_seats="0")
    )
    assert too_few.status_code == 422
    assert 'data-testid="error-plan_seats"' in too_few.content.decode()
    assert not PlanChange.objects.exists()

    done = client.post(url, _plan(county, "admin", PASSWORD))
    assert done.status_code == 302
    change = PlanChange.objects.get()
    assert (change.requested_by, change.approved_by) == (people.reviewer, people.admin)
    assert School.objects.get(pk=county.east.pk).plan_seats == 90  # not before its date


def test_a_zone_change_is_drafted_published_and_shown_to_the_public(
    county: County, people: People
) -> None:
    zone = Zone.objects.get(season=county.season, code="Z01")
    form_url = f"/staff/planning/seasons/{county.season.pk}/zones/new/"
    data = {
        "zone": str(zone.pk),
        "geometry": json.dumps({"type": "Feature", "geometry": square(120.0, 30.0, 0.07)}),
        "schools": [str(county.east.pk), str(county.west.pk)],
        "effective_from": _future(),
        "reason": "新小区交付",
    }
    reviewer = _as(people.reviewer)
    assert reviewer.get(form_url).status_code == 200
    bad = reviewer.post(form_url, {**data, "geometry": '{"type": "Polygon", "coordinates": [[[0'})
    assert bad.status_code == 422
    assert 'data-testid="error-geometry"' in bad.content.decode()
    crossing = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]
    bow_tie = reviewer.post(
        form_url, {**data, "geometry": json.dumps({"type": "Polygon", "coordinates": crossing})}
    )
    assert bow_tie.status_code == 422
    assert "Self-intersection" in bow_tie.content.decode()

    created = reviewer.post(form_url, data)
    assert created.status_code == 302
    change = ZoneChange.objects.get()
    assert change.geometry == square(120.0, 30.0, 0.07)
    public = Client()
    assert public.get(f"/staff/planning/public/zones/{change.pk}/").status_code == 404  # a draft
    assert "Z01" not in public.get("/staff/planning/public/").content.decode()

    # The reviewer may draft but not publish; the administrator publishes.
    assert reviewer.post(f"/staff/planning/zones/{change.pk}/publish/").status_code == 403
    admin = _as(people.admin)
    assert admin.post(f"/staff/planning/zones/{change.pk}/publish/").status_code == 302
    change.refresh_from_db()
    assert change.state == ZoneChange.State.PUBLISHED

    listing = public.get("/staff/planning/public/")
    assert listing.status_code == 200
    assert "Z01" in listing.content.decode()
    detail = public.get(f"/staff/planning/public/zones/{change.pk}/").content.decode()
    assert 'class="old"' in detail
    assert 'class="new"' in detail
    assert "城西小学" in detail


def test_publishing_too_late_is_refused_on_the_page(county: County, people: People) -> None:
    from sunshine.planning.services import draft_zone_change

    change = draft_zone_change(
        county.season,
        actor=people.reviewer,
        zone=Zone.objects.get(season=county.season, code="Z01"),
        geometry=square(120.0, 30.0, 0.07),
        schools=[county.east],
        effective_from=at(10),
        reason="x",
        now=at(1),
    )
    response = _as(people.admin).post(f"/staff/planning/zones/{change.pk}/publish/")
    assert response.status_code == 422
    assert 'data-testid="publish-error"' in response.content.decode()


def test_applying_due_changes_from_the_page(county: County, people: People) -> None:
    from sunshine.planning.services import draft_zone_change

    change = draft_zone_change(
        county.season,
        actor=people.reviewer,
        zone=Zone.objects.get(season=county.season, code="Z01"),
        geometry=square(120.0, 30.0, 0.07),
        schools=[county.west],
        effective_from=at(20),
        reason="x",
        now=at(1),
    )
    publish_zone_change(change, actor=people.admin, now=at(2))
    url = f"/staff/planning/seasons/{county.season.pk}/apply/"
    assert _as(people.reviewer).post(url, {}).status_code == 403
    future = _as(people.admin).post(url, {"as_of": _future(2)})
    assert future.status_code == 422
    assert 'data-testid="error-as_of"' in future.content.decode()
    assert _as(people.admin).post(url, {}).status_code == 302
    change.refresh_from_db()
    assert change.state == ZoneChange.State.EFFECTIVE


def test_another_countys_season_is_not_found(county: County, people: People) -> None:
    client = _as(people.other_admin)
    assert client.get(HOME, {"season": county.season.pk}).status_code == 404
    url = f"/staff/planning/seasons/{county.season.pk}/plans/"
    assert client.post(url, _plan(county, "admin", PASSWORD)).status_code == 404
