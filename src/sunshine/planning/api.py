"""JSON API of plans and zones (mounted at /api/planning/): the same services as the pages.

Signed-in calls use the session (and CSRF on POST). Times are ISO 8601 with an offset. The
class assignment, publication and dashboard endpoints live in ``planning.api_operations`` and
are mounted on this router too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from sunshine.accounts.models import Role
from sunshine.admissions.models import School, Season, Zone
from sunshine.admissions.queries import seasons_visible_to
from sunshine.errors import Invalid, NotFound
from sunshine.planning import queries, services
from sunshine.planning.api_operations import router as operations_router
from sunshine.planning.cosign import cosigner
from sunshine.planning.models import PlanChange, ZoneChange

router = Router(tags=["planning"])


def api_season(request: HttpRequest, season_id: int) -> Season:
    return queries.season_in_scope(request.user, season_id)


# --- schemas -----------------------------------------------------------------------------------


class PlanChangeOut(Schema):
    id: int
    season: int
    school: str
    plan_seats: int
    previous_seats: int | None
    effective_from: dt.datetime
    state: str
    reason: str
    requested_by: str
    approved_by: str
    applied_at: dt.datetime | None


class ZoneChangeOut(Schema):
    id: int
    season: int
    code: str
    stage: str
    new_zone: bool
    state: str
    geometry: dict[str, Any]
    schools: list[str]
    effective_from: dt.datetime
    published_at: dt.datetime | None
    applied_at: dt.datetime | None
    reason: str
    withdrawn_reason: str


class PublicZoneChangeOut(Schema):
    id: int
    region_code: str
    school_year: int
    code: str
    stage: str
    new_zone: bool
    state: str
    geometry: dict[str, Any]
    previous_geometry: dict[str, Any] | None
    schools: list[str]
    effective_from: dt.datetime
    published_at: dt.datetime | None
    reason: str
    withdrawn_reason: str


class PublicPlanChangeOut(Schema):
    region_code: str
    school_year: int
    school: str
    school_name: str
    plan_seats: int
    previous_seats: int | None
    effective_from: dt.datetime
    state: str
    reason: str


class PublicChangesOut(Schema):
    zone_changes: list[PublicZoneChangeOut]
    plan_changes: list[PublicPlanChangeOut]


class SchoolPlanOut(Schema):
    code: str
    name: str
    stage: str
    kind: str
    plan_seats: int
    admitted: int


class ZoneOut(Schema):
    code: str
    stage: str
    schools: list[str]


class OverviewOut(Schema):
    season: int
    schools: list[SchoolPlanOut]
    zones: list[ZoneOut]
    plan_changes: list[PlanChangeOut]
    zone_changes: list[ZoneChangeOut]


class PlanChangeIn(Schema):
    school: str  # school code
    plan_seats: int
    effective_from: dt.datetime
    reason: str
    cosigner_username: str
    cosigner_password: str


class ZoneChangeIn(Schema):
    zone: str | None = None  # code of an existing zone; None for a new zone
    code: str = ""  # a new zone's code
    stage: str = ""  # a new zone's stage
    geometry: Any
    schools: list[str]  # school codes
    effective_from: dt.datetime
    reason: str


class ReasonIn(Schema):
    reason: str


class ApplyIn(Schema):
    as_of: dt.datetime | None = None  # default: now


class AppliedOut(Schema):
    plans: list[PlanChangeOut]
    zones: list[ZoneChangeOut]
    unpublished: list[int]  # drafts past their date: never applied


def plan_out(c: PlanChange) -> PlanChangeOut:
    return PlanChangeOut(
        id=c.pk,
        season=c.season_id,
        school=c.school.code,
        plan_seats=c.plan_seats,
        previous_seats=c.previous_seats,
        effective_from=c.effective_from,
        state=c.state,
        reason=c.reason,
        requested_by=c.requested_by.get_username(),
        approved_by=c.approved_by.get_username(),
        applied_at=c.applied_at,
    )


def _codes(change: ZoneChange) -> list[str]:
    return sorted(s.code for s in change.schools.all())


def zone_out(c: ZoneChange) -> ZoneChangeOut:
    return ZoneChangeOut(
        id=c.pk,
        season=c.season_id,
        code=c.code,
        stage=c.stage,
        new_zone=c.new_zone,
        state=c.state,
        geometry=c.geometry,
        schools=_codes(c),
        effective_from=c.effective_from,
        published_at=c.published_at,
        applied_at=c.applied_at,
        reason=c.reason,
        withdrawn_reason=c.withdrawn_reason,
    )


# --- reads -------------------------------------------------------------------------------------


@router.get(
    "/public/changes",
    response=PublicChangesOut,
    operation_id="planning_public_changes",
    summary="Published zone and plan changes",
)
def public_changes(request: HttpRequest) -> PublicChangesOut:
    """What the public page shows: every zone change once published (公示), and every
    scheduled or applied plan change. No sign-in."""
    zones = [
        PublicZoneChangeOut(
            id=c.pk,
            region_code=c.season.region_code,
            school_year=c.season.school_year,
            code=c.code,
            stage=c.stage,
            new_zone=c.new_zone,
            state=c.state,
            geometry=c.geometry,
            previous_geometry=c.old_geometry(),
            schools=_codes(c),
            effective_from=c.effective_from,
            published_at=c.published_at,
            reason=c.reason,
            withdrawn_reason=c.withdrawn_reason,
        )
        for c in queries.public_zone_changes()
    ]
    plans = [
        PublicPlanChangeOut(
            region_code=c.season.region_code,
            school_year=c.season.school_year,
            school=c.school.code,
            school_name=c.school.name,
            plan_seats=c.plan_seats,
            previous_seats=c.previous_seats,
            effective_from=c.effective_from,
            state=c.state,
            reason=c.reason,
        )
        for c in queries.public_plan_changes()
    ]
    return PublicChangesOut(zone_changes=zones, plan_changes=plans)


@router.get(
    "/seasons/{season_id}",
    response=OverviewOut,
    operation_id="planning_overview",
    auth=django_auth,
    summary="Plans and zones",
)
def overview(request: HttpRequest, season_id: int) -> OverviewOut:
    season = api_season(request, season_id)
    schools = School.objects.filter(season=season).annotate(admitted=Count("admissions"))
    return OverviewOut(
        season=season.pk,
        schools=[
            SchoolPlanOut(
                code=s.code,
                name=s.name,
                stage=s.stage,
                kind=s.kind,
                plan_seats=s.plan_seats,
                admitted=s.admitted,
            )
            for s in schools.order_by("stage", "code")
        ],
        zones=[
            ZoneOut(code=z.code, stage=z.stage, schools=sorted(s.code for s in z.schools.all()))
            for z in queries.zones_of(season)
        ],
        plan_changes=[plan_out(c) for c in queries.plan_changes(season)],
        zone_changes=[zone_out(c) for c in queries.zone_changes(season)],
    )


# --- plan changes ------------------------------------------------------------------------------


def _school(season: Season, code: str, field: str = "school") -> School:
    school = School.objects.filter(season=season, code=code).first()
    if school is None:
        raise Invalid(f"no school {code!r} in this season", field=field)
    return school


@router.post(
    "/seasons/{season_id}/plan-changes",
    response={201: PlanChangeOut},
    operation_id="planning_plan_change_create",
    auth=django_auth,
    summary="Request a plan change, co-signed on the spot",
)
def create_plan_change(
    request: HttpRequest, season_id: int, body: PlanChangeIn
) -> Status[PlanChangeOut]:
    season = api_season(request, season_id)
    approver = cosigner(
        request,
        actor=request.user,  # type: ignore[arg-type]
        username=body.cosigner_username,
        password=body.cosigner_password,
        roles={Role.BUREAU_ADMIN},
        region_code=season.region_code,
    )
    change = services.request_plan_change(
        _school(season, body.school),
        actor=request.user,
        approver=approver,
        plan_seats=body.plan_seats,
        effective_from=body.effective_from,
        reason=body.reason,
    )
    return Status(201, plan_out(change))


def _plan_change(request: HttpRequest, pk: int) -> PlanChange:
    change = queries.plan_changes_in(seasons_visible_to(request.user)).filter(pk=pk).first()
    if change is None:
        raise NotFound(f"no plan change {pk} in your scope")
    return change


@router.post(
    "/plan-changes/{pk}/withdraw",
    response=PlanChangeOut,
    operation_id="planning_plan_change_withdraw",
    auth=django_auth,
    summary="Withdraw a scheduled plan change",
)
def withdraw_plan_change(request: HttpRequest, pk: int, body: ReasonIn) -> PlanChangeOut:
    change = _plan_change(request, pk)
    return plan_out(services.withdraw_plan_change(change, actor=request.user, reason=body.reason))


# --- zone changes ------------------------------------------------------------------------------


@router.post(
    "/seasons/{season_id}/zone-changes",
    response={201: ZoneChangeOut},
    operation_id="planning_zone_change_create",
    auth=django_auth,
    summary="Draft a zone change",
)
def create_zone_change(
    request: HttpRequest, season_id: int, body: ZoneChangeIn
) -> Status[ZoneChangeOut]:
    season = api_season(request, season_id)
    zone = None
    if body.zone:
        zone = Zone.objects.filter(season=season, code=body.zone).first()
        if zone is None:
            raise Invalid(f"no zone {body.zone!r} in this season", field="zone")
    change = services.draft_zone_change(
        season,
        actor=request.user,
        zone=zone,
        code=body.code,
        stage=body.stage,
        geometry=body.geometry,
        schools=[_school(season, code, "schools") for code in body.schools],
        effective_from=body.effective_from,
        reason=body.reason,
    )
    return Status(201, zone_out(change))


def _zone_change(request: HttpRequest, pk: int) -> ZoneChange:
    found = queries.zone_changes_all().filter(pk=pk, season__in=seasons_visible_to(request.user))
    change = found.first()
    if change is None:
        raise NotFound(f"no zone change {pk} in your scope")
    return change


@router.get(
    "/zone-changes/{pk}",
    response=ZoneChangeOut,
    operation_id="planning_zone_change",
    auth=django_auth,
    summary="One zone change",
)
def get_zone_change(request: HttpRequest, pk: int) -> ZoneChangeOut:
    return zone_out(_zone_change(request, pk))


@router.post(
    "/zone-changes/{pk}/publish",
    response=ZoneChangeOut,
    operation_id="planning_zone_change_publish",
    auth=django_auth,
    summary="Publish (公示) a drafted zone change",
)
def publish_zone_change(request: HttpRequest, pk: int) -> ZoneChangeOut:
    change = services.publish_zone_change(_zone_change(request, pk), actor=request.user)
    return zone_out(change)


@router.post(
    "/zone-changes/{pk}/withdraw",
    response=ZoneChangeOut,
    operation_id="planning_zone_change_withdraw",
    auth=django_auth,
    summary="Withdraw a zone change before it takes effect",
)
def withdraw_zone_change(request: HttpRequest, pk: int, body: ReasonIn) -> ZoneChangeOut:
    change = _zone_change(request, pk)
    return zone_out(services.withdraw_zone_change(change, actor=request.user, reason=body.reason))


@router.post(
    "/seasons/{season_id}/apply",
    response=AppliedOut,
    operation_id="planning_apply_due",
    auth=django_auth,
    summary="Apply the plan and zone changes that are due",
)
def apply_due(request: HttpRequest, season_id: int, body: ApplyIn) -> AppliedOut:
    season = api_season(request, season_id)
    result = services.apply_due_changes(season, body.as_of or timezone.now(), actor=request.user)
    return AppliedOut(
        plans=[plan_out(c) for c in result.plans],
        zones=[zone_out(c) for c in result.zones],
        unpublished=[c.pk for c in result.unpublished],
    )


# The operations of the staff pages that sit outside plans and zones, on the same mount.
router.add_router("", operations_router)
