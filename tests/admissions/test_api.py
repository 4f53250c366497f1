"""The staff read API (/api/admissions/): the staff list's scope, masking and audit, as JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sunshine.accounts.models import Role, User
from sunshine.audit.models import AuditEvent
from sunshine.core.ids import mask_id, mask_name
from tests.portal.factories import County, build_county, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(db: None) -> County:
    return build_county()


def _as(client: Client, user: User | None) -> Client:
    if user is not None:
        client.force_login(user)
    return client


def _json(client: Client, url: str, expect: int = 200, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == expect, response.content
    return response.json()


def _codes(body: dict[str, Any]) -> list[str]:
    return [item["code"] for item in body["items"]]


def test_signing_in_is_required(client: Client, county: County) -> None:
    body = _json(client, "/api/admissions/seasons", 401)
    assert body == {"error": "unauthenticated", "message": "sign in first"}


@pytest.mark.parametrize("role", [Role.PARENT, Role.NOTARY, Role.WITNESS])
def test_non_staff_roles_are_refused(client: Client, county: County, role: Role) -> None:
    _as(client, make_user(role))
    assert _json(client, "/api/admissions/seasons", 403)["error"] == "forbidden"
    url = f"/api/admissions/seasons/{county.season.pk}/applications"
    assert _json(client, url, 403)["error"] == "forbidden"


def test_school_staff_read_their_school_only(client: Client, county: County) -> None:
    _as(client, make_user(Role.SCHOOL_STAFF, school=county.east))
    season = county.season.pk
    assert [s["id"] for s in _json(client, "/api/admissions/seasons")] == [season]
    schools = _json(client, f"/api/admissions/seasons/{season}/schools")
    assert [s["code"] for s in schools] == [county.east.code]
    body = _json(client, f"/api/admissions/seasons/{season}/applications")
    apps = county.applications
    assert _codes(body) == [apps["a1"].code, apps["a3"].code]  # they listed the east school
    assert _json(client, f"/api/admissions/seasons/{season}/applications/{apps['a2'].code}", 404)
    refused = _json(
        client, f"/api/admissions/seasons/{season}/applications", 422, school=county.west.code
    )
    assert refused["field"] == "school"


def test_another_countys_bureau_cannot_tell_the_season_exists(
    client: Client, county: County
) -> None:
    build_county("330120", "邻县")
    _as(client, make_user(Role.BUREAU_ADMIN, region_code="330120"))
    body = _json(client, f"/api/admissions/seasons/{county.season.pk}/applications", 404)
    assert body["error"] == "not_found"


def test_a_supervisor_reads_every_county_of_the_city(client: Client, county: County) -> None:
    other = build_county("330120", "邻县")
    build_county("330210", "别市县")
    _as(client, make_user(Role.SUPERVISOR, region_code="3301"))
    ids = {s["id"] for s in _json(client, "/api/admissions/seasons")}
    assert ids == {county.season.pk, other.season.pk}


def test_names_are_masked_and_filters_apply(client: Client, county: County) -> None:
    _as(client, make_user(Role.BUREAU_REVIEWER, region_code="330110"))
    before = AuditEvent.objects.count()
    url = f"/api/admissions/seasons/{county.season.pk}/applications"
    body = _json(client, url, status="admitted")
    a2 = county.applications["a2"]
    assert _codes(body) == [a2.code]
    item = body["items"][0]
    assert (item["child_name"], item["child_id_number"], item["unmasked"]) == (
        mask_name(a2.child_name),
        mask_id(a2.child_id_number),
        False,
    )
    assert item["admission"]["school_code"] == county.west.code
    assert [p["school_code"] for p in item["preferences"]] == [county.west.code]
    assert _codes(_json(client, url, stage="junior")) == [county.applications["j1"].code]
    assert _codes(_json(client, url, school=county.private.code)) == [
        county.applications["a4"].code
    ]
    assert AuditEvent.objects.count() == before  # masked reads are not disclosures


def test_the_bureau_admin_reads_names_in_the_clear_and_it_is_logged(
    client: Client, county: County
) -> None:
    admin = make_user(Role.BUREAU_ADMIN, region_code="330110")
    _as(client, admin)
    a1 = county.applications["a1"]
    body = _json(client, f"/api/admissions/seasons/{county.season.pk}/applications/{a1.code}")
    assert (body["child_name"], body["child_id_number"], body["unmasked"]) == (
        a1.child_name,
        a1.child_id_number,
        True,
    )
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert (event.action, event.actor) == ("applications.personal_data_viewed", f"user:{admin.pk}")
    assert a1.code in event.canonical
    assert a1.child_name not in event.canonical


def test_pages_of_fifty(client: Client, county: County) -> None:
    _as(client, make_user(Role.INSPECTOR, region_code="330110"))
    body = _json(client, f"/api/admissions/seasons/{county.season.pk}/applications", page=99)
    assert (body["count"], body["page"], body["pages"]) == (len(county.applications), 1, 1)
