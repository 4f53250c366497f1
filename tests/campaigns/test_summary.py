"""A campaign's summary report: its counties, its cohort of cases, and who sees which county."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from sunshine.audit.services import record_event
from sunshine.campaigns import services
from sunshine.campaigns.models import Campaign
from sunshine.campaigns.summary import campaign_summary
from sunshine.errors import NotFound
from sunshine.ledgers import services as ledger_services
from tests.campaigns.conftest import CITY, COUNTY, NEIGHBOUR, NOW, TZ, People
from tests.portal.factories import make_season

pytestmark = pytest.mark.django_db


def case(cid: str, region: str, at: dt.datetime, satisfaction: str) -> None:
    with transaction.atomic():
        record_event(
            actor="system",
            action="case.received",
            object_type="case",
            object_id=cid,
            detail={"region_code": region},
            at=at,
        )
        record_event(
            actor="system",
            action="case.accepted",
            object_type="case",
            object_id=cid,
            detail={"region_code": region, "on_time": True},
            at=at + dt.timedelta(days=1),
        )
        record_event(
            actor="system",
            action="case.closed",
            object_type="case",
            object_id=cid,
            detail={"region_code": region, "on_time": True, "satisfaction": satisfaction},
            at=at + dt.timedelta(days=5),
        )


@pytest.fixture
def city(people: People) -> Campaign:
    make_season(COUNTY, "示范县")
    make_season(NEIGHBOUR, "邻县")
    campaign = services.create_campaign(
        actor=people.supervisor,
        name="义务教育阳光招生专项行动",
        level="city",
        region_code=CITY,
        starts_on=dt.date(2026, 5, 28),
        ends_on=dt.date(2026, 10, 20),
        now=NOW,
    )
    case("before", COUNTY, dt.datetime(2026, 5, 1, tzinfo=TZ), "unsatisfied")  # not the cohort
    case("a", COUNTY, dt.datetime(2026, 6, 2, tzinfo=TZ), "satisfied")
    case("b", NEIGHBOUR, dt.datetime(2026, 6, 3, tzinfo=TZ), "unsatisfied")
    case("late", NEIGHBOUR, dt.datetime(2026, 11, 1, tzinfo=TZ), "satisfied")  # after the end
    ledger_services.create_row(
        "violation",
        NEIGHBOUR,
        actor=people.neighbour_admin,
        values={"violator": "邻县实验小学", "behaviour": "组织入学测试", "handling": "约谈校长"},
    )
    return campaign


def test_a_city_campaign_reports_each_county_of_its_cohort(city: Campaign, people: People) -> None:
    report = campaign_summary(
        city, user=people.supervisor, as_of=dt.datetime(2026, 12, 1, tzinfo=TZ)
    )
    assert report.as_of == dt.datetime.combine(
        city.ends_on, dt.time.max, tzinfo=report.as_of.tzinfo
    )
    assert report.scope == CITY
    columns = {c.region_code: c for c in report.counties}
    assert set(columns) == {COUNTY, NEIGHBOUR}
    assert (columns[COUNTY].cases.received, columns[COUNTY].cases.satisfaction_rate) == (1, 1.0)
    assert (columns[NEIGHBOUR].cases.received, columns[NEIGHBOUR].cases.satisfaction_rate) == (
        1,
        0.0,
    )
    assert columns[NEIGHBOUR].ledgers is not None
    assert columns[NEIGHBOUR].ledgers.value("violations") == 1
    assert columns[COUNTY].ledgers is not None
    assert columns[COUNTY].ledgers.value("violations") == 0


def test_a_county_reading_its_citys_campaign_sees_its_own_county(
    city: Campaign, people: People
) -> None:
    report = campaign_summary(city, user=people.admin, as_of=dt.datetime(2026, 12, 1, tzinfo=TZ))
    assert report.scope == COUNTY
    assert [c.region_code for c in report.counties] == [COUNTY]
    with pytest.raises(NotFound):
        campaign_summary(city, user=people.other_supervisor, as_of=NOW)
