"""Open311 GeoReport v2: services, a POST and its status read back, lists and errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.test import Client
from pytest_django.fixtures import Settings

from sunshine.accounts.models import RateLimitHit
from sunshine.audit.models import AuditEvent
from sunshine.oversight import services
from sunshine.oversight.models import Case, Reporter
from tests.oversight.conftest import REGION, People, new_case


def test_services_are_the_case_categories() -> None:
    client = Client()
    listed = client.get("/open311/v2/services.json").json()
    codes = {s["service_code"] for s in listed}
    assert {"outside_platform", "bribery", "teacher_gifts", "other"} <= codes
    assert "admission_result" not in codes  # objections need a signed-in family
    assert all(s["type"] == "realtime" and s["metadata"] is False for s in listed)
    one = client.get("/open311/v2/services/bribery.json")
    assert one.json() == {"service_code": "bribery", "attributes": []}
    assert client.get("/open311/v2/services/nope.json").status_code == 404


def test_a_request_posted_then_read_back_with_its_deadline(people: People) -> None:
    client = Client(enforce_csrf_checks=True)  # an outside client has no CSRF token
    posted = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": REGION,
            "service_code": "selection_tests",
            "description": "学校组织入学测试选拔学生",
            "lat": "30.01",
            "long": "120.02",
            "first_name": "张",
            "last_name": "三",
            "phone": "13700000000",
        },
    )
    assert posted.status_code == 200, posted.content
    [receipt] = posted.json()
    code = receipt["service_request_id"]
    case = Case.objects.get(code=code)
    assert (case.channel, case.anonymous, case.category) == ("open311", False, "selection_tests")
    assert Reporter.objects.get(case=case).contact == "13700000000"

    [request] = client.get(f"/open311/v2/requests/{code}.json").json()
    acceptance = case.clocks.get(name="acceptance")
    assert request["status"] == "open"
    assert request["service_code"] == "selection_tests"
    assert request["description"] is None
    assert request["lat"] == 30.01
    assert request["agency_responsible"] == f"{REGION} 县级教育行政部门"
    expected = dt.datetime.fromisoformat(request["expected_datetime"])
    assert expected == acceptance.due_at
    assert dt.datetime.fromisoformat(request["requested_datetime"]) == case.received_at
    assert "张" not in str(request)
    assert "1370" not in str(request)

    services.decide_case(case, actor=people.admin, accept=False, reason="不属于教育部门职责")
    [request] = client.get(f"/open311/v2/requests/{code}.json").json()
    assert request["status"] == "closed"
    assert request["expected_datetime"] is None
    assert request["status_notes"] == "不予受理"


def test_an_anonymous_json_post_and_the_filtered_list(people: People) -> None:
    client = Client()
    posted = client.post(
        "/open311/v2/requests.json",
        {"jurisdiction_id": REGION, "service_code": "key_classes", "description": "快慢班"},
        content_type="application/json",
    )
    code = posted.json()[0]["service_request_id"]
    assert Case.objects.get(code=code).anonymous
    other = new_case(category="over_plan")
    listed = client.get(
        "/open311/v2/requests.json", {"jurisdiction_id": REGION, "service_code": "key_classes"}
    ).json()
    assert [r["service_request_id"] for r in listed] == [code]
    both = client.get("/open311/v2/requests.json", {"service_request_id": f"{code},{other.code}"})
    assert {r["service_request_id"] for r in both.json()} == {code, other.code}
    assert client.get("/open311/v2/requests.json", {"status": "closed"}).json() == []


def test_bad_requests_get_open311_errors(people: People) -> None:
    client = Client()
    cases = [
        ({"jurisdiction_id": REGION, "service_code": "nope", "description": "x"}, "service_code"),
        ({"jurisdiction_id": "33", "service_code": "other", "description": "x"}, "6 digits"),
        ({"jurisdiction_id": REGION, "service_code": "other", "description": " "}, "describe"),
        ({"jurisdiction_id": REGION, "service_code": "other", "description": "x", "lat": "n"},
         "lat"),
    ]  # fmt: skip
    for params, message in cases:
        response = client.post("/open311/v2/requests.json", params)
        assert response.status_code == 400, params
        [error] = response.json()
        assert error["code"] == 400
        assert message in error["description"]
    assert Case.objects.count() == 0
    assert client.get("/open311/v2/requests/TS-NOPE.json").status_code == 404
    bad_date = client.get("/open311/v2/requests.json", {"start_date": "yesterday"})
    assert bad_date.status_code == 400


def _post_from(address: str, **extra: str) -> Any:
    body = {"jurisdiction_id": REGION, "service_code": "other", "description": "乱收费", **extra}
    return Client(REMOTE_ADDR=address).post("/open311/v2/requests.json", body)


def test_posts_are_limited_per_client_address(people: People, settings: Settings) -> None:
    settings.SUNSHINE_OPEN311_MAX_POSTS = 3
    for _ in range(2):
        assert _post_from("198.51.100.7").status_code == 200
    # a refused request still counts: the limit is on POSTs, not on cases
    assert _post_from("198.51.100.7", service_code="nope").status_code == 400
    refused = _post_from("198.51.100.7")
    assert refused.status_code == 429
    [error] = refused.json()  # the Open311 error format, as for every other error
    assert error["code"] == 429
    assert "too many requests" in error["description"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Case.objects.count() == 2
    assert _post_from("198.51.100.8").status_code == 200  # another client is not affected
    # reads are not limited
    assert Client(REMOTE_ADDR="198.51.100.7").get("/open311/v2/requests.json").status_code == 200
    [locked] = AuditEvent.objects.filter(action="open311.locked")
    assert (locked.actor, locked.object_type) == ("open311", "client")
    assert "198.51.100.7" not in locked.canonical


def test_the_default_limit_is_twenty_an_hour_and_then_lifts(people: People) -> None:
    for _ in range(20):
        assert _post_from("198.51.100.7").status_code == 200
    assert _post_from("198.51.100.7").status_code == 429
    assert Case.objects.count() == 20
    # an hour later (the counted POSTs are moved back: the view reads the real clock)
    RateLimitHit.objects.update(at=F("at") - dt.timedelta(hours=1))
    assert _post_from("198.51.100.7").status_code == 200
