"""JSON API of the campaigns app (mounted under /api/campaigns/ by sunshine.config.api).

Every action the pages offer, through the same services: campaigns, phases, tasks, overdue
alerts, the summary report, the roll-up; the blacklist is in ``api_blacklist``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from sunshine.campaigns import services
from sunshine.campaigns.api_blacklist import router as blacklist_router
from sunshine.campaigns.api_schemas import (
    CampaignDetailOut,
    CampaignOut,
    PhaseOut,
    RollupOut,
    SummaryOut,
    TaskOut,
    county_out,
    detail_out,
    task_out,
)
from sunshine.campaigns.models import Campaign, Phase, Task
from sunshine.campaigns.rollup import rollup_for
from sunshine.campaigns.scope import READER_ROLES, campaigns_visible_to, region_of
from sunshine.campaigns.summary import campaign_summary, campaign_view, visible_campaign
from sunshine.campaigns.xlsx import summary_workbook
from sunshine.errors import Invalid, NotAllowed

router = Router(tags=["campaigns"])
router.add_router("/blacklist", blacklist_router)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reader(request: HttpRequest) -> Any:
    user = request.user
    if getattr(user, "role", None) not in READER_ROLES or region_of(user) is None:
        raise NotAllowed("campaigns: not permitted for this account")
    return user


class CampaignIn(Schema):
    name: str
    level: str
    region_code: str
    starts_on: dt.date
    ends_on: dt.date
    description: str = ""


class PhaseIn(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date
    description: str = ""


class TaskIn(Schema):
    title: str
    responsible_unit: str
    deadline: dt.date
    phase_id: int | None = None
    region_code: str = ""


class TaskStatusIn(Schema):
    status: str
    note: str = ""


class AlertsOut(Schema):
    alerted: list[TaskOut]


@router.get("/", response=list[CampaignOut], auth=django_auth)
def list_campaigns(request: HttpRequest) -> Any:
    return campaigns_visible_to(reader(request)).order_by("-starts_on", "-pk")


@router.post("/", response={201: CampaignOut}, auth=django_auth)
def create_campaign(request: HttpRequest, body: CampaignIn) -> Any:
    campaign = services.create_campaign(
        actor=reader(request), now=timezone.now(), **body.model_dump()
    )
    return Status(201, campaign)


@router.get("/rollup", response=RollupOut, auth=django_auth)
def rollup(request: HttpRequest, prefix: str = "") -> Any:
    report = rollup_for(reader(request), as_of=timezone.now(), prefix=prefix)
    return {
        "scope": report.scope,
        "as_of": report.as_of,
        "counties": [county_out(c) for c in report.counties],
        "rankings": report.rankings,
    }


@router.post("/alerts", response=AlertsOut, auth=django_auth)
def run_alerts(request: HttpRequest) -> Any:
    alerted = services.alert_overdue_tasks(actor=reader(request), as_of=timezone.now())
    today = timezone.localdate()
    return {"alerted": [task_out(t, today) for t in alerted]}


@router.get("/{int:campaign_id}", response=CampaignDetailOut, auth=django_auth)
def campaign_detail(request: HttpRequest, campaign_id: int) -> Any:
    campaign = visible_campaign(reader(request), campaign_id)
    return detail_out(campaign_view(campaign, today=timezone.localdate()))


@router.post("/{int:campaign_id}/phases", response={201: PhaseOut}, auth=django_auth)
def add_phase(request: HttpRequest, campaign_id: int, body: PhaseIn) -> Any:
    user = reader(request)
    campaign = visible_campaign(user, campaign_id)
    phase = services.add_phase(campaign, actor=user, now=timezone.now(), **body.model_dump())
    return Status(201, phase)


@router.post("/{int:campaign_id}/tasks", response={201: TaskOut}, auth=django_auth)
def add_task(request: HttpRequest, campaign_id: int, body: TaskIn) -> Any:
    user = reader(request)
    campaign = visible_campaign(user, campaign_id)
    data = body.model_dump()
    phase_id = data.pop("phase_id")
    phase = None
    if phase_id is not None:
        phase = Phase.objects.filter(pk=phase_id, campaign=campaign).first()
        if phase is None:
            raise Invalid("no such phase in this campaign", field="phase_id")
    task = services.add_task(campaign, actor=user, now=timezone.now(), phase=phase, **data)
    return Status(201, task_out(task, timezone.localdate()))


@router.post("/tasks/{int:task_id}/status", response=TaskOut, auth=django_auth)
def set_task_status(request: HttpRequest, task_id: int, body: TaskStatusIn) -> Any:
    user = reader(request)
    task = get_object_or_404(
        Task.objects.select_related("campaign"),
        pk=task_id,
        campaign__in=campaigns_visible_to(user),
    )
    task = services.set_task_status(task, actor=user, now=timezone.now(), **body.model_dump())
    return task_out(task, timezone.localdate())


@router.get("/{int:campaign_id}/summary", response=SummaryOut, auth=django_auth)
def summary(request: HttpRequest, campaign_id: int) -> Any:
    user = reader(request)
    report = campaign_summary(visible_campaign(user, campaign_id), user=user, as_of=timezone.now())
    return {
        **detail_out(report.view),
        "as_of": report.as_of,
        "scope": report.scope,
        "counties": [county_out(c) for c in report.counties],
    }


@router.get("/{int:campaign_id}/summary.xlsx", auth=django_auth)
def summary_xlsx(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = reader(request)
    campaign: Campaign = visible_campaign(user, campaign_id)
    report = campaign_summary(campaign, user=user, as_of=timezone.now())
    response = HttpResponse(summary_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-summary.xlsx"'
    return response
