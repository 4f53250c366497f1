"""The dashboard's figures, each a few grouped queries over what the user may read.

Scope comes from :mod:`sunshine.admissions.queries`: school staff count the applications that
list (or were admitted to) their school and see only their school's row; bureau staff and
inspectors their county; supervisors their region prefix. The review backlog is the review
app's own queues (:mod:`sunshine.review.queues`), so the dashboard and the queue pages agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import Admission, Application, Preference, School, Season
from sunshine.admissions.queries import applications_visible_to, schools_visible_to
from sunshine.review.queues import pending_first, pending_second

WITHDRAWN = Application.Status.WITHDRAWN


@dataclass(frozen=True, slots=True)
class StatusCount:
    status: str
    label: str
    count: int


def status_counts(user: Any, season: Season) -> list[StatusCount]:
    """Every status in its natural order, zero where none."""
    counts = dict(
        applications_visible_to(user)
        .filter(season=season)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    statuses = Application.Status.choices
    return [StatusCount(code, str(label), counts.get(code, 0)) for code, label in statuses]


@dataclass(frozen=True, slots=True)
class SchoolDemand:
    school: School
    plan_seats: int
    first_choice: int  # applications naming it first (a private school: its private choice)
    listings: int  # applications naming it at any rank (or as the private choice)
    admitted: int

    @property
    def ratio(self) -> float | None:
        """First-choice demand per planned seat."""
        return self.first_choice / self.plan_seats if self.plan_seats else None


def seats_and_demand(user: Any, season: Season) -> list[SchoolDemand]:
    """Per school in scope: its plan against first-choice demand and all listings."""
    schools = list(schools_visible_to(user, season))
    active = applications_visible_to(user).filter(season=season).exclude(status=WITHDRAWN)
    prefs = (
        Preference.objects.filter(application__in=active, school__in=schools)
        .values("school_id")
        .annotate(first=Count("pk", filter=Q(rank=1)), listed=Count("pk"))
        .order_by()
    )
    first = {r["school_id"]: r["first"] for r in prefs}
    listed = {r["school_id"]: r["listed"] for r in prefs}
    private = dict(
        active.filter(private_school__in=schools)
        .values_list("private_school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    admitted = dict(
        Admission.objects.filter(school__in=schools)
        .values_list("school_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        SchoolDemand(
            school=s,
            plan_seats=s.plan_seats,
            first_choice=first.get(s.pk, 0) + private.get(s.pk, 0),
            listings=listed.get(s.pk, 0) + private.get(s.pk, 0),
            admitted=admitted.get(s.pk, 0),
        )
        for s in schools
    ]


# Age buckets of the backlog, in whole days waited: (label, first day, last day or None).
AGE_BUCKETS: tuple[tuple[Promise, int, int | None], ...] = (
    (_("0–1 天"), 0, 1),
    (_("2–3 天"), 2, 3),
    (_("4–7 天"), 4, 7),
    (_("8–14 天"), 8, 14),
    (_("15 天以上"), 15, None),
)


@dataclass(frozen=True, slots=True)
class Backlog:
    level: int
    total: int
    by_age: list[int]  # one count per AGE_BUCKETS entry
    oldest_days: int | None


def _backlog(level: int, pending: QuerySet[Application], now: dt.datetime) -> Backlog:
    buckets = {}
    for i, (_label, first, last) in enumerate(AGE_BUCKETS):
        # Waited at least ``first`` whole days and at most ``last``.
        q = Q(waiting_since__lte=now - dt.timedelta(days=first)) if first else Q()
        if last is not None:
            q &= Q(waiting_since__gt=now - dt.timedelta(days=last + 1))
        buckets[f"b{i}"] = Count("pk", filter=q)
    row = pending.order_by().aggregate(total=Count("pk"), oldest=Min("waiting_since"), **buckets)
    oldest = row["oldest"]
    return Backlog(
        level=level,
        total=row["total"],
        by_age=[row[f"b{i}"] for i in range(len(AGE_BUCKETS))],
        oldest_days=None if oldest is None else max(0, (now - oldest).days),
    )


def review_backlog(user: Any, season: Season, now: dt.datetime) -> list[Backlog]:
    """Level 1 (school) and level 2 (bureau) backlogs by how long each has waited."""
    return [
        _backlog(1, pending_first(user, season), now),
        _backlog(2, pending_second(user, season), now),
    ]
