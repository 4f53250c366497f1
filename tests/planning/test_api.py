"""The planning JSON API: the same services, scope and refusals as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sunshine.accounts.models import User
from sunshine.admissions.models import School
from sunshine.planning.models import PlanChange, ZoneChange
from tests.planning.conftest import PASSWORD, People
from tests.portal.factories import County, admit, square

pytestmark = pytest.mark.django_db


def _as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _future(days: int = 30) -> str:
    return (timezone.now() + timezone.timedelta(days=days)).isoformat()


def test_plan_change_by_api_with_cosign_refusals(county: County, people: People) -> None:
    url = f"/api/planning/seasons/{county.season.pk}/plan-changes"
    body = {
        "school": county.east.code,
        "plan_seats": 100,
        "effective_from": _future(),
        "reason": "扩班",
        "cosigner_username": "admin",
        "cosigner_password": PASSWORD,
    }
    client = _as(people.reviewer)
    same = _post(client, url, {**body, "cosigner_username": "reviewer"})
    assert same.status_code == 403
    assert same.json()["field"] == "cosigner_username"
    wrong = _post(client, url, {**body, "cosigner_password": "x"})
    assert (wrong.status_code, wrong.json()["field"]) == (422, "cosigner_password")
    naive = _post(client, url, {**body, "effective_from": "2030-01-01T09:00:00"})
    assert (naive.status_code, naive.json()["field"]) == (422, "effective_from")
    unknown = _post(client, url, {**body, "school": "NOPE"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "school")

    created = _post(client, url, body)
    assert created.status_code == 201
    out = created.json()
    assert (out["school"], out["plan_seats"], out["state"]) == (county.east.code, 100, "scheduled")
    assert (out["requested_by"], out["approved_by"]) == ("reviewer", "admin")

    withdraw = f"/api/planning/plan-changes/{out['id']}/withdraw"
    assert _post(client, withdraw, {"reason": "x"}).status_code == 403  # reviewer: no
    assert _post(_as(people.other_admin), withdraw, {"reason": "x"}).status_code == 404
    done = _post(_as(people.admin), withdraw, {"reason": "预算未批"})
    assert (done.status_code, done.json()["state"]) == (200, "withdrawn")


def test_zone_change_lifecycle_by_api(county: County, people: People) -> None:
    url = f"/api/planning/seasons/{county.season.pk}/zone-changes"
    body = {
        "zone": None,
        "code": "Z07",
        "stage": "primary",
        "geometry": square(120.1, 30.0, 0.03),
        "schools": [county.west.code],
        "effective_from": _future(),
        "reason": "新建片区",
    }
    reviewer = _as(people.reviewer)
    bad = _post(reviewer, url, {**body, "geometry": {"type": "Point", "coordinates": [1, 2]}})
    assert (bad.status_code, bad.json()["field"]) == (422, "geometry")
    created = _post(reviewer, url, body)
    assert created.status_code == 201
    pk = created.json()["id"]
    assert created.json()["new_zone"] is True

    public = Client().get("/api/planning/public/changes").json()
    assert public["zone_changes"] == []  # a draft is not public

    assert _post(reviewer, f"/api/planning/zone-changes/{pk}/publish").status_code == 403
    published = _post(_as(people.admin), f"/api/planning/zone-changes/{pk}/publish")
    assert (published.status_code, published.json()["state"]) == (200, "published")
    public = Client().get("/api/planning/public/changes").json()
    assert [z["code"] for z in public["zone_changes"]] == ["Z07"]
    assert public["zone_changes"][0]["schools"] == [county.west.code]

    applied = _post(_as(people.admin), f"/api/planning/seasons/{county.season.pk}/apply")
    assert applied.status_code == 200
    assert applied.json()["zones"] == []  # not due for a month
    later = {"as_of": _future()}
    ahead = _post(_as(people.admin), f"/api/planning/seasons/{county.season.pk}/apply", later)
    assert (ahead.status_code, ahead.json()["field"]) == (422, "as_of")
    assert ZoneChange.objects.get(pk=pk).state == ZoneChange.State.PUBLISHED


def test_reads_are_scoped(county: County, people: People) -> None:
    url = f"/api/planning/seasons/{county.season.pk}"
    assert Client().get(url).status_code == 401
    assert _as(people.parent).get(url).status_code == 403
    assert _as(people.other_admin).get(url).status_code == 404
    out = _as(people.inspector).get(url).json()
    assert {s["code"] for s in out["schools"]} >= {county.east.code, county.west.code}
    assert {z["code"] for z in out["zones"]} == {"Z01", "Z02", "ZJ1"}


def test_dashboard_by_api(county: County, people: People) -> None:
    out = _as(people.school).get(f"/api/planning/seasons/{county.season.pk}/dashboard").json()
    assert [d["school"] for d in out["demand"]] == [county.east.code]  # only their school
    counts = {s["status"]: s["count"] for s in out["statuses"]}
    assert counts["submitted"] == 2  # a1 and a3 list the east school
    assert [b["level"] for b in out["backlog"]] == [1, 2]
    assert (
        _as(people.witness).get(f"/api/planning/seasons/{county.season.pk}/dashboard").status_code
        == 403
    )


def test_publication_by_api(county: County, people: People) -> None:
    admit(county.applications["a1"], county.west)
    base = f"/api/planning/seasons/{county.season.pk}/publications"
    reviewer = _as(people.reviewer)
    preview = reviewer.get(f"{base}/preview", {"kind": "admitted", "school": county.west.code})
    assert preview.status_code == 200
    out = preview.json()
    assert (out["total"], out["refusal"]) == (2, "")
    assert all("*" in row["name"] for row in out["rows"])
    body = {
        "kind": "admitted",
        "school": county.west.code,
        "cosigner_username": "school",
        "cosigner_password": PASSWORD,
    }
    assert _post(reviewer, base, body).status_code == 403  # a school officer cannot co-sign
    published = _post(reviewer, base, {**body, "cosigner_username": "admin"})
    assert published.status_code == 201
    assert published.json()["number"] == 1
    lists = reviewer.get(base).json()
    assert lists[0]["versions"] == [1]
    assert _as(people.inspector).get(base).status_code == 403


def test_classes_by_api_need_a_run(county: County, people: People) -> None:
    url = f"/api/planning/seasons/{county.season.pk}/classes"
    assert _post(_as(people.reviewer), url).status_code == 403
    assert _post(_as(people.admin), url).status_code == 409  # no season run yet
    assert _as(people.inspector).get(url).status_code == 200
    assert School.objects.get(pk=county.east.pk).plan_seats == 90
    assert not PlanChange.objects.exists()
