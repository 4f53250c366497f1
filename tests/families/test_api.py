"""The family API: the same journey as the pages, through the same services, with the same
scope (another family: 404; staff: 403; signed out: 401) and the same idempotent submit."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Application
from sunshine.families.models import Registration
from tests.families.builders import Family, close_window, make_parent, open_window
from tests.portal.factories import County, build_county, make_user

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def api(client: Client, parent: User) -> Client:
    client.force_login(parent)
    return client


def call(client: Client, method: str, url: str, body: Any = None) -> Any:
    response = getattr(client, method)(f"/api/family{url}", body, content_type=JSON)
    return response


def child(family: Family, **changes: Any) -> dict[str, Any]:
    body = {
        "season": family.season.pk,
        "child_name": "陈小明",
        "child_id_number": family.child_id,
        "stage": "primary",
        "own_id_number": family.mother_id,
        "other_guardian_id": family.father_id,
        "address": family.home.pk,
        "certificate_no": family.certificate,
    }
    body.update(changes)
    return body


def test_the_whole_journey_through_the_api(api: Client, county: County, family: Family) -> None:
    [season] = call(api, "get", "/seasons").json()
    assert season["id"] == county.season.pk
    found = call(api, "get", f"/seasons/{season['id']}/addresses?q=幸福路").json()
    assert family.home.pk in [a["id"] for a in found]
    made = call(api, "post", "/registrations", child(family))
    assert made.status_code == 201
    pk = made.json()["id"]
    assert call(api, "post", "/registrations", child(family)).json()["id"] == pk  # same child
    findings = call(api, "get", f"/registrations/{pk}/findings").json()
    assert len(findings["unanswered"]) == 10
    hukou = next(f for f in findings["findings"] if f["check"] == "hukou")
    assert hukou["reason"] == "HUKOU_AT"
    assert hukou["text_en"].startswith("hukou at the claimed address")
    answers = {f["check"]: {"confirmed": True} for f in findings["findings"]}
    answered = call(api, "put", f"/registrations/{pk}/findings", {"answers": answers}).json()
    assert answered["unanswered"] == []
    schools = call(api, "get", f"/registrations/{pk}/schools").json()
    assert schools["zone"] == "Z01"
    assert [c["code"] for c in schools["candidates"]] == [county.east.code]
    assert schools["candidates"][0]["level_zh"] == "房户一致"
    chosen = call(
        api, "put", f"/registrations/{pk}/choices", {"preferences": [county.east.code]}
    ).json()
    assert chosen["preferences"] == [county.east.code]
    submitted = call(api, "post", f"/registrations/{pk}/submit", {"token": "tok-1"}).json()
    assert submitted["created"] is True
    retried = call(api, "post", f"/registrations/{pk}/submit", {"token": "tok-1"}).json()
    assert retried == {**submitted, "created": False, "changed": False}
    assert Application.objects.filter(child_id_number=family.child_id).count() == 1
    [summary] = call(api, "get", "/applications").json()
    assert summary["code"] == submitted["code"]
    assert summary["source"] == "online"
    detail = call(api, "get", f"/applications/{submitted['application']}").json()
    assert detail["status"] == "submitted"
    assert detail["editable"] is True
    assert detail["outcome"] is None
    assert detail["lottery"] is None
    assert detail["timeline"][0]["kind"] == "event"
    assert {f["check"] for f in detail["findings"]} >= {"hukou", "home", "permit"}
    edit = call(api, "post", f"/applications/{submitted['application']}/edit").json()
    assert edit["id"] == pk
    no_offer = call(
        api, "post", f"/applications/{submitted['application']}/offer", {"accept": True}
    )
    assert no_offer.status_code == 409
    receipt = call(api, "get", f"/applications/{submitted['application']}/receipt")
    assert receipt.status_code == 409  # no checkpoint covers it yet
    objection = call(
        api, "post", f"/applications/{submitted['application']}/objection", {"summary": "有异议"}
    )
    assert objection.status_code == 201
    assert objection.json()["kind"] == "objection"
    complaint = call(
        api, "post", "/complaints", {"category": "selection_tests", "summary": "入学测试"}
    )
    assert complaint.status_code == 201


def test_errors_name_their_field(api: Client, family: Family) -> None:
    bad = call(api, "post", "/registrations", child(family, child_id_number="123"))
    assert bad.status_code == 422
    assert bad.json()["field"] == "child_id_number"
    assert not Registration.objects.exists()


def test_another_family_gets_404(
    client: Client, county: County, family: Family, parent: User
) -> None:
    client.force_login(parent)
    pk = call(client, "post", "/registrations", child(family)).json()["id"]
    client.force_login(make_parent("stranger"))
    assert call(client, "get", f"/registrations/{pk}").status_code == 404
    assert call(client, "get", f"/registrations/{pk}/findings").status_code == 404
    changed = call(client, "put", f"/registrations/{pk}/choices", {"preferences": []})
    assert changed.status_code == 404
    assert call(client, "post", f"/registrations/{pk}/submit", {"token": "x"}).status_code == 404
    assert call(client, "get", "/registrations").json() == []


def _address_ids(client: Client, season_id: int) -> Any:
    response = call(client, "get", f"/seasons/{season_id}/addresses?q=幸福路")
    if response.status_code != 200:
        return response.status_code, None
    return 200, [a["id"] for a in response.json()]


def test_addresses_are_searched_only_in_seasons_open_for_registration(
    api: Client, county: County, family: Family
) -> None:
    """As on the page, the family searches the addresses of a season it may register in: a
    neighbouring county's season that takes no online registrations is 404, and becomes
    searchable once its window opens (a family chooses which county it registers in)."""
    neighbour = build_county("330120", "邻县")
    there = list(
        neighbour.season.addresses.filter(text__contains="幸福路").values_list("pk", flat=True)
    )
    assert there  # the neighbour has addresses the search would find
    status, found = _address_ids(api, county.season.pk)
    assert (status, family.home.pk in found) == (200, True)
    refused = call(api, "get", f"/seasons/{neighbour.season.pk}/addresses?q=幸福路")
    assert refused.status_code == 404
    assert refused.json()["error"] == "not_found"
    assert call(api, "get", "/seasons/999999/addresses?q=幸福路").status_code == 404
    open_window(neighbour.season)
    status, found = _address_ids(api, neighbour.season.pk)
    assert status == 200
    assert set(found) == set(there)


def test_a_family_still_searches_its_own_registrations_season_once_closed(
    client: Client, county: County, family: Family, parent: User
) -> None:
    client.force_login(parent)
    assert call(client, "post", "/registrations", child(family)).status_code == 201
    close_window(county.season)
    status, found = _address_ids(client, county.season.pk)
    assert (status, family.home.pk in found) == (200, True)
    client.force_login(make_parent("stranger"))  # no registration in the closed season
    assert _address_ids(client, county.season.pk) == (404, None)


@pytest.mark.parametrize("role", [Role.SCHOOL_STAFF, Role.BUREAU_ADMIN, Role.INSPECTOR])
def test_staff_get_403(client: Client, county: County, role: Role) -> None:
    client.force_login(make_user(role, region_code="330110"))
    response = call(client, "get", "/applications")
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_signed_out_gets_401(client: Client) -> None:
    assert call(client, "get", "/applications").status_code == 401


def test_every_family_action_is_in_the_openapi_schema(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/family/registrations",
        "/api/family/registrations/{pk}/findings",
        "/api/family/registrations/{pk}/choices",
        "/api/family/registrations/{pk}/submit",
        "/api/family/applications/{pk}/offer",
        "/api/family/applications/{pk}/objection",
        "/api/family/applications/{pk}/receipt",
        "/api/family/complaints",
        "/api/accounts/sign-up/code",
        "/api/accounts/sign-up",
    ):
        assert path in paths, path
