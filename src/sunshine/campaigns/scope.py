"""Who may read and change campaigns, the blacklist and the roll-up: one place, so pages, API
and services ask the same question.

A county user (bureau staff, inspector) has a 6-digit region code; a supervisor has a prefix
("33" a province, "3301" a city). A county sees the campaigns of its own county and of every
level above it (a city's campaign binds its counties); a supervisor sees those of its region
and below, and those above it too.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sunshine.accounts.models import Role
from sunshine.campaigns.models import BlacklistEntry, Campaign, Task

COUNTY_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR})
READER_ROLES = COUNTY_ROLES | {Role.SUPERVISOR}
MANAGER_ROLES = frozenset({Role.BUREAU_ADMIN, Role.SUPERVISOR})


def is_system(actor: Any) -> bool:
    """The CLI and scheduled jobs act as a string (e.g. "system"), outside roles and scope."""
    return isinstance(actor, str)


def region_of(user: Any) -> str | None:
    """The user's region code, or None when the role has no oversight scope or the code is
    malformed (an empty prefix must never mean "everything")."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return None
    code = user.region_code or ""
    if not code.isdigit():
        return None
    if user.role in COUNTY_ROLES and len(code) == 6:
        return str(code)
    if user.role == Role.SUPERVISOR and len(code) in (2, 4, 6):
        return str(code)
    return None


def _ancestors(code: str) -> list[str]:
    """The region itself and the province and city prefixes above it."""
    return [code[:n] for n in (2, 4, 6) if n <= len(code)]


def covers(scope: str, region_code: str) -> bool:
    """``scope`` (a user's region) includes ``region_code``."""
    return region_code.startswith(scope)


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.all()
    if is_system(user):
        return campaigns
    scope = region_of(user)
    if scope is None:
        return campaigns.none()
    return campaigns.filter(Q(region_code__in=_ancestors(scope)) | Q(region_code__startswith=scope))


def may_manage(user: Any, campaign: Campaign) -> bool:
    """Create phases and tasks, alert: a bureau administrator for its county's campaigns, a
    supervisor for those of its region and below."""
    if is_system(user):
        return True
    scope = region_of(user)
    return scope is not None and user.role in MANAGER_ROLES and covers(scope, campaign.region_code)


def may_update_task(user: Any, task: Task) -> bool:
    """The campaign's managers, or the bureau administrator of the county the task names."""
    if may_manage(user, task.campaign):
        return True
    scope = region_of(user)
    return bool(
        scope is not None
        and user.role == Role.BUREAU_ADMIN
        and task.region_code
        and task.region_code == scope
    )


def tasks_answered_by(user: Any) -> QuerySet[Task]:
    """The tasks ``user`` may update (:func:`may_update_task`, as a query): every task of a
    campaign it manages, and for a bureau administrator the tasks naming its county. Reading a
    campaign is not enough: a county reads its city's campaign, but answers only for the
    city's tasks that name it."""
    tasks = Task.objects.all()
    if is_system(user):
        return tasks
    scope = region_of(user)
    if scope is None or user.role not in MANAGER_ROLES:
        return tasks.none()
    condition = Q(campaign__region_code__startswith=scope)  # the campaigns it manages
    if user.role == Role.BUREAU_ADMIN:
        condition |= Q(region_code=scope)
    return tasks.filter(condition)


def blacklist_visible_to(user: Any) -> QuerySet[BlacklistEntry]:
    """Every state of the entries of the user's region (inspectors and supervisors read)."""
    entries = BlacklistEntry.objects.all()
    if is_system(user):
        return entries
    scope = region_of(user)
    if scope is None:
        return entries.none()
    return entries.filter(region_code__startswith=scope)
