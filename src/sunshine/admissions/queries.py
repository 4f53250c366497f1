"""Who may see which applications. Scope is decided here, never in a template or a view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import is_staff_member
from sunshine.admissions.models import Application, Preference, School, Season

# Roles that see a whole county; a supervisor sees every county under its region prefix.
_COUNTY_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR})


def _region_filter(user: Any, prefix: str = "season__") -> Q | None:
    """The region condition for a bureau, inspector or supervisor user; None = no scope."""
    code = user.region_code or ""
    if user.role in _COUNTY_ROLES and len(code) == 6:
        return Q(**{f"{prefix}region_code": code})
    # At least a province prefix: an empty prefix must never mean "everything".
    if user.role == Role.SUPERVISOR and len(code) >= 2:
        return Q(**{f"{prefix}region_code__startswith": code})
    return None


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """Applications ``user`` may read: school staff those who listed their school (as a public
    preference or as the private choice) or were admitted there; bureau staff and inspectors
    their county; supervisors their region prefix; everyone else nothing."""
    applications = Application.objects.all()
    if not is_staff_member(user):
        return applications.none()
    if user.role == Role.SCHOOL_STAFF:
        if user.school_id is None:
            return applications.none()
        listed = Preference.objects.filter(application=OuterRef("pk"), school_id=user.school_id)
        return applications.filter(
            Exists(listed)
            | Q(private_school_id=user.school_id)
            | Q(admission__school_id=user.school_id)
        )
    region = _region_filter(user)
    return applications.filter(region) if region is not None else applications.none()


def seasons_visible_to(user: Any) -> QuerySet[Season]:
    """Seasons whose applications ``user`` may read, latest first."""
    seasons = Season.objects.order_by("-school_year", "-imported_at", "-pk")
    if not is_staff_member(user):
        return seasons.none()
    if user.role == Role.SCHOOL_STAFF:
        return seasons.filter(schools=user.school_id) if user.school_id else seasons.none()
    region = _region_filter(user, prefix="")
    return seasons.filter(region) if region is not None else seasons.none()


def schools_visible_to(user: Any, season: Season) -> QuerySet[School]:
    schools = School.objects.filter(season=season).order_by("stage", "code")
    if user.role == Role.SCHOOL_STAFF:
        return schools.filter(pk=user.school_id)
    return schools


@dataclass(frozen=True, slots=True)
class ApplicationFilters:
    stage: str = ""
    status: str = ""
    school: School | None = None  # listed it, chose it as private school, or admitted there
    priority_group: str = ""
    special_needs: str = ""
    code: str = ""  # part of an application code


def filter_applications(
    applications: QuerySet[Application], f: ApplicationFilters
) -> QuerySet[Application]:
    if f.stage:
        applications = applications.filter(stage=f.stage)
    if f.status:
        applications = applications.filter(status=f.status)
    if f.school is not None:
        listed = Preference.objects.filter(application=OuterRef("pk"), school=f.school)
        applications = applications.filter(
            Exists(listed) | Q(private_school=f.school) | Q(admission__school=f.school)
        )
    if f.priority_group:
        applications = applications.filter(priority_group=f.priority_group)
    if f.special_needs:
        applications = applications.filter(special_needs=f.special_needs)
    if f.code:
        applications = applications.filter(code__icontains=f.code)
    return applications


def with_list_columns(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Everything the staff list shows, in a fixed number of queries whatever the page size."""
    preferences = Preference.objects.select_related("school").order_by("rank")
    return applications.select_related("private_school", "admission__school").prefetch_related(
        Prefetch("preferences", queryset=preferences)
    )
