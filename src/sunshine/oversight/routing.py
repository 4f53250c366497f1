"""Routing a new case to a handling unit and handler, by region and category.

A complaint about the head of the unit that would handle it goes to the level above (the
city, region prefix of four digits) and a supervisor handles it: the accused's own unit never
sees it (纪检监察机关处理检举控告工作规则: complaints about the receiving body's head go to
the next level up).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from sunshine.accounts.models import Role, User
from sunshine.oversight.models import Case, Category, RoutingRule

OPEN_STATUSES = (
    Case.Status.RECEIVED,
    Case.Status.ACCEPTED,
    Case.Status.TRANSFERRED,
    Case.Status.REPLIED,
)

# Without a routing rule: bribes taken by officials go to discipline inspection (派驻纪检监察组);
# objections to one's own outcome to the reviewers who re-check it; the rest to the bureau.
DEFAULT_DESK: dict[str, str] = {
    Category.BRIBERY: Role.INSPECTOR,
    Category.ADMISSION_RESULT: Role.BUREAU_REVIEWER,
}
DESK_UNIT = {
    Role.BUREAU_ADMIN: "{region} 县级教育行政部门",
    Role.BUREAU_REVIEWER: "{region} 县级教育行政部门（招生审核）",
    Role.INSPECTOR: "{region} 派驻纪检监察组",
    Role.SUPERVISOR: "{region} 上级教育行政部门",
}


@dataclass(frozen=True, slots=True)
class Route:
    handling_region: str
    unit_name: str
    desk: str
    handler: Any  # a User or None: a case may wait for its unit to assign it


def upper_level(region_code: str) -> str:
    """The level above a county: its city (the first four digits)."""
    return region_code[:4]


def _least_loaded(users: Any) -> Any:
    open_cases = (
        Case.objects.filter(handler=OuterRef("pk"), status__in=OPEN_STATUSES)
        .values("handler")
        .annotate(n=Count("pk"))
        .values("n")
    )
    load = Coalesce(Subquery(open_cases, output_field=IntegerField()), Value(0))
    return users.annotate(load=load).order_by("load", "pk").first()


def _supervisor_for(level: str) -> Any:
    # The supervisor of the city, else of a wider region containing it (province...).
    prefixes = [level[:n] for n in range(len(level), 1, -1)]
    for prefix in prefixes:
        users = User.objects.filter(is_active=True, role=Role.SUPERVISOR, region_code=prefix)
        found = _least_loaded(users)
        if found is not None:
            return found
    return None


def _rule_for(region_code: str, category: str) -> RoutingRule | None:
    prefixes = [region_code[:n] for n in range(len(region_code), 1, -1)]
    rules = RoutingRule.objects.filter(
        Q(category=category) | Q(category=""), region_prefix__in=prefixes
    ).select_related("handler")
    ranked = sorted(
        rules, key=lambda r: (-len(r.region_prefix), r.category == "")
    )  # nearer region first, then the category's own rule before the catch-all
    return ranked[0] if ranked else None


def route(region_code: str, category: str, *, about_unit_head: bool) -> Route:
    if about_unit_head:
        level = upper_level(region_code)
        unit = DESK_UNIT[Role.SUPERVISOR].format(region=level)
        return Route(level, unit, Role.SUPERVISOR, _supervisor_for(level))
    rule = _rule_for(region_code, category)
    desk = rule.desk if rule else DEFAULT_DESK.get(category, Role.BUREAU_ADMIN)
    unit = rule.unit_name if rule else DESK_UNIT[Role(desk)].format(region=region_code)
    handler = rule.handler if rule else None
    if handler is not None and not (
        handler.is_active and handler.role == desk and handler.region_code == region_code
    ):
        handler = None  # a stale rule never hands a case to someone outside the desk
    if handler is None:
        users = User.objects.filter(is_active=True, role=desk, region_code=region_code)
        handler = _least_loaded(users)
    return Route(region_code, unit, desk, handler)
