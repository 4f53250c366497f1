"""Per-region configuration of casework: clock lengths (ClockPolicy) and routing rules.

A county's administrator sets its own county; a supervisor any prefix under its own. Each
change is audited. The legal caps stay: an extension never exceeds 30 days.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sunshine.accounts.models import Role, User
from sunshine.accounts.permissions import require_role
from sunshine.audit.services import Actor, record_event
from sunshine.core.deadlines import MAX_EXTENSION_DAYS
from sunshine.errors import Invalid, NotAllowed
from sunshine.oversight.models import Category, ClockPolicy, RoutingRule, Unit

__all__ = ["set_clock_policy", "set_routing_rule"]


def _check_prefix(actor: Actor, prefix: str) -> None:
    if not (2 <= len(prefix) <= 6 and prefix.isdigit()):
        raise Invalid("the region prefix is 2 to 6 digits", field="region_prefix")
    if isinstance(actor, str):
        return
    code = actor.region_code or ""
    if actor.role == Role.SUPERVISOR:
        ok = len(code) >= 2 and prefix.startswith(code)
    else:
        ok = len(code) == 6 and prefix == code
    if not ok:
        raise NotAllowed(f"region {prefix} is outside your scope")


def _days(value: int, field: str, upper: int = 366) -> int:
    if not 1 <= value <= upper:
        raise Invalid(f"{field} must be 1 to {upper} days", field=field)
    return value


def set_clock_policy(
    *,
    actor: Actor,
    region_prefix: str,
    acceptance_days: int,
    acceptance_unit: str,
    handling_days: int,
    handling_unit: str,
    extension_max_days: int,
    feedback_days: int,
    feedback_unit: str,
    source: str,
) -> ClockPolicy:
    """Create or replace a region's clock lengths. Cases already running keep their clocks."""
    require_role(actor, Role.BUREAU_ADMIN, Role.SUPERVISOR, action="set case clocks")
    _check_prefix(actor, region_prefix)
    for name, unit in (
        ("acceptance_unit", acceptance_unit),
        ("handling_unit", handling_unit),
        ("feedback_unit", feedback_unit),
    ):
        if unit not in Unit.values:
            raise Invalid(f"unknown unit {unit!r}", field=name)
    if not 0 <= extension_max_days <= MAX_EXTENSION_DAYS:
        raise Invalid(
            f"one extension is at most {MAX_EXTENSION_DAYS} days", field="extension_max_days"
        )
    if not source.strip():
        raise Invalid("cite the rule that sets these limits", field="source")
    values: dict[str, Any] = {
        "acceptance_days": _days(acceptance_days, "acceptance_days"),
        "acceptance_unit": acceptance_unit,
        "handling_days": _days(handling_days, "handling_days"),
        "handling_unit": handling_unit,
        "extension_max_days": extension_max_days,
        "feedback_days": _days(feedback_days, "feedback_days"),
        "feedback_unit": feedback_unit,
        "source": source.strip(),
    }
    with transaction.atomic():
        policy, _ = ClockPolicy.objects.update_or_create(
            region_prefix=region_prefix, defaults=values
        )
        record_event(
            actor=actor,
            action="case.clock_policy_set",
            object_type="clock_policy",
            object_id=region_prefix,
            after=values,
            detail=values,
        )
    return policy


def set_routing_rule(
    *,
    actor: Actor,
    region_prefix: str,
    category: str,
    desk: str,
    unit_name: str,
    handler: User | None = None,
) -> RoutingRule:
    """Create or replace the rule that sends ``category`` (``""`` = every category) in a
    region prefix to a desk, and optionally to a named handler of that desk."""
    require_role(actor, Role.BUREAU_ADMIN, Role.SUPERVISOR, action="set case routing")
    _check_prefix(actor, region_prefix)
    if category and category not in Category.values:
        raise Invalid(f"unknown category {category!r}", field="category")
    if desk not in RoutingRule.Desk.values:
        raise Invalid(f"unknown desk {desk!r}", field="desk")
    if not unit_name.strip():
        raise Invalid("name the handling unit", field="unit_name")
    if handler is not None and (
        handler.role != desk or not handler.region_code.startswith(region_prefix)
    ):
        raise Invalid("the handler must hold the desk's role in this region", field="handler")
    with transaction.atomic():
        rule, _ = RoutingRule.objects.update_or_create(
            region_prefix=region_prefix,
            category=category,
            defaults={"desk": desk, "unit_name": unit_name.strip(), "handler": handler},
        )
        record_event(
            actor=actor,
            action="case.routing_rule_set",
            object_type="routing_rule",
            object_id=f"{region_prefix}:{category or '*'}",
            detail={"desk": desk, "handler": handler.pk if handler else None},
        )
    return rule
