"""Campaign services: who may create and change what, the date rules, and overdue alerts that
are recorded exactly once per task."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from sunshine.audit import services as audit_services
from sunshine.audit.models import AuditEvent
from sunshine.campaigns import services
from sunshine.campaigns.models import Campaign, Phase, Task
from sunshine.campaigns.scope import campaigns_visible_to
from sunshine.campaigns.summary import campaign_view
from sunshine.errors import Conflict, Invalid, NotAllowed
from tests.campaigns.conftest import CITY, COUNTY, NEIGHBOUR, NOW, TZ, People, county_campaign

pytestmark = pytest.mark.django_db


def detail(action: str) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(action=action).order_by("seq")
    return [json.loads(e.canonical)["detail"] for e in events]


def city_campaign(people: People) -> Campaign:
    return services.create_campaign(
        actor=people.supervisor,
        name="教育领域几个突出问题集中整治",
        level=Campaign.Level.CITY,
        region_code=CITY,
        starts_on=dt.date(2026, 6, 30),
        ends_on=dt.date(2026, 12, 25),
        now=NOW,
    )


def test_a_county_campaign_with_its_phases_is_created_and_audited(people: People) -> None:
    campaign = county_campaign(people)
    assert [p.name for p in campaign.phases.all()] == ["自查自纠", "督查整改", "建章立制"]
    assert campaign.created_by == people.admin
    assert detail("campaign.created") == [
        {
            "level": "county",
            "region_code": COUNTY,
            "starts_on": "2026-07-28",
            "ends_on": "2026-09-30",
        }
    ]
    assert [d["name"] for d in detail("campaign.phase_added")] == [
        "自查自纠",
        "督查整改",
        "建章立制",
    ]


@pytest.mark.parametrize("who", ["reviewer", "inspector", "parent", "school_staff"])
def test_only_administrators_and_supervisors_create_campaigns(people: People, who: str) -> None:
    with pytest.raises(NotAllowed):
        county_campaign(people, actor=getattr(people, who))


def test_a_campaign_stays_inside_its_creators_region(people: People) -> None:
    with pytest.raises(NotAllowed):
        services.create_campaign(
            actor=people.admin,
            name="x",
            level=Campaign.Level.COUNTY,
            region_code=NEIGHBOUR,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1),
            now=NOW,
        )
    with pytest.raises(NotAllowed):  # a county may not open its city's campaign
        services.create_campaign(
            actor=people.admin,
            name="x",
            level=Campaign.Level.CITY,
            region_code=CITY,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1),
            now=NOW,
        )
    assert not Campaign.objects.exists()
    assert not AuditEvent.objects.filter(action="campaign.created").exists()


@pytest.mark.parametrize(
    ("level", "code", "field"),
    [("county", "3301", "region_code"), ("city", "330110", "region_code"), ("town", CITY, "level")],
)
def test_the_level_fixes_the_code_length(people: People, level: str, code: str, field: str) -> None:
    with pytest.raises(Invalid) as error:
        services.create_campaign(
            actor=people.supervisor,
            name="x",
            level=level,
            region_code=code,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 2, 1),
            now=NOW,
        )
    assert error.value.field == field


def test_dates_must_be_in_order(people: People) -> None:
    with pytest.raises(Invalid) as error:
        county_campaign(people, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 8, 1))
    assert error.value.field == "ends_on"


def test_phases_stay_inside_the_campaign_and_never_overlap(people: People) -> None:
    campaign = county_campaign(people)
    with pytest.raises(Invalid):
        services.add_phase(
            campaign,
            actor=people.admin,
            name="总结",
            starts_on=dt.date(2026, 10, 1),
            ends_on=dt.date(2026, 10, 20),
            now=NOW,
        )
    with pytest.raises(Conflict, match="督查整改"):
        services.add_phase(
            campaign,
            actor=people.admin,
            name="回头看",
            starts_on=dt.date(2026, 8, 31),
            ends_on=dt.date(2026, 8, 31),
            now=NOW,
        )
    assert campaign.phases.count() == 3


def test_phase_states_follow_the_day(people: People) -> None:
    campaign = county_campaign(people)
    states = [r.state for r in campaign_view(campaign, today=dt.date(2026, 8, 11)).phases]
    assert states == ["done", "current", "upcoming"]


def test_tasks_are_numbered_and_keep_their_deadline_inside_the_campaign(people: People) -> None:
    campaign = county_campaign(people)
    phase = campaign.phases.get(name="自查自纠")
    first = services.add_task(
        campaign,
        actor=people.admin,
        title="建立问题台账，明确责任人和整改时限",
        responsible_unit="教育体育局各科室、各中小学",
        deadline=dt.date(2026, 8, 10),
        phase=phase,
        now=NOW,
    )
    second = services.add_task(
        campaign,
        actor=people.admin,
        title="对标对表开展专项督查",
        responsible_unit="县纪委监委派驻第五纪检监察组",
        deadline=dt.date(2026, 8, 31),
        now=NOW,
    )
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(Invalid) as error:
        services.add_task(
            campaign,
            actor=people.admin,
            title="x",
            responsible_unit="y",
            deadline=dt.date(2026, 10, 1),
            now=NOW,
        )
    assert error.value.field == "deadline"
    other = county_campaign(people, name="另一行动")
    with pytest.raises(Invalid) as error:
        services.add_task(
            campaign,
            actor=people.admin,
            title="x",
            responsible_unit="y",
            deadline=dt.date(2026, 8, 1),
            phase=other.phases.first(),
            now=NOW,
        )
    assert error.value.field == "phase"
    assert campaign.tasks.count() == 2


def test_visibility_follows_the_region_tree(people: People) -> None:
    mine = county_campaign(people)
    city = city_campaign(people)
    theirs = services.create_campaign(
        actor=people.neighbour_admin,
        name="邻县行动",
        level="county",
        region_code=NEIGHBOUR,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 1),
        now=NOW,
    )
    assert set(campaigns_visible_to(people.inspector)) == {mine, city}
    assert set(campaigns_visible_to(people.neighbour_admin)) == {theirs, city}
    assert set(campaigns_visible_to(people.supervisor)) == {mine, city, theirs}
    assert not campaigns_visible_to(people.other_supervisor).exists()
    assert not campaigns_visible_to(people.parent).exists()


def test_a_county_updates_its_own_task_of_a_city_campaign_but_not_others(people: People) -> None:
    city = city_campaign(people)
    mine = services.add_task(
        city,
        actor=people.supervisor,
        title="上报问题清单",
        responsible_unit="县市区教育局",
        deadline=dt.date(2026, 7, 20),
        region_code=COUNTY,
        now=NOW,
    )
    theirs = services.add_task(
        city,
        actor=people.supervisor,
        title="上报问题清单",
        responsible_unit="县市区教育局",
        deadline=dt.date(2026, 7, 20),
        region_code=NEIGHBOUR,
        now=NOW,
    )
    services.set_task_status(mine, actor=people.admin, status="in_progress", now=NOW)
    assert mine.status == Task.Status.IN_PROGRESS
    with pytest.raises(NotAllowed):
        services.set_task_status(theirs, actor=people.admin, status="done", now=NOW)
    with pytest.raises(NotAllowed):  # a county may not add tasks to its city's campaign
        services.add_task(
            city,
            actor=people.admin,
            title="x",
            responsible_unit="y",
            deadline=dt.date(2026, 8, 1),
            now=NOW,
        )
    with pytest.raises(NotAllowed):
        services.set_task_status(mine, actor=people.inspector, status="done", now=NOW)
    with pytest.raises(Invalid):
        services.add_task(
            city,
            actor=people.supervisor,
            title="x",
            responsible_unit="y",
            deadline=dt.date(2026, 8, 1),
            region_code="330201",  # outside the city
            now=NOW,
        )


def test_done_records_when_and_whether_late(people: People) -> None:
    campaign = county_campaign(people)
    task = services.add_task(
        campaign,
        actor=people.admin,
        title="x",
        responsible_unit="y",
        deadline=dt.date(2026, 8, 10),
        now=NOW,
    )
    late = dt.datetime(2026, 8, 11, 9, 0, tzinfo=TZ)
    services.set_task_status(task, actor=people.admin, status="done", note="已完成", now=late)
    assert task.completed_at == late
    assert task.note == "已完成"
    assert detail("campaign.task_status")[-1] == {
        "campaign": campaign.pk,
        "from": "open",
        "to": "done",
        "late": True,
    }
    services.set_task_status(task, actor=people.admin, status="in_progress", now=late)
    assert task.completed_at is None
    with pytest.raises(Conflict):
        services.set_task_status(task, actor=people.admin, status="in_progress", now=late)
    with pytest.raises(Invalid):
        services.set_task_status(task, actor=people.admin, status="finished", now=late)


def _tasks(people: People) -> tuple[Campaign, list[Task]]:
    campaign = county_campaign(people)
    tasks = [
        services.add_task(
            campaign,
            actor=people.admin,
            title=f"任务{n}",
            responsible_unit="各中小学",
            deadline=deadline,
            now=NOW,
        )
        for n, deadline in enumerate(
            [dt.date(2026, 8, 10), dt.date(2026, 8, 10), dt.date(2026, 8, 31)], start=1
        )
    ]
    return campaign, tasks


def test_overdue_alerts_are_recorded_once_per_task(people: People) -> None:
    _, (t1, t2, t3) = _tasks(people)
    services.set_task_status(t2, actor=people.admin, status="done", now=NOW)
    # On the deadline day nothing is overdue yet: the work is due by the end of the day.
    assert (
        services.alert_overdue_tasks(
            actor="system", as_of=dt.datetime(2026, 8, 10, 23, 59, tzinfo=TZ)
        )
        == []
    )
    as_of = dt.datetime(2026, 8, 11, 0, 1, tzinfo=TZ)
    assert services.alert_overdue_tasks(actor="system", as_of=as_of) == [t1]
    assert services.alert_overdue_tasks(actor=people.admin, as_of=as_of) == []
    later = dt.datetime(2026, 9, 2, 8, 0, tzinfo=TZ)
    assert services.alert_overdue_tasks(actor=people.admin, as_of=later) == [t3]
    assert services.alert_overdue_tasks(actor="system", as_of=later) == []
    alerts = detail("campaign.task_overdue")
    assert [(d["number"], d["days_overdue"]) for d in alerts] == [(1, 1), (3, 2)]
    assert all(d["region_code"] == COUNTY for d in alerts)
    t1.refresh_from_db()
    assert t1.overdue_alerted_at == as_of


def test_overdue_alerts_stay_inside_the_actors_region(people: People) -> None:
    _tasks(people)
    later = dt.datetime(2026, 9, 2, 8, 0, tzinfo=TZ)
    assert services.alert_overdue_tasks(actor=people.neighbour_admin, as_of=later) == []
    with pytest.raises(NotAllowed):
        services.alert_overdue_tasks(actor=people.parent, as_of=later)
    assert len(services.alert_overdue_tasks(actor=people.supervisor, as_of=later)) == 3


def _city_tasks(people: People) -> tuple[Task, Task, Task]:
    """Overdue tasks of the city's campaign: one naming COUNTY, one NEIGHBOUR, one neither."""
    campaign = city_campaign(people)
    made = [
        services.add_task(
            campaign,
            actor=people.supervisor,
            title=f"督查{code or '全市'}",
            responsible_unit="基础教育科",
            deadline=dt.date(2026, 8, 10),
            region_code=code,
            now=NOW,
        )
        for code in (COUNTY, NEIGHBOUR, "")
    ]
    return made[0], made[1], made[2]


def _alerted_ids() -> list[str]:
    return list(
        AuditEvent.objects.filter(action="campaign.task_overdue")
        .order_by("seq")
        .values_list("object_id", flat=True)
    )


def test_a_county_sweep_leaves_the_neighbours_city_task_alone(people: People) -> None:
    """Both counties read the city's campaign, but each answers only for the tasks naming it:
    the neighbour's sweep leaves COUNTY's task unflagged and unaudited; COUNTY's own flags it."""
    of_county, of_neighbour, of_city = _city_tasks(people)
    later = dt.datetime(2026, 9, 2, 8, 0, tzinfo=TZ)
    assert services.alert_overdue_tasks(actor=people.neighbour_admin, as_of=later) == [of_neighbour]
    assert _alerted_ids() == [str(of_neighbour.pk)]
    of_county.refresh_from_db()
    assert of_county.overdue_alerted_at is None
    assert services.alert_overdue_tasks(actor=people.admin, as_of=later) == [of_county]
    assert _alerted_ids() == [str(of_neighbour.pk), str(of_county.pk)]
    assert detail("campaign.task_overdue")[1]["region_code"] == COUNTY
    of_city.refresh_from_db()
    assert of_city.overdue_alerted_at is None  # the city's own task: no county answers for it
    assert services.alert_overdue_tasks(actor=people.supervisor, as_of=later) == [of_city]


def test_the_city_supervisor_sweeps_every_county_of_the_city(people: People) -> None:
    tasks = list(_city_tasks(people))
    later = dt.datetime(2026, 9, 2, 8, 0, tzinfo=TZ)
    assert services.alert_overdue_tasks(actor=people.other_supervisor, as_of=later) == []
    assert services.alert_overdue_tasks(actor=people.supervisor, as_of=later) == tasks
    assert _alerted_ids() == [str(t.pk) for t in tasks]
    assert services.alert_overdue_tasks(actor=people.admin, as_of=later) == []


def test_an_alert_run_that_fails_half_way_leaves_nothing_behind(
    people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tasks(people)
    real = audit_services.record_event
    calls = []

    def fail_on_second(**kwargs: Any) -> Any:
        calls.append(kwargs["object_id"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "record_event", fail_on_second)
    later = dt.datetime(2026, 9, 2, 8, 0, tzinfo=TZ)
    with pytest.raises(RuntimeError):
        services.alert_overdue_tasks(actor="system", as_of=later)
    assert not Task.objects.filter(overdue_alerted_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="campaign.task_overdue").exists()
    monkeypatch.undo()
    assert len(services.alert_overdue_tasks(actor="system", as_of=later)) == 3


def test_a_phase_is_deleted_with_its_campaign_and_a_task_keeps_its_row(people: People) -> None:
    campaign, (t1, *_rest) = _tasks(people)
    phase = campaign.phases.first()
    assert phase is not None
    t1.phase = phase
    t1.save()
    phase.delete()
    t1.refresh_from_db()
    assert t1.phase is None
    campaign.delete()
    assert not Phase.objects.exists()
    assert not Task.objects.exists()
