"""The staff ceremony API: each step, the co-signed redraw, and the scope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from sunshine.accounts.models import Role, User
from sunshine.ceremony.models import Ceremony, Redraw
from tests.portal.factories import County, build_county, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> County:
    return build_county()


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_a_ceremony_through_the_api(county: County) -> None:
    admin = _as(make_user(Role.BUREAU_ADMIN, "admin", region_code="330110"))
    make_user(Role.BUREAU_ADMIN, "admin2", region_code="330110")
    notary = _as(make_user(Role.NOTARY, "notary"))

    created = _post(admin, "/api/lottery/ceremonies", {"season": county.season.pk, "label": "L"})
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["pool_size"] == 5
    url = f"/api/lottery/ceremonies/{pk}"

    assert _post(notary, f"{url}/announce", {"witness_roles": ["notary"]}).status_code == 403
    assert _post(admin, f"{url}/announce", {"witness_roles": ["notary"]}).json()["state"] == (
        "announced"
    )
    early = _post(admin, f"{url}/draw")
    assert early.status_code == 409
    typed = _post(notary, f"{url}/inputs", {"role": "notary", "name": "张", "value": "7"})
    assert typed.status_code == 201
    assert typed.json()["entered_roles"] == ["notary"]
    assert typed.json()["seed"] == ""
    drawn = _post(admin, f"{url}/draw")
    assert drawn.json()["state"] == "drawn"
    assert drawn.json()["seed"]

    redraw = {"reason": "停电", "cosigner_username": "admin", "cosigner_password": PASSWORD}
    same = _post(admin, f"{url}/redraw", redraw)
    assert (same.status_code, same.json()["field"]) == (403, "cosigner_username")
    wrong = _post(
        admin, f"{url}/redraw", {**redraw, "cosigner_username": "admin2", "cosigner_password": "no"}
    )
    assert (wrong.status_code, wrong.json()["field"]) == (422, "cosigner_password")
    notary_cosign = {**redraw, "cosigner_username": "notary"}
    assert _post(admin, f"{url}/redraw", notary_cosign).status_code == 403
    assert not Redraw.objects.exists()
    again = _post(admin, f"{url}/redraw", {**redraw, "cosigner_username": "admin2"})
    assert (again.status_code, again.json()["state"], again.json()["redraws"]) == (
        200,
        "announced",
        1,
    )


@pytest.mark.parametrize("role", [Role.PARENT, Role.SCHOOL_STAFF, Role.BUREAU_REVIEWER])
def test_roles_outside_the_ceremony_are_refused(county: County, role: Role) -> None:
    client = _as(make_user(role, region_code="330110"))
    assert client.get("/api/lottery/ceremonies").status_code == 403
    body = {"season": county.season.pk, "label": "L"}
    assert _post(client, "/api/lottery/ceremonies", body).status_code == 403
    assert not Ceremony.objects.exists()


def test_another_county_cannot_freeze_or_see(county: County) -> None:
    far = _as(make_user(Role.BUREAU_ADMIN, region_code="330122"))
    body = {"season": county.season.pk, "label": "L"}
    assert _post(far, "/api/lottery/ceremonies", body).status_code == 404
    admin = _as(make_user(Role.BUREAU_ADMIN, region_code="330110"))
    pk = _post(admin, "/api/lottery/ceremonies", body).json()["id"]
    assert far.get(f"/api/lottery/ceremonies/{pk}").status_code == 404
    assert (
        _post(far, f"/api/lottery/ceremonies/{pk}/announce", {"witness_roles": ["a"]}).status_code
        == 404
    )


def test_signed_out_calls_are_unauthenticated(county: County) -> None:
    assert Client().get("/api/lottery/ceremonies").status_code == 401


def test_a_redraw_is_refused_429_once_the_cosigner_is_locked_out(county: County) -> None:
    admin = _as(make_user(Role.BUREAU_ADMIN, "admin", region_code="330110"))
    make_user(Role.BUREAU_ADMIN, "admin2", region_code="330110")
    created = _post(admin, "/api/lottery/ceremonies", {"season": county.season.pk, "label": "L"})
    url = f"/api/lottery/ceremonies/{created.json()['id']}/redraw"
    redraw = {"reason": "停电", "cosigner_username": "admin2", "cosigner_password": "no"}
    for _ in range(5):
        assert _post(admin, url, redraw).status_code == 422
    locked = _post(admin, url, {**redraw, "cosigner_password": PASSWORD})
    assert (locked.status_code, locked.json()["field"]) == (429, "cosigner_password")
    assert not Redraw.objects.exists()
