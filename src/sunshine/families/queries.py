"""What a family may see: its own registrations and the applications linked to its account.
Every family page and API call finds its objects through these functions, so another family's
application is "not found" (404) rather than a different page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import Address, Application, Season
from sunshine.audit.checkpoints import AuditError, receipt_for_object
from sunshine.audit.models import AuditEvent, Checkpoint
from sunshine.errors import Conflict, NotFound
from sunshine.families.models import Registration


def require_parent(actor: Any, action: str) -> None:
    require_role(actor, Role.PARENT, action=action)


def applications_of(actor: Any) -> QuerySet[Application]:
    require_parent(actor, "family.view")
    return (
        actor.applications.select_related("season", "claimed_address", "admission__school")
        .order_by("-season__school_year", "code")
        .all()
    )


def application_of(actor: Any, pk: int) -> Application:
    application = applications_of(actor).filter(pk=pk).first()
    if application is None:
        raise NotFound(_("没有找到这份报名"))
    return application


def registrations_of(actor: Any) -> QuerySet[Registration]:
    require_parent(actor, "family.view")
    return Registration.objects.filter(owner=actor).select_related(
        "season", "claimed_address", "application"
    )


def registration_of(actor: Any, pk: int) -> Registration:
    registration = registrations_of(actor).filter(pk=pk).first()
    if registration is None:
        raise NotFound(_("没有找到这份报名"))
    return registration


def open_seasons(at: dt.datetime) -> QuerySet[Season]:
    """Seasons taking online registrations at ``at``, latest first."""
    return Season.objects.filter(registration_opens__lte=at, registration_closes__gt=at).order_by(
        "-school_year", "region_code"
    )


def address_seasons(actor: Any, at: dt.datetime) -> QuerySet[Season]:
    """The seasons whose addresses a family may search, as the child step of the registration
    page offers them: those taking online registrations at ``at`` (a new registration picks
    one) and those of the family's own registrations (whose child step searches its season).
    Addresses are places, not people, and the public lookup shows any season's; this keeps the
    family API to the family's own journey, the same seasons as the page."""
    require_parent(actor, "family.view")
    mine = Registration.objects.filter(owner=actor).values("season_id")
    return Season.objects.filter(Q(pk__in=open_seasons(at).values("pk")) | Q(pk__in=mine))


def family_address_search(actor: Any, season_id: int, text: str, at: dt.datetime) -> list[Address]:
    """:func:`search_addresses` in one of the :func:`address_seasons`; any other season is
    "not found"."""
    season = address_seasons(actor, at).filter(pk=season_id).first()
    if season is None:
        raise NotFound(_("没有这个招生季"))
    return search_addresses(season, text)


def search_addresses(season: Season, text: str, limit: int = 20) -> list[Address]:
    """Addresses of the season containing every word of ``text`` (at least two characters)."""
    words = [w for w in text.split() if w]
    if not words or sum(len(w) for w in words) < 2:
        return []
    query = Address.objects.filter(season=season)
    for word in words:
        query = query.filter(text__icontains=word)
    return list(query.order_by("text", "pk")[:limit])


def receipt_of(actor: Any, pk: int) -> dict[str, Any]:
    """The receipt (inclusion proof) of the application's registration in the audit log."""
    application = application_of(actor, pk)
    try:
        return receipt_for_object("application", application.code)
    except AuditError as error:
        raise Conflict(_("回执将在下一次审计检查点发布后提供，请稍后再下载")) from error


def receipt_ready(application: Application) -> bool:
    """Whether a signed checkpoint already covers the application's first audit event."""
    first = (
        AuditEvent.objects.filter(object_type="application", object_id=application.code)
        .order_by("seq")
        .values_list("seq", flat=True)
        .first()
    )
    latest = Checkpoint.objects.order_by("-tree_size").values_list("tree_size", flat=True).first()
    return first is not None and latest is not None and first < latest
