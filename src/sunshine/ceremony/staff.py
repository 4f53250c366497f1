"""Scope for the staff side of the ceremony, shared by the staff pages and the API.

:mod:`sunshine.ceremony.services` checks the role of each step; this adds the county: a
bureau administrator runs the ceremonies of their own county's seasons only. Notaries and
witnesses act on the ceremony they were invited to: one with a region code is held to it (a
county, or a city prefix); a notary office serves many counties, so an account without one
is not (its input still counts only for an announced role, once, before the draw).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Season, SeasonRun
from sunshine.admissions.services import run_season
from sunshine.audit.services import Actor
from sunshine.ceremony import services
from sunshine.ceremony.errors import NotPermitted, WrongState
from sunshine.ceremony.models import Ceremony, Redraw
from sunshine.errors import NotAllowed

__all__ = [
    "STAFF_ROLES",
    "ceremonies_for",
    "redraw_cosigned",
    "require_operator",
    "require_witness",
    "run_with_ceremony",
    "seasons_to_freeze",
]

OPERATOR = Role.BUREAU_ADMIN
WITNESS_ROLES = frozenset({Role.NOTARY, Role.WITNESS, Role.INSPECTOR})
STAFF_ROLES = frozenset({OPERATOR, *WITNESS_ROLES})


def _region(user: User) -> Q | None:
    code = user.region_code or ""
    if user.role in (OPERATOR, Role.INSPECTOR):
        return Q(season__region_code=code) if len(code) == 6 else None
    if user.role in (Role.NOTARY, Role.WITNESS):
        return Q(season__region_code__startswith=code)  # "" = any county, see above
    return None


def ceremonies_for(user: Any) -> QuerySet[Ceremony]:
    """Ceremonies ``user`` takes part in; nothing for any other role."""
    ceremonies = Ceremony.objects.select_related("season").defer(
        "pool_ids", "pool_groups", "transcript"
    )
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return ceremonies.none()
    region = _region(user)
    return ceremonies.filter(region) if region is not None else ceremonies.none()


def seasons_to_freeze(user: Any) -> QuerySet[Season]:
    if getattr(user, "role", None) != OPERATOR or len(user.region_code or "") != 6:
        return Season.objects.none()
    return Season.objects.filter(region_code=user.region_code).order_by("-school_year", "-pk")


def require_operator(actor: Actor, season: Season) -> None:
    """A bureau administrator of ``season``'s county (or the CLI, a str actor)."""
    if isinstance(actor, str):
        return
    if getattr(actor, "role", None) != OPERATOR or actor.region_code != season.region_code:
        raise NotPermitted(_("只有本县（区）教育局管理员可以主持本次摇号。"))


def require_witness(actor: Any, ceremony: Ceremony) -> None:
    if not ceremonies_for(actor).filter(pk=ceremony.pk).exists() or actor.role == OPERATOR:
        raise NotPermitted(_("您不是本次摇号的见证人。"))


def redraw_cosigned(ceremony: Ceremony, *, actor: Actor, approver: User, reason: str) -> Redraw:
    """A redraw ordered by one administrator and co-signed on the spot by another of the
    same county."""
    require_operator(actor, ceremony.season)
    if approver.region_code != ceremony.season.region_code:
        raise NotAllowed(_("会签人必须属于本县（区）教育局。"), field="cosigner_username")
    return services.redraw(ceremony, actor=actor, reason=reason, approver=approver)


def run_with_ceremony(ceremony: Ceremony, *, actor: Actor) -> SeasonRun:
    """Run the season's admissions on this ceremony's draw (every number equals the
    ceremony's; see ``run_season``)."""
    require_operator(actor, ceremony.season)
    drawn = (Ceremony.State.DRAWN, Ceremony.State.PUBLISHED)
    if ceremony.state not in drawn:
        raise WrongState("run the season", ceremony.state, drawn)
    return run_season(ceremony.season, actor=actor, ceremony=ceremony)
