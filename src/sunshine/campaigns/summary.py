"""A campaign's summary report (总结): its phases and tasks as of a day, and for each county it
covers the cases handled during the campaign (from the audit log) and the county's ledgers
(from ``sunshine.ledgers.queries``). The page, the API and the .xlsx export all read this."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.campaigns import schedule
from sunshine.campaigns.models import Campaign, Phase, Task
from sunshine.campaigns.rollup import CountyColumn, build_rollup
from sunshine.campaigns.scope import campaigns_visible_to, covers, is_system, region_of
from sunshine.errors import NotFound


@dataclass(frozen=True, slots=True)
class PhaseRow:
    phase: Phase
    state: schedule.PhaseState


@dataclass(frozen=True, slots=True)
class TaskRow:
    task: Task
    overdue: bool  # not done and past its deadline
    late: bool  # done, but after its deadline


@dataclass(frozen=True, slots=True)
class TaskCounts:
    total: int
    done: int
    done_late: int
    overdue: int
    open: int


@dataclass(frozen=True, slots=True)
class CampaignView:
    """The campaign's timeline and task table as of a day (the detail page)."""

    campaign: Campaign
    today: dt.date
    phases: list[PhaseRow]
    tasks: list[TaskRow]
    counts: TaskCounts


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    view: CampaignView
    as_of: dt.datetime
    scope: str  # the region whose counties are shown
    counties: list[CountyColumn]


def visible_campaign(user: Any, pk: int) -> Campaign:
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise NotFound(_("没有找到该专项行动，或它不在您的辖区内。"))
    return campaign


def campaign_view(campaign: Campaign, *, today: dt.date) -> CampaignView:
    phases = [
        PhaseRow(p, schedule.phase_state(p.starts_on, p.ends_on, today))
        for p in campaign.phases.all()
    ]
    rows = []
    for task in campaign.tasks.select_related("phase").order_by("number"):
        is_done = task.status == Task.Status.DONE
        completed_on = timezone.localdate(task.completed_at) if task.completed_at else None
        rows.append(
            TaskRow(
                task,
                overdue=schedule.is_overdue(task.deadline, is_done, today),
                late=schedule.finished_late(task.deadline, completed_on),
            )
        )
    done = [r for r in rows if r.task.status == Task.Status.DONE]
    counts = TaskCounts(
        total=len(rows),
        done=len(done),
        done_late=sum(r.late for r in done),
        overdue=sum(r.overdue for r in rows),
        open=len(rows) - len(done),
    )
    return CampaignView(campaign, today, phases, rows, counts)


def _summary_scope(user: Any, campaign: Campaign) -> str:
    """The campaign's region, narrowed to the reader's own when the reader is below it (a
    county reading its city's campaign sees its own county's figures)."""
    if is_system(user):
        return campaign.region_code
    own = region_of(user) or campaign.region_code
    return own if covers(campaign.region_code, own) else campaign.region_code


def campaign_summary(campaign: Campaign, *, user: Any, as_of: dt.datetime) -> CampaignSummary:
    """The report of ``campaign`` as of ``as_of`` (capped at the campaign's last day)."""
    campaign = visible_campaign(user, campaign.pk)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(campaign.starts_on, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(campaign.ends_on, dt.time.max, tzinfo=zone)
    until = min(as_of, end)
    scope = _summary_scope(user, campaign)
    rollup = build_rollup(scope, as_of=until, since=start, user=user)
    view = campaign_view(campaign, today=timezone.localdate(until))
    return CampaignSummary(view=view, as_of=until, scope=scope, counties=rollup.counties)
