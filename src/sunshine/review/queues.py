"""The review queues: what waits for whom, oldest first, with the engine's checks.

Level 1 is a school officer's: applications listing their school that no one has reviewed yet,
or that were returned for correction and submitted again since. Level 2 is the county bureau's:
applications level 1 passed or rejected, waiting to be confirmed. The checks of the page shown
are computed in one batch (sunshine.review.assessment); the backlog's size and age cover the
whole queue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Min, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role, User
from sunshine.accounts.permissions import sees_unmasked_personal_data
from sunshine.admissions.disclosure import record_unmasked_view
from sunshine.admissions.models import Application, Season
from sunshine.admissions.queries import (
    applications_visible_to,
    seasons_visible_to,
    with_list_columns,
)
from sunshine.core.ids import mask_name
from sunshine.errors import Invalid, NotAllowed, NotFound
from sunshine.review.access import require_reader
from sunshine.review.assessment import Assessment, assess_applications
from sunshine.review.effects import review_effects
from sunshine.review.models import CaseState, Override, ReviewCase

PAGE_SIZE = 20


def pending_first(user: Any, season: Season) -> QuerySet[Application]:
    returned_and_resubmitted = Q(
        review_case__state=CaseState.RETURNED, submitted_at__gt=F("review_case__since")
    )
    return (
        applications_visible_to(user)
        .filter(season=season)
        .exclude(status=Application.Status.WITHDRAWN)
        .filter(Q(review_case__isnull=True) | returned_and_resubmitted)
        .annotate(waiting_since=Coalesce("submitted_at", "season__imported_at"))
        .order_by("waiting_since", "pk")
    )


def pending_second(user: Any, season: Season) -> QuerySet[Application]:
    return (
        applications_visible_to(user)
        .filter(season=season, review_case__state=CaseState.PENDING_SECOND)
        .exclude(status=Application.Status.WITHDRAWN)
        .annotate(waiting_since=F("review_case__since"))
        .order_by("waiting_since", "pk")
    )


@dataclass(frozen=True, slots=True)
class QueueRow:
    application: Application
    child_name: str  # masked unless the reader may see it in the clear
    waiting_since: dt.datetime
    age_days: int
    assessment: Assessment | None
    case: ReviewCase | None  # level 2: the level-1 decision waiting to be confirmed


@dataclass(frozen=True, slots=True)
class Queue:
    season: Season | None
    seasons: list[Season]
    level: int
    count: int
    oldest_days: int | None
    page: Page[Application] | None
    rows: list[QueueRow]


def default_level(user: User) -> int:
    return 1 if user.role == Role.SCHOOL_STAFF else 2


def review_queue(
    *,
    actor: Any,
    season_id: int | None = None,
    level: int | None = None,
    page: int | str | None = 1,
    now: dt.datetime | None = None,
) -> Queue:
    """One page of a review queue. A school officer works level 1; bureau staff, inspectors
    and supervisors see level 2 by default and may look at the county's level-1 backlog."""
    user = require_reader(actor)
    level = default_level(user) if level is None else level
    if level not in (1, 2):
        raise NotFound(_("没有这一级审核"))
    if level == 2 and user.role == Role.SCHOOL_STAFF:
        raise NotAllowed(_("第二级审核须由本县教育局审核人员进行，学校招生人员不能进行"))
    seasons = list(seasons_visible_to(user).defer("policy_toml", "extra_columns"))
    season = _season(seasons, season_id)
    if season is None:
        return Queue(None, seasons, level, 0, None, None, [])
    now = now or timezone.now()
    pending = (pending_first if level == 1 else pending_second)(user, season)
    oldest = pending.aggregate(oldest=Min("waiting_since"))["oldest"]
    paged = Paginator(
        with_list_columns(pending).select_related("review_case__last_record__reviewer"), PAGE_SIZE
    )
    shown = paged.get_page(page)
    apps = list(shown.object_list)
    codes = [a.code for a in apps]
    # The season row deferred its policy above; the assessment needs it.
    full = Season.objects.get(pk=season.pk)
    assessed = assess_applications(full, apps, review_effects(full, codes).adjustments)
    unmasked = sees_unmasked_personal_data(user)
    if unmasked:
        record_unmasked_view(actor=user, season=season, codes=codes)
    rows = [
        QueueRow(
            application=a,
            child_name=a.child_name if unmasked else mask_name(a.child_name),
            waiting_since=a.waiting_since,  # type: ignore[attr-defined]  # annotation
            age_days=age_in_days(a.waiting_since, now),  # type: ignore[attr-defined]
            assessment=assessed.get(a.code),
            case=getattr(a, "review_case", None) if level == 2 else None,
        )
        for a in apps
    ]
    return Queue(
        season,
        seasons,
        level,
        paged.count,
        None if oldest is None else age_in_days(oldest, now),
        shown,
        rows,
    )


def _season(seasons: list[Season], season_id: int | None) -> Season | None:
    if season_id is None:
        return seasons[0] if seasons else None
    found = next((s for s in seasons if s.pk == season_id), None)
    if found is None:
        raise NotFound(_("您的工作范围内没有这个招生季"))
    return found


def age_in_days(since: dt.datetime, now: dt.datetime) -> int:
    return max(0, (now - since).days)


def overrides_visible_to(*, actor: Any, state: str = "") -> QuerySet[Override]:
    """Overrides of the applications the reader may see; open ones oldest first (they are the
    second person's queue), closed ones latest decision first."""
    user = require_reader(actor)
    overrides = Override.objects.filter(
        application__in=applications_visible_to(user)
    ).select_related("application__season", "school", "requested_by", "decided_by")
    if state and state not in Override.State.values:
        raise Invalid(_("没有这种审批状态"), field="state")
    if state:
        overrides = overrides.filter(state=state)
    if state == Override.State.REQUESTED:
        return overrides.order_by("requested_at", "pk")
    return overrides.order_by(F("decided_at").desc(nulls_first=True), "-requested_at", "-pk")
