"""What the planning pages read: schools with their plans and pending changes, and the zone
and plan changes the public may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import is_staff_member
from sunshine.admissions.models import School, Season, Zone
from sunshine.admissions.queries import seasons_visible_to
from sunshine.errors import NotAllowed, NotFound
from sunshine.planning.models import PlanChange, ZoneChange

BUREAU = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})
# Published zone changes stay public whatever became of them (effective or withdrawn).
PUBLIC_ZONE = Q(published_at__isnull=False)
PUBLIC_PLAN = Q(state__in=[PlanChange.State.SCHEDULED, PlanChange.State.APPLIED])


def planning_seasons(user: Any) -> QuerySet[Season]:
    """Seasons whose plans and zones ``user`` may read (any staff member in scope)."""
    return seasons_visible_to(user).defer("policy_toml", "extra_columns")


def season_in_scope(user: Any, season_id: int) -> Season:
    """A season in a staff member's scope, for the API: a non-staff caller is refused, and
    another county's season reads as not found (as if it did not exist)."""
    if not is_staff_member(user):
        raise NotAllowed("staff only")
    season = seasons_visible_to(user).filter(pk=season_id).first()
    if season is None:
        raise NotFound(f"no season {season_id} in your scope")
    return season


def may_change(user: Any, season: Season) -> bool:
    """Whether the page offers the change forms (the services decide again)."""
    return bool(user.role in BUREAU and user.region_code == season.region_code)


def schools_with_plans(season: Season) -> QuerySet[School]:
    scheduled = PlanChange.objects.filter(state=PlanChange.State.SCHEDULED).order_by(
        "effective_from", "pk"
    )
    return (
        School.objects.filter(season=season)
        .annotate(admitted=Count("admissions"))
        .prefetch_related(Prefetch("plan_changes", queryset=scheduled, to_attr="scheduled"))
        .order_by("stage", "code")
    )


def zones_of(season: Season | int) -> QuerySet[Zone]:
    return Zone.objects.filter(season=season).prefetch_related("schools").order_by("stage", "code")


def plan_changes_in(seasons: QuerySet[Season]) -> QuerySet[PlanChange]:
    return PlanChange.objects.filter(season__in=seasons).select_related(
        "school", "requested_by", "approved_by"
    )


def plan_changes(season: Season) -> QuerySet[PlanChange]:
    return plan_changes_in(Season.objects.filter(pk=season.pk))


def zone_changes_all() -> QuerySet[ZoneChange]:
    return ZoneChange.objects.select_related(
        "season", "zone", "created_by", "published_by"
    ).prefetch_related("schools")


def zone_changes(season: Season) -> QuerySet[ZoneChange]:
    return zone_changes_all().filter(season=season)


def public_zone_changes() -> QuerySet[ZoneChange]:
    return (
        ZoneChange.objects.filter(PUBLIC_ZONE)
        .select_related("season", "zone")
        .prefetch_related("schools")
        .order_by("-published_at", "-pk")
    )


def public_plan_changes() -> QuerySet[PlanChange]:
    return (
        PlanChange.objects.filter(PUBLIC_PLAN)
        .select_related("season", "school")
        .order_by("-effective_from", "-pk")
    )
