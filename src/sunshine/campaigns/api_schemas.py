"""Output schemas of the campaigns API and the conversions the handlers share."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Schema

from sunshine.campaigns import schedule
from sunshine.campaigns.models import Task
from sunshine.campaigns.rollup import CountyColumn
from sunshine.campaigns.summary import CampaignView


class CampaignOut(Schema):
    id: int
    name: str
    level: str
    region_code: str
    starts_on: dt.date
    ends_on: dt.date
    description: str


class PhaseOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    description: str
    state: str | None = None  # done | current | upcoming (in a campaign's detail)


class TaskOut(Schema):
    id: int
    campaign_id: int
    number: int
    title: str
    responsible_unit: str
    region_code: str
    phase_id: int | None
    deadline: dt.date
    status: str
    note: str
    completed_at: dt.datetime | None
    overdue_alerted_at: dt.datetime | None
    overdue: bool
    late: bool


class TaskCountsOut(Schema):
    total: int
    done: int
    done_late: int
    overdue: int
    open: int


class CampaignDetailOut(Schema):
    campaign: CampaignOut
    today: dt.date
    phases: list[PhaseOut]
    tasks: list[TaskOut]
    counts: TaskCountsOut


class CountyOut(Schema):
    region_code: str
    region_name: str
    received: int
    accepted: int
    declined: int
    closed: int
    open: int
    overdue: int
    escalated: int
    reopened: int
    warnings: int
    response_due: int
    responded_on_time: int
    resolved: int
    rated: int
    content: int
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None
    places: dict[str, int]
    ledgers: dict[str, int | float | str] | None
    tasks_overdue: int
    blacklist_published: int


class RollupOut(Schema):
    scope: str
    as_of: dt.datetime
    counties: list[CountyOut]
    rankings: dict[str, list[str]]


class SummaryOut(CampaignDetailOut):
    as_of: dt.datetime
    scope: str
    counties: list[CountyOut]


def task_out(task: Task, today: dt.date) -> dict[str, Any]:
    done = task.status == Task.Status.DONE
    completed_on = timezone.localdate(task.completed_at) if task.completed_at else None
    return {
        "id": task.pk,
        "campaign_id": task.campaign_id,
        "number": task.number,
        "title": task.title,
        "responsible_unit": task.responsible_unit,
        "region_code": task.region_code,
        "phase_id": task.phase_id,
        "deadline": task.deadline,
        "status": task.status,
        "note": task.note,
        "completed_at": task.completed_at,
        "overdue_alerted_at": task.overdue_alerted_at,
        "overdue": schedule.is_overdue(task.deadline, done, today),
        "late": schedule.finished_late(task.deadline, completed_on),
    }


def detail_out(view: CampaignView) -> dict[str, Any]:
    return {
        "campaign": view.campaign,
        "today": view.today,
        "phases": [
            {
                "id": r.phase.pk,
                "name": r.phase.name,
                "starts_on": r.phase.starts_on,
                "ends_on": r.phase.ends_on,
                "description": r.phase.description,
                "state": r.state,
            }
            for r in view.phases
        ],
        "tasks": [task_out(r.task, view.today) for r in view.tasks],
        "counts": view.counts,
    }


def county_out(county: CountyColumn) -> dict[str, Any]:
    cases = county.cases
    figures = county.ledgers.figures if county.ledgers else None
    return {
        **{name: getattr(cases, name) for name in CountyOut.model_fields if hasattr(cases, name)},
        "region_code": county.region_code,
        "region_name": county.region_name,
        "places": county.places,
        "ledgers": None if figures is None else {f.key: f.value for f in figures},
        "tasks_overdue": county.tasks_overdue,
        "blacklist_published": county.blacklist_published,
    }
