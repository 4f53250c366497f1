"""Plan and zone changes with effective dates. Each use case is one function that owns its
transaction, takes ``actor=`` keyword-only, checks role and county first, and appends its audit
event in the same transaction.

    PlanChange:  requested + co-signed (scheduled) --apply_due_changes--> applied
    ZoneChange:  draft --publish (公示)--> published --apply_due_changes--> effective

Either may be withdrawn before it takes effect. A zone change that was never published is
never applied, however late it is: the public must have seen it first (docs/planning.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import STAGE_CHOICES, School, Season, Zone
from sunshine.audit.services import Actor, actor_ref, record_event
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.planning.apply import AppliedChanges, apply_due_changes
from sunshine.planning.common import _admitted, _aware, _zone_state
from sunshine.planning.cosign import USERNAME_FIELD
from sunshine.planning.models import PlanChange, ZoneChange
from sunshine.planning.rules import Problem, geometry_problem, notice_problem
from sunshine.planning.scope import BUREAU, require_county

__all__ = [
    "AppliedChanges",
    "apply_due_changes",
    "draft_zone_change",
    "notice_period",
    "publish_zone_change",
    "request_plan_change",
    "withdraw_plan_change",
    "withdraw_zone_change",
]

DEFAULT_NOTICE_DAYS = 7
_STAGES = {code for code, _label in STAGE_CHOICES}


def notice_period() -> dt.timedelta:
    """How long a zone change must be public before it takes effect
    (``SUNSHINE_ZONE_NOTICE_DAYS``, default 7 days)."""
    days = int(getattr(settings, "SUNSHINE_ZONE_NOTICE_DAYS", DEFAULT_NOTICE_DAYS))
    if days < 0:
        raise Invalid(f"SUNSHINE_ZONE_NOTICE_DAYS must be at least 0, got {days}")
    return dt.timedelta(days=days)


# --- checks shared by the use cases -----------------------------------------------------------


def _reason(reason: str, name: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid(_("请填写理由。"), field=name)
    return text


def _not_past(effective_from: dt.datetime, now: dt.datetime) -> None:
    # Minutes are what a form offers: "now" typed into a form is not "in the past".
    if effective_from < now.replace(second=0, microsecond=0):
        raise Invalid(_("生效时间不能早于现在。"), field="effective_from")


def _check_seats(school: School, seats: int) -> None:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 0:
        raise Invalid(_("招生计划必须是不小于 0 的整数。"), field="plan_seats")
    admitted = _admitted(school)
    if seats < admitted:
        raise Invalid(
            _("%(school)s 已录取 %(admitted)d 人，新计划不能少于已录取人数。")
            % {"school": school.name, "admitted": admitted},
            field="plan_seats",
        )


def _named(actor: Actor) -> User:
    """The signed-in person behind a step whose record names who took it."""
    if not isinstance(actor, User):
        raise NotAllowed(_("此操作须由具名的教育局工作人员登录后进行。"))
    return actor


def _check_approver(approver: Any, actor: Actor, season: Season) -> User:
    if not isinstance(approver, User):
        raise NotAllowed(_("调整招生计划需要第二人会签。"), field=USERNAME_FIELD)
    if actor_ref(approver) == actor_ref(actor):
        raise NotAllowed(_("会签人必须是另一个人，不能由您本人会签。"), field=USERNAME_FIELD)
    if approver.role != Role.BUREAU_ADMIN or not approver.is_active:
        raise NotAllowed(_("会签人必须是教育局管理员。"), field=USERNAME_FIELD)
    if approver.region_code != season.region_code:
        raise NotAllowed(_("会签人必须属于本县（区）教育局。"), field=USERNAME_FIELD)
    return approver


_GEOMETRY_MESSAGES = {
    "type": gettext_noop("范围必须是 GeoJSON 的 Polygon 或 MultiPolygon。"),
    "coordinates": gettext_noop("范围的坐标必须是由[经度, 纬度]数对组成的闭合环。"),
    "empty": gettext_noop("范围没有面积。"),
    "bounds": gettext_noop("坐标超出了 WGS 84 经纬度的范围。"),
    "invalid": gettext_noop("范围不是有效的多边形（例如边界自相交）：%(detail)s"),
}


def _geometry(geometry: Any) -> dict[str, Any]:
    problem = geometry_problem(geometry)
    if problem is not None:
        raise Invalid(
            _(_GEOMETRY_MESSAGES[problem.code]) % {"detail": problem.detail}, field="geometry"
        )
    return dict(geometry)


def _check_schools(schools: list[School], season: Season, stage: str) -> list[School]:
    if not schools:
        raise Invalid(_("片区至少要有一所学校。"), field="schools")
    for school in schools:
        if school.season_id != season.pk:
            raise Invalid(
                _("%(school)s 不属于本招生季。") % {"school": school.name}, field="schools"
            )
        if school.stage != stage:
            raise Invalid(
                _("%(school)s 不是本片区学段的学校。") % {"school": school.name}, field="schools"
            )
        if school.kind != "public":
            raise Invalid(
                _("%(school)s 是民办学校：民办学校不划片。") % {"school": school.name},
                field="schools",
            )
    return list({s.pk: s for s in schools}.values())


def _notice(problem: Problem) -> Invalid:
    if problem.code == "too_late":
        message = _("生效时间已到或已过：片区调整必须在生效前公示，请改期后重新起草。")
    else:
        days = notice_period().days
        message = _("公示期不足：片区调整须在生效前至少公示 %(days)d 天。") % {"days": days}
    return Invalid(message, field="effective_from")


# --- plan changes ------------------------------------------------------------------------------


def request_plan_change(
    school: School,
    *,
    actor: Actor,
    approver: Any,
    plan_seats: int,
    effective_from: dt.datetime,
    reason: str,
    now: dt.datetime | None = None,
) -> PlanChange:
    """Schedule a school's new plan from ``effective_from``, co-signed by a second person
    (an education-bureau administrator of the county) on the spot."""
    season = school.season
    require_county(actor, season, *BUREAU, action=_("调整招生计划"))
    requested_by = _named(actor)
    now = now or timezone.now()
    approved_by = _check_approver(approver, actor, season)
    reason = _reason(reason)
    _not_past(_aware(effective_from, "effective_from"), now)
    with transaction.atomic():
        locked = School.objects.select_for_update().get(pk=school.pk)
        _check_seats(locked, plan_seats)
        change = PlanChange.objects.create(
            season=season,
            school=locked,
            plan_seats=plan_seats,
            effective_from=effective_from,
            reason=reason,
            requested_by=requested_by,
            approved_by=approved_by,
            requested_at=now,
        )
        record_event(
            actor=actor,
            action="plan.change_requested",
            object_type="plan_change",
            object_id=str(change.pk),
            after={"school": locked.code, "plan_seats": plan_seats},
            detail={
                "season": season.pk,
                "school": locked.code,
                "plan_seats": plan_seats,
                "current_seats": locked.plan_seats,
                "effective_from": effective_from.isoformat(),
                "reason": reason,
                "approved_by": actor_ref(approved_by),
            },
        )
    return change


def withdraw_plan_change(change: PlanChange, *, actor: Actor, reason: str) -> PlanChange:
    require_county(actor, change.season, Role.BUREAU_ADMIN, action=_("撤回招生计划调整"))
    reason = _reason(reason)
    with transaction.atomic():
        locked = PlanChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != PlanChange.State.SCHEDULED:
            raise Conflict(_("只能撤回待生效的计划调整。"))
        locked.state = PlanChange.State.WITHDRAWN
        locked.save(update_fields=["state"])
        record_event(
            actor=actor,
            action="plan.change_withdrawn",
            object_type="plan_change",
            object_id=str(locked.pk),
            detail={"reason": reason},
        )
    change.refresh_from_db()
    return change


# --- zone changes ------------------------------------------------------------------------------


def draft_zone_change(
    season: Season,
    *,
    actor: Actor,
    zone: Zone | None,
    geometry: Any,
    schools: list[School],
    effective_from: dt.datetime,
    reason: str,
    code: str = "",
    stage: str = "",
    now: dt.datetime | None = None,
) -> ZoneChange:
    """Draft new boundaries and schools for ``zone``, or (``zone`` None) a new zone
    ``code`` of ``stage``. A draft is not public and cannot take effect until published."""
    require_county(actor, season, *BUREAU, action=_("起草片区调整"))
    created_by = _named(actor)
    now = now or timezone.now()
    reason = _reason(reason)
    _not_past(_aware(effective_from, "effective_from"), now)
    if zone is not None:
        if zone.season_id != season.pk:
            raise Invalid(_("该片区不属于本招生季。"), field="zone")
        code, stage = zone.code, zone.stage
    else:
        code = (code or "").strip()
        if not code or len(code) > 64:
            raise Invalid(_("请填写新片区的代码（不超过 64 个字符）。"), field="code")
        if stage not in _STAGES:
            raise Invalid(_("请选择新片区的学段。"), field="stage")
    shape = _geometry(geometry)
    chosen = _check_schools(schools, season, stage)
    with transaction.atomic():
        Season.objects.select_for_update().get(pk=season.pk)  # new codes are checked alone
        if zone is None and (
            Zone.objects.filter(season=season, code=code).exists()
            or ZoneChange.objects.filter(
                season=season,
                new_zone=True,
                code=code,
                state__in=[ZoneChange.State.DRAFT, ZoneChange.State.PUBLISHED],
            ).exists()
        ):
            raise Invalid(_("片区代码 %(code)s 已被使用。") % {"code": code}, field="code")
        change = ZoneChange.objects.create(
            season=season,
            zone=zone,
            new_zone=zone is None,
            code=code,
            stage=stage,
            geometry=shape,
            effective_from=effective_from,
            reason=reason,
            created_by=created_by,
            created_at=now,
        )
        change.schools.set(chosen)
        school_codes = sorted(s.code for s in chosen)
        record_event(
            actor=actor,
            action="zone.change_drafted",
            object_type="zone_change",
            object_id=str(change.pk),
            before=None if zone is None else _zone_state(zone),
            after={"geometry": shape, "schools": school_codes},
            detail={
                "season": season.pk,
                "zone": code,
                "new_zone": zone is None,
                "schools": school_codes,
                "effective_from": effective_from.isoformat(),
            },
        )
    return change


def publish_zone_change(
    change: ZoneChange, *, actor: Actor, now: dt.datetime | None = None
) -> ZoneChange:
    """Make a draft public (公示). Refused when its effective date leaves less than the
    notice period: a change must be public before, and for a while before, it takes effect."""
    require_county(actor, change.season, Role.BUREAU_ADMIN, action=_("公示片区调整"))
    publisher = _named(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = ZoneChange.objects.select_for_update().get(pk=change.pk)
        if locked.state != ZoneChange.State.DRAFT:
            raise Conflict(_("只能公示草稿状态的片区调整。"))
        problem = notice_problem(now, locked.effective_from, notice_period())
        if problem is not None:
            raise _notice(problem)
        locked.state = ZoneChange.State.PUBLISHED
        locked.published_at = now
        locked.published_by = publisher
        locked.save(update_fields=["state", "published_at", "published_by"])
        record_event(
            actor=actor,
            action="zone.change_published",
            object_type="zone_change",
            object_id=str(locked.pk),
            after={"geometry": locked.geometry, "schools": _change_schools(locked)},
            detail={
                "season": locked.season_id,
                "zone": locked.code,
                "published_at": now.isoformat(),
                "effective_from": locked.effective_from.isoformat(),
            },
        )
    change.refresh_from_db()
    return change


def withdraw_zone_change(change: ZoneChange, *, actor: Actor, reason: str) -> ZoneChange:
    """Withdraw a draft or a published change before it takes effect; a published one stays
    on the public page, marked withdrawn with the reason."""
    require_county(actor, change.season, Role.BUREAU_ADMIN, action=_("撤回片区调整"))
    reason = _reason(reason)
    with transaction.atomic():
        locked = ZoneChange.objects.select_for_update().get(pk=change.pk)
        if locked.state not in (ZoneChange.State.DRAFT, ZoneChange.State.PUBLISHED):
            raise Conflict(_("已生效或已撤回的片区调整不能撤回。"))
        was = locked.state
        locked.state = ZoneChange.State.WITHDRAWN
        locked.withdrawn_reason = reason
        locked.save(update_fields=["state", "withdrawn_reason"])
        record_event(
            actor=actor,
            action="zone.change_withdrawn",
            object_type="zone_change",
            object_id=str(locked.pk),
            detail={"zone": locked.code, "was": was, "reason": reason},
        )
    change.refresh_from_db()
    return change


def _change_schools(change: ZoneChange) -> list[str]:
    return sorted(change.schools.values_list("code", flat=True))
