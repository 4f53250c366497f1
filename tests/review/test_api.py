"""/api/review/: every action of the pages, through the same services, as JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sunshine.accounts.models import User
from sunshine.review.models import CaseState, ReviewCase
from tests.review.world import World

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user: User | None) -> None:
        self.client = Client()
        if user is not None:
            self.client.force_login(user)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/review{path}", params)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.post(
            f"/api/review{path}", json.dumps(body), content_type="application/json"
        )


def test_the_whole_flow_over_the_api(world: World) -> None:
    k1 = world.apps["K1"].pk
    officer, reviewer, reviewer2 = Api(world.officer), Api(world.reviewer), Api(world.reviewer2)

    queue = officer.get("/queue")
    assert queue.status_code == 200
    body = queue.json()
    assert (body["level"], body["count"]) == (1, 3)
    assert [i["code"] for i in body["items"]] == ["K1", "K2", "K3"]
    assert body["items"][0]["child_name"] != world.apps["K1"].child_name  # masked

    detail = officer.get(f"/applications/{k1}").json()
    assert (detail["state"], detail["next_level"], detail["eligible"]) == ("pending_first", 1, True)
    assert {c["check"] for c in detail["checks"]} >= {"id", "age", "hukou", "home"}
    assert [(e["school"], e["tier"]) for e in detail["entries"]] == [("P1", 2), ("P2", 2)]

    first = officer.post(f"/applications/{k1}/decisions", {"level": 1, "decision": "pass"})
    assert first.status_code == 201
    assert first.json()["reviewer"] == "officer"
    assert reviewer.get("/queue").json()["items"][0]["first_level"]["id"] == first.json()["id"]
    second = reviewer.post(f"/applications/{k1}/decisions", {"level": 2, "decision": "pass"})
    assert second.status_code == 201
    assert ReviewCase.objects.get(application_id=k1).state == CaseState.PASSED

    asked = reviewer.post(
        f"/applications/{k1}/overrides",
        {"kind": "tier", "school": "P1", "to_tier": 1, "reason": "材料晚到"},
    )
    assert asked.status_code == 201
    o = asked.json()
    assert (o["state"], o["from_tier"], o["to_tier"], o["school"]) == ("requested", 2, 1, "P1")
    self_approval = reviewer.post(f"/overrides/{o['id']}/approve", {})
    assert self_approval.status_code == 403
    assert self_approval.json()["error"] == "forbidden"
    assert "不能审批本人提出的更正申请" in self_approval.json()["message"]
    assert [x["id"] for x in reviewer2.get("/overrides", state="requested").json()] == [o["id"]]
    approved = reviewer2.post(f"/overrides/{o['id']}/approve", {"note": "同意"})
    assert approved.status_code == 200
    assert (approved.json()["state"], approved.json()["decided_by"]) == ("approved", "reviewer2")

    exception = officer.post(
        f"/applications/{world.apps['K4'].pk}/overrides",
        {"kind": "exception", "check": "age", "reason": "x"},
    )
    assert exception.status_code == 404  # K4 does not list P1: outside the officer's scope
    refused = Api(world.officer2).post(
        f"/applications/{world.apps['K4'].pk}/overrides",
        {"kind": "exception", "check": "age", "reason": "提前入学"},
    )
    assert refused.status_code == 201
    closed = Api(world.admin).post(f"/overrides/{refused.json()['id']}/refuse", {"note": "不符"})
    assert closed.json()["state"] == "refused"


def test_errors_are_json_with_their_field(world: World) -> None:
    k1 = world.apps["K1"].pk
    officer = Api(world.officer)
    missing = officer.post(f"/applications/{k1}/decisions", {"level": 1, "decision": "reject"})
    assert missing.status_code == 422
    assert missing.json()["field"] == "reason"
    level_two = officer.post(f"/applications/{k1}/decisions", {"level": 2, "decision": "pass"})
    assert level_two.status_code == 403
    too_early = Api(world.reviewer).post(
        f"/applications/{k1}/decisions", {"level": 2, "decision": "pass"}
    )
    assert too_early.status_code == 409
    assert Api(world.stranger).get(f"/applications/{k1}").status_code == 404
    assert Api(world.foreign).get("/queue").json()["count"] == 0


@pytest.mark.parametrize("who", ["parent", "witness", "notary"])
def test_outsiders_are_refused_everywhere(world: World, who: str) -> None:
    api = Api(getattr(world, who))
    k1 = world.apps["K1"].pk
    assert api.get("/queue").status_code == 403
    assert api.get(f"/applications/{k1}").status_code == 403
    assert api.get("/overrides").status_code == 403
    assert (
        api.post(f"/applications/{k1}/decisions", {"level": 1, "decision": "pass"}).status_code
        == 403
    )
    asked = api.post(f"/applications/{k1}/overrides", {"kind": "tier", "reason": "x"})
    assert asked.status_code == 403


def test_signing_in_is_required(world: World) -> None:
    assert Api(None).get("/queue").status_code == 401


def test_the_operations_are_in_the_openapi_schema(world: World) -> None:
    schema = Client().get(reverse("api:openapi-json")).json()
    ops = {
        op["operationId"]
        for path, item in schema["paths"].items()
        if path.startswith("/api/review/")
        for op in item.values()
    }
    assert ops == {
        "review_queue",
        "review_application",
        "review_decide",
        "review_request_override",
        "review_overrides",
        "review_approve_override",
        "review_refuse_override",
        "review_reopen",
        "review_withdraw_override",
    }
