"""JSON API of the other staff operations (mounted with the planning router at
/api/planning/): class assignment, publishing lists, and the dashboard's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from sunshine.accounts.permissions import require_role
from sunshine.admissions.class_assignment import assign_season_classes, class_balance
from sunshine.admissions.models import School, Season
from sunshine.admissions.queries import schools_visible_to
from sunshine.admissions.staff_publication import (
    APPROVER_ROLES,
    PUBLISHER_ROLES,
    lists_in_scope,
    preview_list,
    publish_in_scope,
)
from sunshine.analytics import queries as figures
from sunshine.errors import Invalid
from sunshine.planning.cosign import cosigner
from sunshine.planning.queries import season_in_scope

router = Router(tags=["planning"])


# --- class assignment --------------------------------------------------------------------------


class ClassOut(Schema):
    class_no: int
    children: int
    boys: int
    girls: int
    special_needs: int
    migrants: int


class SchoolClassesOut(Schema):
    school: str
    classes: list[ClassOut]
    unassigned: int
    balanced: bool


class ClassRunOut(Schema):
    run: int
    lottery_seed: str
    children: int
    classes: int
    changed: int
    by_stage: dict[str, dict[str, int]]


@router.get(
    "/seasons/{season_id}/classes",
    response=list[SchoolClassesOut],
    operation_id="classes_balance",
    auth=django_auth,
    summary="Class balance per school",
)
def classes(request: HttpRequest, season_id: int) -> list[SchoolClassesOut]:
    season = season_in_scope(request.user, season_id)
    return [
        SchoolClassesOut(
            school=b.school.code,
            classes=[ClassOut(**asdict(c)) for c in b.classes],
            unassigned=b.unassigned,
            balanced=b.balanced,
        )
        for b in class_balance(season, schools_visible_to(request.user, season))
    ]


@router.post(
    "/seasons/{season_id}/classes",
    response=ClassRunOut,
    operation_id="classes_assign",
    auth=django_auth,
    summary="Assign balanced classes (均衡编班)",
)
def run_classes(request: HttpRequest, season_id: int) -> ClassRunOut:
    season = season_in_scope(request.user, season_id)
    result = assign_season_classes(season, actor=request.user)
    return ClassRunOut(
        run=result.run.pk,
        lottery_seed=result.run.lottery_seed,
        children=result.children,
        classes=result.classes,
        changed=result.changed,
        by_stage=result.by_stage,
    )


# --- publishing lists --------------------------------------------------------------------------


class PreviewOut(Schema):
    kind: str
    school: str | None
    total: int
    k: int
    rows: list[dict[str, Any]]  # masked; at most the first 200
    previous_version: int | None
    diff: dict[str, int] | None
    refusal: str


class PublishIn(Schema):
    kind: str
    school: str | None = None  # school code; None = the whole season's list
    reason: str = ""
    cosigner_username: str
    cosigner_password: str


class VersionOut(Schema):
    list: int
    number: int
    sha256: str
    rows: int
    published_at: dt.datetime
    url: str


class ListOut(Schema):
    id: int
    kind: str
    school: str | None
    versions: list[int]


def _publishing_season(request: HttpRequest, season_id: int) -> Season:
    require_role(request.user, *PUBLISHER_ROLES, action="publish lists")
    return season_in_scope(request.user, season_id)


def _list_school(season: Season, code: str | None) -> School | None:
    if not code:
        return None
    school = School.objects.filter(season=season, code=code).first()
    if school is None:
        raise Invalid(f"no school {code!r} in this season", field="school")
    return school


@router.get(
    "/seasons/{season_id}/publications/preview",
    response=PreviewOut,
    operation_id="staff_publication_preview",
    auth=django_auth,
    summary="Preview a list as it would be published (masked)",
)
def preview(
    request: HttpRequest, season_id: int, kind: str, school: str | None = None
) -> PreviewOut:
    season = _publishing_season(request, season_id)
    p = preview_list(season, kind, _list_school(season, school), actor=request.user)
    return PreviewOut(
        kind=p.kind,
        school=None if p.school is None else p.school.code,
        total=p.total,
        k=p.k,
        rows=p.shown,
        previous_version=None if p.previous is None else p.previous.number,
        diff=p.diff,
        refusal=p.refusal,
    )


@router.post(
    "/seasons/{season_id}/publications",
    response={201: VersionOut},
    operation_id="staff_publish",
    auth=django_auth,
    summary="Publish the next version of a list, co-signed on the spot",
)
def publish(request: HttpRequest, season_id: int, body: PublishIn) -> Status[VersionOut]:
    season = _publishing_season(request, season_id)
    school = _list_school(season, body.school)
    approver = cosigner(
        request,
        actor=request.user,  # type: ignore[arg-type]
        username=body.cosigner_username,
        password=body.cosigner_password,
        roles=set(APPROVER_ROLES),
        region_code=season.region_code,
    )
    version = publish_in_scope(
        season, body.kind, school, actor=request.user, approver=approver, reason=body.reason
    )
    url = reverse("portal:publication_version", args=[version.list_id, version.number])
    out = VersionOut(
        list=version.list_id,
        number=version.number,
        sha256=version.sha256,
        rows=len(version.rows),
        published_at=version.published_at,
        url=url,
    )
    return Status(201, out)


@router.get(
    "/seasons/{season_id}/publications",
    response=list[ListOut],
    operation_id="staff_publication_lists",
    auth=django_auth,
    summary="The season's published lists and their versions",
)
def publications(request: HttpRequest, season_id: int) -> list[ListOut]:
    season = _publishing_season(request, season_id)
    return [
        ListOut(
            id=lst.pk,
            kind=lst.kind,
            school=None if lst.school is None else lst.school.code,
            versions=[v.number for v in lst.versions.all()],
        )
        for lst in lists_in_scope(season, request.user)
    ]


# --- dashboard ---------------------------------------------------------------------------------


class StatusOut(Schema):
    status: str
    label: str
    count: int


class DemandOut(Schema):
    school: str
    name: str
    kind: str
    plan_seats: int
    first_choice: int
    listings: int
    admitted: int


class BacklogOut(Schema):
    level: int
    total: int
    by_age: dict[str, int]
    oldest_days: int | None


class DashboardOut(Schema):
    season: int
    at: dt.datetime
    statuses: list[StatusOut]
    demand: list[DemandOut]
    backlog: list[BacklogOut]


@router.get(
    "/seasons/{season_id}/dashboard",
    response=DashboardOut,
    operation_id="dashboard",
    auth=django_auth,
    summary="The dashboard's figures",
)
def dashboard(request: HttpRequest, season_id: int) -> DashboardOut:
    season = season_in_scope(request.user, season_id)
    now = timezone.now()
    ages = [str(label) for label, _first, _last in figures.AGE_BUCKETS]
    return DashboardOut(
        season=season.pk,
        at=now,
        statuses=[
            StatusOut(status=s.status, label=s.label, count=s.count)
            for s in figures.status_counts(request.user, season)
        ],
        demand=[
            DemandOut(
                school=d.school.code,
                name=d.school.name,
                kind=d.school.kind,
                plan_seats=d.plan_seats,
                first_choice=d.first_choice,
                listings=d.listings,
                admitted=d.admitted,
            )
            for d in figures.seats_and_demand(request.user, season)
        ],
        backlog=[
            BacklogOut(
                level=b.level,
                total=b.total,
                by_age=dict(zip(ages, b.by_age, strict=True)),
                oldest_days=b.oldest_days,
            )
            for b in figures.review_backlog(request.user, season, now)
        ],
    )
