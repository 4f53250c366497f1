"""Who may see which applications. Scope is decided here, never in a template or a view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from sunshine.accounts.models import STAFF_ROLES, Role
from sunshine.accounts.permissions import (
    is_staff_member,
    require_role,
    sees_unmasked_personal_data,
)
from sunshine.accounts.scope import region_q
from sunshine.admissions.disclosure import record_unmasked_view
from sunshine.admissions.models import Application, Preference, School, Season
from sunshine.core.ids import mask_id, mask_name
from sunshine.errors import NotFound


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
    region = region_q(user, "season__region_code")
    return applications.filter(region) if region is not None else applications.none()


def seasons_visible_to(user: Any) -> QuerySet[Season]:
    """Seasons whose applications ``user`` may read, latest first."""
    seasons = Season.objects.order_by("-school_year", "-imported_at", "-pk")
    if not is_staff_member(user):
        return seasons.none()
    if user.role == Role.SCHOOL_STAFF:
        return seasons.filter(schools=user.school_id) if user.school_id else seasons.none()
    region = region_q(user, "region_code")
    return seasons.filter(region) if region is not None else seasons.none()


def schools_visible_to(user: Any, season: Season) -> QuerySet[School]:
    schools = School.objects.filter(season=season).order_by("stage", "code")
    if user.role == Role.SCHOOL_STAFF:
        return schools.filter(pk=user.school_id)
    return schools


def staff_season(user: Any, season_id: int) -> Season:
    """The season ``season_id`` if ``user`` is staff and it lies in their scope. Refuses a
    non-staff account (NotAllowed) and answers a season outside the scope as not found, so a
    caller cannot tell another county's seasons from ones that do not exist."""
    require_role(user, *STAFF_ROLES, action="read applications")
    season = seasons_visible_to(user).filter(pk=season_id).first()
    if season is None:
        raise NotFound(f"no season {season_id} in your scope")
    return season


def staff_application(user: Any, season: Season, code: str) -> Application:
    """One application of ``season`` that ``user`` may read, with its list columns."""
    require_role(user, *STAFF_ROLES, action="read an application")
    found = with_list_columns(applications_visible_to(user).filter(season=season, code=code))
    application = found.first()
    if application is None:
        raise NotFound(f"no application {code!r} in your scope")
    return application


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


@dataclass(frozen=True, slots=True)
class Disclosed:
    """An application with its child's name and ID number as this reader may see them."""

    application: Application
    child_name: str
    child_id_number: str
    unmasked: bool


def disclose(*, actor: Any, season: Season, applications: Sequence[Application]) -> list[Disclosed]:
    """Mask the names and ID numbers unless ``actor`` may read them in the clear, and then log
    that it did (one audit event for the lot, in its own transaction)."""
    unmasked = sees_unmasked_personal_data(actor)
    rows = [
        Disclosed(
            a,
            a.child_name if unmasked else mask_name(a.child_name),
            a.child_id_number if unmasked else mask_id(a.child_id_number),
            unmasked,
        )
        for a in applications
    ]
    if unmasked:
        record_unmasked_view(actor=actor, season=season, codes=[a.code for a in applications])
    return rows
