"""The upper-level roll-up: several counties side by side, their three rates computed from
case events in the audit log (written with record_event, as the complaints app does)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from sunshine.audit.services import record_event
from sunshine.campaigns import services
from sunshine.campaigns.rollup import build_rollup, rollup_for
from sunshine.errors import Invalid, NotAllowed
from tests.campaigns.conftest import CITY, COUNTY, NEIGHBOUR, NOW, People, county_campaign
from tests.portal.factories import make_season
from tests.portal.html_text import visible_text

pytestmark = pytest.mark.django_db
AS_OF = NOW
T0 = NOW - dt.timedelta(days=60)


def at(days: float) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


def event(case: str, action: str, days: float, **detail: Any) -> None:
    with transaction.atomic():
        record_event(
            actor="system",
            action=action,
            object_type="case",
            object_id=case,
            detail=detail,
            at=at(days),
        )


def received(case: str, region: str, days: float = 0) -> None:
    event(case, "case.received", days, region_code=region, kind="complaint", category="fees")


def closed(case: str, region: str, days: float, on_time: bool, satisfaction: str | None) -> None:
    event(case, "case.closed", days, region_code=region, on_time=on_time, satisfaction=satisfaction)


@pytest.fixture
def counties(db: None) -> None:
    """Three counties of city 3301 and one of city 3302, with these cases:

    330110 示范县: 4 received; 3 accepted in time, 1 declined in time; 3 closed (2 on time),
                   rated satisfied, basically, unsatisfied -> response 4/4, resolution 3/3,
                   satisfaction 2/3.
    330122 邻县:   3 received; 2 accepted (one on day 20: late), 1 never decided (overdue);
                   1 closed, satisfied -> response 1/3, resolution 1/2, satisfaction 1/1.
    330102 (no season): 1 received, accepted, escalated -> response 1/1, resolution 0/1.
    330201 (city 3302): 1 received.
    """
    make_season("330110", "示范县")
    make_season("330122", "邻县")
    make_season("330201", "远县")
    for n in range(1, 5):
        received(f"A{n}", "330110")
    for n in (1, 2, 3):
        event(f"A{n}", "case.accepted", 2)
    event("A4", "case.declined", 1)
    closed("A1", "330110", 30, True, "satisfied")
    closed("A2", "330110", 40, True, "basically")
    closed("A3", "330110", 50, False, "unsatisfied")
    event("A3", "case.clock_warning", 35)
    for n in (1, 2, 3):
        received(f"B{n}", "330122")
    event("B1", "case.accepted", 3)
    event("B2", "case.accepted", 20)
    closed("B1", "330122", 10, True, "satisfied")
    received("C1", "330102")
    event("C1", "case.accepted", 1)
    event("C1", "case.escalated", 55)
    received("D1", "330201")


def test_every_county_of_the_city_side_by_side_with_exact_figures(
    counties: None, people: People
) -> None:
    report = rollup_for(people.supervisor, as_of=AS_OF)
    assert report.scope == "3301"
    by_code = {c.region_code: c for c in report.counties}
    assert list(by_code) == ["330102", "330110", "330122"]
    a, b, c = by_code["330110"], by_code["330122"], by_code["330102"]
    assert a.region_name == "示范县"
    assert c.region_name == "330102"
    assert (a.cases.received, a.cases.accepted, a.cases.declined, a.cases.closed) == (4, 3, 1, 3)
    assert (a.cases.response_rate, a.cases.resolution_rate) == (1.0, 1.0)
    assert a.cases.satisfaction_rate == 2 / 3
    assert (a.cases.overdue, a.cases.warnings) == (1, 1)  # A3 closed late
    assert (b.cases.received, b.cases.accepted, b.cases.closed) == (3, 2, 1)
    assert b.cases.response_rate == 1 / 3
    assert b.cases.resolution_rate == 1 / 2
    assert b.cases.satisfaction_rate == 1.0
    assert b.cases.overdue == 2  # B2 decided late, B3 never decided
    assert (c.cases.response_rate, c.cases.resolution_rate, c.cases.satisfaction_rate) == (
        1.0,
        0.0,
        None,
    )
    assert c.cases.escalated == 1
    assert report.rankings == {
        "response_rate": ["330102", "330110", "330122"],  # 1.0 tie broken by code
        "resolution_rate": ["330110", "330122", "330102"],
        "satisfaction_rate": ["330122", "330110", "330102"],  # no rating ranks last
    }
    assert a.places == {"response_rate": 2, "resolution_rate": 1, "satisfaction_rate": 2}


def test_a_narrower_prefix_and_a_since_date(counties: None, people: People) -> None:
    report = rollup_for(people.supervisor, as_of=AS_OF, prefix="330110")
    assert [c.region_code for c in report.counties] == ["330110"]
    # Only the cases received from day 25 on (a campaign's cohort), with all their events.
    received("C2", "330102", days=30)
    event("C2", "case.accepted", 31)
    late = build_rollup("3301", as_of=AS_OF, since=at(25))
    by_code = {c.region_code: c.cases for c in late.counties}
    assert by_code["330102"].received == by_code["330102"].accepted == 1
    assert by_code["330110"].received == by_code["330110"].closed == 0  # closed A1-A3 are older
    assert by_code["330122"].received == 0


def test_a_county_user_sees_its_own_county_only(counties: None, people: People) -> None:
    report = rollup_for(people.inspector, as_of=AS_OF)
    assert [c.region_code for c in report.counties] == ["330110"]
    with pytest.raises(NotAllowed):
        rollup_for(people.inspector, as_of=AS_OF, prefix="3301")
    with pytest.raises(NotAllowed):
        rollup_for(people.other_supervisor, as_of=AS_OF, prefix="3301")
    assert [c.region_code for c in rollup_for(people.other_supervisor, as_of=AS_OF).counties] == [
        "330201"
    ]
    with pytest.raises(Invalid):
        rollup_for(people.supervisor, as_of=AS_OF, prefix="33a")


@pytest.mark.parametrize("who", ["parent", "school_staff"])
def test_other_roles_are_refused(counties: None, people: People, who: str) -> None:
    with pytest.raises(NotAllowed):
        rollup_for(getattr(people, who), as_of=AS_OF)


def test_the_page_shows_the_counties_side_by_side(
    counties: None, people: People, client: Client
) -> None:
    client.force_login(people.supervisor)
    response = client.get("/staff/campaigns/rollup/")
    assert response.status_code == 200
    html = response.content.decode()
    header = html[html.index("<thead>") : html.index("</thead>")]
    assert header.index("330102") < header.index("示范县") < header.index("邻县")
    assert "远县" not in html
    text = visible_text(html)
    assert "66.7%" in text  # 示范县's satisfaction
    assert "33.3%" in text  # 邻县's response
    client.force_login(people.parent)
    assert client.get("/staff/campaigns/rollup/").status_code == 403
    client.force_login(people.inspector)
    assert client.get("/staff/campaigns/rollup/?prefix=3301").status_code == 403


def test_the_api_gives_the_same_figures(counties: None, people: People, client: Client) -> None:
    client.force_login(people.supervisor)
    body = client.get("/api/campaigns/rollup").json()
    assert [c["region_code"] for c in body["counties"]] == ["330102", "330110", "330122"]
    b = body["counties"][2]
    assert (b["received"], b["responded_on_time"], b["response_due"]) == (3, 1, 3)
    assert body["rankings"]["satisfaction_rate"][0] == "330122"
    assert client.get("/api/campaigns/rollup", {"prefix": "3302"}).status_code == 403
    client.logout()
    assert client.get("/api/campaigns/rollup").status_code == 401


def test_overdue_tasks_count_for_the_county_that_answers_for_them(people: People) -> None:
    county = county_campaign(people)  # 2026-07-28 .. 2026-09-30
    services.add_task(
        county,
        actor=people.admin,
        title="县级任务",
        responsible_unit="各中小学",
        deadline=dt.date(2026, 8, 10),
        now=NOW,
    )
    city = services.create_campaign(
        actor=people.supervisor,
        name="市级行动",
        level="city",
        region_code=CITY,
        starts_on=dt.date(2026, 7, 1),
        ends_on=dt.date(2026, 12, 31),
        now=NOW,
    )
    for region in (COUNTY, NEIGHBOUR, ""):
        services.add_task(
            city,
            actor=people.supervisor,
            title="上报问题清单",
            responsible_unit="县市区教育局",
            deadline=dt.date(2026, 8, 20),
            region_code=region,
            now=NOW,
        )
    report = build_rollup(CITY, as_of=dt.datetime(2026, 9, 1, tzinfo=dt.UTC))
    overdue = {c.region_code: c.tasks_overdue for c in report.counties}
    # The county's own task and the city task naming it; the city's unassigned task is nobody's.
    assert overdue == {COUNTY: 2, NEIGHBOUR: 1}
