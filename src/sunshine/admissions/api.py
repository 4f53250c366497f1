"""The staff read API (/api/admissions/): seasons, schools and applications in the caller's
scope, exactly as the staff list page shows them (``admissions.queries`` decides the scope,
masks personal data, and logs every unmasked reading)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.security import django_auth

from sunshine.accounts.models import STAFF_ROLES
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import Application, School
from sunshine.admissions.queries import (
    ApplicationFilters,
    Disclosed,
    applications_visible_to,
    disclose,
    filter_applications,
    schools_visible_to,
    seasons_visible_to,
    staff_application,
    staff_season,
    with_list_columns,
)
from sunshine.errors import Invalid

router = Router(tags=["admissions"], auth=django_auth)
PAGE_SIZE = 50


class StaffSeasonOut(Schema):
    id: int
    region_code: str
    region_name: str
    school_year: int


class StaffSchoolOut(Schema):
    code: str
    name: str
    stage: str
    kind: str
    plan_seats: int


class PreferenceOut(Schema):
    rank: int
    school_code: str
    school_name: str


class AdmissionOut(Schema):
    school_code: str
    school_name: str
    kind: str
    class_no: int | None
    accepted: bool | None


class ApplicationOut(Schema):
    code: str
    stage: str
    status: str
    child_name: str  # masked (张*三) unless the role reads personal data in the clear
    child_id_number: str  # masked likewise; every unmasked reading is audit-logged
    unmasked: bool
    gender: str
    priority_group: str
    special_needs: str
    submitted_at: dt.datetime | None
    preferences: list[PreferenceOut]
    private_school_code: str | None
    admission: AdmissionOut | None


class ApplicationPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[ApplicationOut]


class ApplicationQuery(Schema):
    stage: str = ""
    status: str = ""
    school: str = ""  # a school code: listed it, chose it as private school, or admitted there
    priority_group: str = ""
    special_needs: str = ""
    code: str = ""  # part of an application code
    page: int = 1


def _application(row: Disclosed) -> dict[str, Any]:
    a = row.application
    admission = getattr(a, "admission", None)
    return {
        "code": a.code,
        "stage": a.stage,
        "status": a.status,
        "child_name": row.child_name,
        "child_id_number": row.child_id_number,
        "unmasked": row.unmasked,
        "gender": a.gender,
        "priority_group": a.priority_group,
        "special_needs": a.special_needs,
        "submitted_at": a.submitted_at,
        "preferences": [
            {"rank": p.rank, "school_code": p.school.code, "school_name": p.school.name}
            for p in a.preferences.all()
        ],
        "private_school_code": a.private_school.code if a.private_school else None,
        "admission": None
        if admission is None
        else {
            "school_code": admission.school.code,
            "school_name": admission.school.name,
            "kind": admission.kind,
            "class_no": admission.class_no,
            "accepted": admission.accepted,
        },
    }


@router.get(
    "/seasons",
    response=list[StaffSeasonOut],
    summary="Seasons whose applications the caller may read",
    operation_id="staff_seasons",
)
def seasons(request: HttpRequest) -> list[Any]:
    require_role(request.user, *STAFF_ROLES, action="read applications")
    return list(seasons_visible_to(request.user).defer("policy_toml", "extra_columns"))


@router.get(
    "/seasons/{season_id}/schools",
    response=list[StaffSchoolOut],
    summary="The season's schools in the caller's scope",
    operation_id="staff_schools",
)
def schools(request: HttpRequest, season_id: int) -> list[School]:
    season = staff_season(request.user, season_id)
    return list(schools_visible_to(request.user, season))


@router.get(
    "/seasons/{season_id}/applications",
    response=ApplicationPageOut,
    summary="Applications in the caller's scope, filtered, 50 a page",
    operation_id="staff_applications",
)
def applications(
    request: HttpRequest, season_id: int, q: Query[ApplicationQuery]
) -> dict[str, Any]:
    user = request.user
    season = staff_season(user, season_id)
    school = None
    if q.school:
        school = schools_visible_to(user, season).filter(code=q.school).first()
        if school is None:
            raise Invalid(_("您的范围内没有学校 %(code)s。") % {"code": q.school}, field="school")
    filters = ApplicationFilters(
        q.stage, q.status, school, q.priority_group, q.special_needs, q.code.strip()
    )
    found = filter_applications(applications_visible_to(user).filter(season=season), filters)
    page = Paginator(with_list_columns(found), PAGE_SIZE).get_page(q.page)
    rows: list[Application] = list(page.object_list)
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "items": [_application(r) for r in disclose(actor=user, season=season, applications=rows)],
    }


@router.get(
    "/seasons/{season_id}/applications/{code}",
    response=ApplicationOut,
    summary="One application in the caller's scope",
    operation_id="staff_application",
)
def application(request: HttpRequest, season_id: int, code: str) -> dict[str, Any]:
    season = staff_season(request.user, season_id)
    found = staff_application(request.user, season, code)
    return _application(disclose(actor=request.user, season=season, applications=[found])[0])
