"""Campaign use cases: create a campaign, add its phases and tasks, move a task, alert what is
overdue. Each is one transaction that checks role and scope first and writes its audit event
in the same transaction. Time comes in as an argument (``now``/``as_of``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.audit.services import Actor, record_event
from sunshine.campaigns import schedule
from sunshine.campaigns.models import LEVEL_DIGITS, Campaign, Phase, Task
from sunshine.campaigns.scope import (
    covers,
    is_system,
    may_manage,
    may_update_task,
    region_of,
    tasks_answered_by,
)
from sunshine.errors import Conflict, Invalid, NotAllowed

__all__ = [
    "add_phase",
    "add_task",
    "alert_overdue_tasks",
    "create_campaign",
    "set_task_status",
]


def _text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(_("此项不能为空。"), field=field)
    if len(value) > max_length:
        raise Invalid(_("不能超过 %(n)d 个字符。") % {"n": max_length}, field=field)
    return value


def _dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if starts_on > ends_on:
        raise Invalid(_("结束日期不能早于开始日期。"), field="ends_on")


def _require_manager(actor: Actor, campaign: Campaign, action: str) -> None:
    require_role(actor, Role.BUREAU_ADMIN, Role.SUPERVISOR, action=action)
    if not may_manage(actor, campaign):
        raise NotAllowed(_("该专项行动不在您的管理范围内。"))


def create_campaign(
    *,
    actor: Actor,
    name: str,
    level: str,
    region_code: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
    now: dt.datetime,
) -> Campaign:
    """A bureau administrator opens a county campaign; a supervisor one of its region."""
    require_role(actor, Role.BUREAU_ADMIN, Role.SUPERVISOR, action="create a campaign")
    name = _text(name, "name", 200)
    if level not in LEVEL_DIGITS:
        raise Invalid(_("未知的层级：%(level)s") % {"level": level}, field="level")
    digits = LEVEL_DIGITS[Campaign.Level(level)]
    if len(region_code) != digits or not region_code.isdigit():
        raise Invalid(
            _("该层级的行政区划代码应为 %(n)d 位数字。") % {"n": digits}, field="region_code"
        )
    if not is_system(actor):
        scope = region_of(actor)
        if scope is None or not covers(scope, region_code):
            raise NotAllowed(_("只能为本辖区创建专项行动。"))
    _dates(starts_on, ends_on)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name,
            level=level,
            region_code=region_code,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description.strip(),
            created_by=None if is_system(actor) else actor,
            created_at=now,
        )
        record_event(
            actor=actor,
            action="campaign.created",
            object_type="campaign",
            object_id=str(campaign.pk),
            after=_campaign_state(campaign),
            detail={
                "level": level,
                "region_code": region_code,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
            at=now,
        )
    return campaign


def _campaign_state(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "level": campaign.level,
        "region_code": campaign.region_code,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "description": campaign.description,
    }


def add_phase(
    campaign: Campaign,
    *,
    actor: Actor,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
    now: dt.datetime,
) -> Phase:
    """A phase lies within the campaign's dates and shares no day with another phase, so on
    any day at most one phase is current."""
    _require_manager(actor, campaign, "add a campaign phase")
    name = _text(name, "name", 100)
    _dates(starts_on, ends_on)
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if starts_on < locked.starts_on or ends_on > locked.ends_on:
            raise Invalid(
                _("阶段日期须在专项行动期间（%(start)s 至 %(end)s）内。")
                % {"start": locked.starts_on, "end": locked.ends_on},
                field="starts_on",
            )
        for other in locked.phases.all():
            if schedule.overlaps((starts_on, ends_on), (other.starts_on, other.ends_on)):
                raise Conflict(
                    _("与阶段“%(name)s”（%(start)s 至 %(end)s）时间重叠。")
                    % {"name": other.name, "start": other.starts_on, "end": other.ends_on}
                )
        phase = Phase.objects.create(
            campaign=locked,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description.strip(),
        )
        record_event(
            actor=actor,
            action="campaign.phase_added",
            object_type="campaign",
            object_id=str(locked.pk),
            detail={
                "phase": phase.pk,
                "name": name,
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
            at=now,
        )
    return phase


def add_task(
    campaign: Campaign,
    *,
    actor: Actor,
    title: str,
    responsible_unit: str,
    deadline: dt.date,
    phase: Phase | None = None,
    region_code: str = "",
    now: dt.datetime,
) -> Task:
    """A task with its responsible unit and deadline; numbered 1, 2, … within the campaign."""
    _require_manager(actor, campaign, "add a campaign task")
    title = _text(title, "title", 2000)
    responsible_unit = _text(responsible_unit, "responsible_unit", 200)
    region_code = (region_code or "").strip()
    if region_code and (
        len(region_code) != 6
        or not region_code.isdigit()
        or not covers(campaign.region_code, region_code)
    ):
        raise Invalid(_("责任县区代码应为本专项行动范围内的 6 位县级代码。"), field="region_code")
    if phase is not None and phase.campaign_id != campaign.pk:
        raise Invalid(_("该阶段不属于本专项行动。"), field="phase")
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not locked.starts_on <= deadline <= locked.ends_on:
            raise Invalid(
                _("完成时限须在专项行动期间（%(start)s 至 %(end)s）内。")
                % {"start": locked.starts_on, "end": locked.ends_on},
                field="deadline",
            )
        last = locked.tasks.aggregate(n=Max("number"))["n"] or 0
        task = Task.objects.create(
            campaign=locked,
            phase=phase,
            number=last + 1,
            title=title,
            responsible_unit=responsible_unit,
            region_code=region_code,
            deadline=deadline,
            created_at=now,
        )
        record_event(
            actor=actor,
            action="campaign.task_added",
            object_type="campaign_task",
            object_id=str(task.pk),
            after=_task_state(task),
            detail={
                "campaign": locked.pk,
                "number": task.number,
                "responsible_unit": responsible_unit,
                "region_code": region_code,
                "deadline": deadline.isoformat(),
            },
            at=now,
        )
    return task


def _task_state(task: Task) -> dict[str, Any]:
    return {
        "title": task.title,
        "responsible_unit": task.responsible_unit,
        "region_code": task.region_code,
        "deadline": task.deadline.isoformat(),
        "status": task.status,
        "note": task.note,
    }


def set_task_status(
    task: Task, *, actor: Actor, status: str, note: str = "", now: dt.datetime
) -> Task:
    """Move a task to open / in progress / done, with a progress note. Done records when."""
    require_role(actor, Role.BUREAU_ADMIN, Role.SUPERVISOR, action="update a campaign task")
    if status not in Task.Status.values:
        raise Invalid(_("未知的任务状态：%(s)s") % {"s": status}, field="status")
    if not may_update_task(actor, task):
        raise NotAllowed(_("该任务不在您的管理范围内。"))
    with transaction.atomic():
        locked = Task.objects.select_for_update().select_related("campaign").get(pk=task.pk)
        before = _task_state(locked)
        if locked.status == status and not note.strip():
            raise Conflict(_("任务已是该状态。"))
        locked.status = status
        locked.note = note.strip() or locked.note
        locked.completed_at = now if status == Task.Status.DONE else None
        locked.save(update_fields=["status", "note", "completed_at"])
        late = status == Task.Status.DONE and schedule.finished_late(
            locked.deadline, timezone.localdate(now)
        )
        record_event(
            actor=actor,
            action="campaign.task_status",
            object_type="campaign_task",
            object_id=str(locked.pk),
            before=before,
            after=_task_state(locked),
            detail={
                "campaign": locked.campaign_id,
                "from": before["status"],
                "to": status,
                "late": late,
            },
            at=now,
        )
    task.refresh_from_db()
    return task


def alert_overdue_tasks(*, actor: Actor, as_of: dt.datetime) -> list[Task]:
    """Record one ``campaign.task_overdue`` event for each task that is overdue at ``as_of``
    and has not been alerted before; return those tasks. Running it again alerts nothing new,
    and two runs at once cannot alert a task twice (the flag is set by a conditional update).

    The sweep covers the tasks the actor answers for (``scope.tasks_answered_by``): a county's
    administrator its county's campaigns and the tasks of higher campaigns naming its county,
    never a neighbour's task of the city campaign they both read; a supervisor the campaigns
    of its region; the system everything."""
    if not is_system(actor):
        require_role(actor, Role.BUREAU_ADMIN, Role.SUPERVISOR, action="alert overdue tasks")
    today = timezone.localdate(as_of)
    alerted: list[Task] = []
    with transaction.atomic():
        candidates = (
            tasks_answered_by(actor)
            .filter(overdue_alerted_at__isnull=True, deadline__lt=today)
            .exclude(status=Task.Status.DONE)
            .select_related("campaign")
            .order_by("campaign_id", "number")
        )
        for task in candidates:
            claimed = Task.objects.filter(pk=task.pk, overdue_alerted_at__isnull=True).update(
                overdue_alerted_at=as_of
            )
            if not claimed:
                continue
            task.overdue_alerted_at = as_of
            record_event(
                actor=actor,
                action="campaign.task_overdue",
                object_type="campaign_task",
                object_id=str(task.pk),
                detail={
                    "campaign": task.campaign_id,
                    "number": task.number,
                    "deadline": task.deadline.isoformat(),
                    "region_code": task.region_code or task.campaign.region_code,
                    "responsible_unit": task.responsible_unit,
                    "days_overdue": (today - task.deadline).days,
                },
                at=as_of,
            )
            alerted.append(task)
    return alerted
