"""Routing by region and category, and the conflict-of-interest rule: a complaint about the
head of the county bureau goes to the city, and the county never sees it."""

from __future__ import annotations

import pytest
from django.test import Client

from sunshine.accounts.models import Role
from sunshine.errors import Invalid, NotAllowed, NotFound
from sunshine.oversight import casework, config, services
from sunshine.oversight.models import Case
from sunshine.oversight.queries import cases_visible_to, visible_case
from tests.oversight.conftest import REGION, People, new_case
from tests.portal.factories import make_user


def test_categories_go_to_their_default_desk(people: People) -> None:
    assert new_case(category="over_plan").handler == people.admin
    bribe = new_case(category="bribery", kind="tip_off")
    assert bribe.handler == people.inspector
    assert bribe.handling_unit == f"{REGION} 派驻纪检监察组"


def test_new_cases_go_to_the_least_loaded_handler_of_the_desk(people: People) -> None:
    first, second, third = (new_case() for _ in range(3))
    assert [first.handler, second.handler, third.handler] == [
        people.admin,
        people.admin2,
        people.admin,
    ]


def test_a_routing_rule_names_the_desk_and_the_handler(people: People) -> None:
    config.set_routing_rule(
        actor=people.admin,
        region_prefix=REGION,
        category="paid_tutoring",
        desk=Role.BUREAU_REVIEWER,
        unit_name="教师工作科",
        handler=people.reviewer,
    )
    routed = new_case(category="paid_tutoring")
    assert (routed.handler, routed.handling_unit) == (people.reviewer, "教师工作科")
    assert new_case(category="over_plan").handler == people.admin  # other categories unchanged
    with pytest.raises(NotAllowed):
        config.set_routing_rule(
            actor=people.other_admin,
            region_prefix=REGION,
            category="",
            desk=Role.BUREAU_ADMIN,
            unit_name="x",
        )


def test_a_complaint_about_the_bureau_head_goes_to_the_city_supervisor(people: People) -> None:
    case = new_case(about_unit_head=True, category="bribery", kind="tip_off")
    assert case.handling_region == "3301"
    assert case.handler == people.supervisor
    assert case.handling_unit == "3301 上级教育行政部门"
    # The accused's own unit sees nothing of it, anywhere.
    for user in (people.admin, people.admin2, people.reviewer, people.inspector):
        assert not cases_visible_to(user).filter(pk=case.pk).exists()
        with pytest.raises(NotFound):
            visible_case(user, case.code)
        client = Client()
        client.force_login(user)
        assert case.code not in client.get("/staff/cases/").content.decode()
        assert client.get(f"/staff/cases/{case.code}/").status_code == 404
        assert client.get(f"/api/cases/{case.code}").status_code == 404
        with pytest.raises(NotAllowed):
            services.decide_case(case, actor=user, accept=True)
    assert not cases_visible_to(people.other_supervisor).filter(pk=case.pk).exists()
    assert visible_case(people.supervisor, case.code) == case
    # Nor can the city hand it back down to the county.
    with pytest.raises(Invalid, match="scope"):
        casework.reassign_case(case, actor=people.supervisor, handler=people.admin, reason="x")
    # It is not listed publicly either (only its own code fetches it).
    assert case.code not in Client().get("/open311/v2/requests.json").content.decode()


def test_without_a_city_supervisor_the_province_supervisor_takes_it(people: People) -> None:
    people.supervisor.is_active = False
    people.supervisor.save()
    province = make_user(Role.SUPERVISOR, "province", region_code="33")
    case = new_case(about_unit_head=True)
    assert (case.handling_region, case.handler) == ("3301", province)


def test_a_hotline_call_about_the_head_leaves_the_county_clerk_without_access(
    people: People,
) -> None:
    client = Client()
    client.force_login(people.reviewer)
    response = client.post(
        "/staff/cases/hotline/",
        {
            "channel": "hotline",
            "received_at": "2025-06-03T10:00",
            "kind": "tip_off",
            "category": "bribery",
            "region_code": REGION,
            "summary": "局长收钱安排入学",
            "about_unit_head": "on",
            "anonymous": "on",
        },
    )
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.code in response.content.decode()
    assert case.handler == people.supervisor
