"""Applying the plan and zone changes that are due: one transaction, in order of their
effective time, each audited with before and after. Re-exported by planning.services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.admissions.models import School, Season, Zone
from sunshine.audit.services import Actor, record_event
from sunshine.errors import Conflict, Invalid
from sunshine.planning.common import _admitted, _aware, _zone_state
from sunshine.planning.models import PlanChange, ZoneChange
from sunshine.planning.scope import require_county


@dataclass
class AppliedChanges:
    plans: list[PlanChange] = field(default_factory=list)
    zones: list[ZoneChange] = field(default_factory=list)
    # Drafts whose date has passed: never published, so never applied (publish is now refused).
    unpublished: list[ZoneChange] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.plans) + len(self.zones)


def apply_due_changes(season: Season, as_of: dt.datetime, *, actor: Actor) -> AppliedChanges:
    """Apply every scheduled plan change and published zone change whose effective time is at
    or before ``as_of``, in order of that time, in one transaction: all of them or none.

    Idempotent: an applied change is not applied again. ``as_of`` may not lie in the future:
    nothing takes effect early."""
    require_county(actor, season, Role.BUREAU_ADMIN, action=_("执行到期的调整"))
    _aware(as_of, "as_of")
    now = timezone.now()
    if as_of > now:
        raise Invalid(_("不能按将来的时间执行调整：调整不会提前生效。"), field="as_of")
    result = AppliedChanges()
    with transaction.atomic():
        Season.objects.select_for_update().get(pk=season.pk)  # one applier at a time
        plans = PlanChange.objects.select_for_update().filter(
            season=season, state=PlanChange.State.SCHEDULED, effective_from__lte=as_of
        )
        for change in plans.order_by("effective_from", "pk"):
            _apply_plan(change, actor=actor, now=now)
            result.plans.append(change)
        zones = ZoneChange.objects.select_for_update().filter(
            season=season, state=ZoneChange.State.PUBLISHED, effective_from__lte=as_of
        )
        for zone_change in zones.order_by("effective_from", "pk"):
            _apply_zone(zone_change, actor=actor, now=now)
            result.zones.append(zone_change)
        result.unpublished = list(
            ZoneChange.objects.filter(
                season=season, state=ZoneChange.State.DRAFT, effective_from__lte=as_of
            ).order_by("effective_from", "pk")
        )
    return result


def _apply_plan(change: PlanChange, *, actor: Actor, now: dt.datetime) -> None:
    school = School.objects.select_for_update().get(pk=change.school_id)
    admitted = _admitted(school)
    if change.plan_seats < admitted:
        raise Conflict(
            _(
                "计划调整 #%(pk)d 无法生效：%(school)s 已录取 %(admitted)d 人，"
                "多于新计划 %(seats)d 人。请撤回该调整。"
            )
            % {
                "pk": change.pk,
                "school": school.name,
                "admitted": admitted,
                "seats": change.plan_seats,
            }
        )
    before = school.plan_seats
    school.plan_seats = change.plan_seats
    school.save(update_fields=["plan_seats"])
    change.previous_seats = before
    change.state = PlanChange.State.APPLIED
    change.applied_at = now
    change.save(update_fields=["previous_seats", "state", "applied_at"])
    record_event(
        actor=actor,
        action="plan.change_applied",
        object_type="school",
        object_id=school.code,
        before={"plan_seats": before},
        after={"plan_seats": change.plan_seats},
        detail={
            "season": change.season_id,
            "plan_change": change.pk,
            "plan_seats": {"before": before, "after": change.plan_seats},
            "effective_from": change.effective_from.isoformat(),
        },
    )


def _apply_zone(change: ZoneChange, *, actor: Actor, now: dt.datetime) -> None:
    schools = list(change.schools.all())
    if change.new_zone and change.zone_id is None:
        if Zone.objects.filter(season_id=change.season_id, code=change.code).exists():
            raise Conflict(
                _("片区调整 #%(pk)d 无法生效：片区代码 %(code)s 已存在。")
                % {"pk": change.pk, "code": change.code}
            )
        zone = Zone.objects.create(
            season_id=change.season_id, code=change.code, stage=change.stage, geometry={}
        )
        before: dict[str, Any] | None = None
    else:
        assert change.zone_id is not None  # a database constraint: only a new zone has none
        zone = Zone.objects.select_for_update().get(pk=change.zone_id)
        before = _zone_state(zone)
    zone.geometry = change.geometry
    zone.save(update_fields=["geometry"])
    zone.schools.set(schools)
    after = _zone_state(zone)
    change.zone = zone
    change.state = ZoneChange.State.EFFECTIVE
    change.applied_at = now
    change.previous_geometry = None if before is None else before["geometry"]
    change.previous_schools = [] if before is None else before["schools"]
    change.save(
        update_fields=["zone", "state", "applied_at", "previous_geometry", "previous_schools"]
    )
    record_event(
        actor=actor,
        action="zone.change_applied",
        object_type="zone",
        object_id=zone.code,
        before=before,
        after=after,
        detail={
            "season": change.season_id,
            "zone_change": change.pk,
            "new_zone": change.new_zone,
            "schools": {
                "before": None if before is None else before["schools"],
                "after": after["schools"],
            },
            "published_at": change.published_at.isoformat() if change.published_at else None,
            "effective_from": change.effective_from.isoformat(),
        },
    )
