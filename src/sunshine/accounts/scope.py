"""What a user may read, decided in one place so services, queries and the API ask the same
question (issue #5: roles and scope are enforced in the services, never only in templates).

* a family reads its own children's applications (``User.applications``);
* school staff read their school (see ``admissions.queries``);
* bureau staff and discipline inspectors read their county, a supervisor every county under
  its region prefix (:func:`region_prefix`);
* inspectors and supervisors read the audit log of their region (:func:`audit_events_visible_to`);
* notaries and witnesses read no application at all: only the ceremony they attend.

An app whose services write audit events about a new kind of object registers how such an
object maps to a region with :func:`register_audit_scope`, in one line beside its services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from sunshine.accounts.models import Role, User
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import Application, PublishedList, Season
from sunshine.audit.models import AuditEvent
from sunshine.ceremony.models import Ceremony
from sunshine.errors import NotAllowed

# Roles whose scope is one county (a six-digit code); a supervisor's is a prefix of one.
COUNTY_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR})
AUDIT_READERS = (Role.INSPECTOR, Role.SUPERVISOR)
# A supervisor's prefix must name at least a province: an empty prefix would mean everything.
MIN_PREFIX = 2


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def region_prefix(user: Any) -> str | None:
    """The region code (a county) or prefix (a supervisor's city or province) whose seasons
    ``user`` reads whole; None for everyone else, including a scope that is not set."""
    if not _active(user):
        return None
    code = user.region_code or ""
    if user.role in COUNTY_ROLES and len(code) == 6 and code.isdigit():
        return code
    if user.role == Role.SUPERVISOR and MIN_PREFIX <= len(code) <= 6 and code.isdigit():
        return code
    return None


def region_q(user: Any, field: str) -> Q | None:
    """``Q(<field>__startswith=prefix)`` for the user's region, or None when it has none."""
    prefix = region_prefix(user)
    return None if prefix is None else Q(**{f"{field}__startswith": prefix})


def family_applications(user: Any) -> QuerySet[Application]:
    """A family account's own children's applications; nothing for any other account."""
    if not _active(user) or user.role != Role.PARENT:
        return Application.objects.none()
    return Application.objects.filter(family_accounts=user)


# --- the audit log ---------------------------------------------------------------------------

# object type -> (region prefix -> query of the ids, as text, of such objects in that region)
AuditScope = Callable[[str], QuerySet[Any]]


def _as_text(queryset: QuerySet[Any], field: str = "pk") -> QuerySet[Any]:
    return queryset.annotate(ref=Cast(field, CharField())).values("ref")


AUDIT_OBJECT_SCOPES: dict[str, AuditScope] = {
    "season": lambda p: _as_text(Season.objects.filter(region_code__startswith=p)),
    "application": lambda p: _as_text(
        Application.objects.filter(season__region_code__startswith=p), "code"
    ),
    "published_list": lambda p: _as_text(
        PublishedList.objects.filter(season__region_code__startswith=p)
    ),
    "ceremony": lambda p: _as_text(Ceremony.objects.filter(season__region_code__startswith=p)),
}
# Events about the log itself belong to no region: every auditor reads them.
AUDIT_GLOBAL_TYPES = frozenset({"checkpoint"})


def register_audit_scope(object_type: str, scope: AuditScope) -> None:
    """Say which region an app's audit objects belong to, e.g. for complaints::

    register_audit_scope("complaint", lambda p: Complaint.objects.filter(
        season__region_code__startswith=p).annotate(ref=Cast("pk", CharField())).values("ref"))
    """
    AUDIT_OBJECT_SCOPES[object_type] = scope


def require_audit_reader(actor: Any, *, action: str) -> str:
    """Refuse unless ``actor`` is an inspector or supervisor with a region; return the region."""
    require_role(actor, *AUDIT_READERS, action=action)
    prefix = region_prefix(actor)
    if prefix is None:
        raise NotAllowed(f"{action}: the account has no region to read")
    return prefix


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """Events about objects in the user's region, or done by people working in it, plus the
    log's own events; nothing for anyone who is not an inspector or supervisor."""
    events = AuditEvent.objects.order_by("seq")
    if not _active(user) or user.role not in AUDIT_READERS:
        return events.none()
    prefix = region_prefix(user)
    if prefix is None:
        return events.none()
    people = (
        User.objects.filter(
            Q(region_code__startswith=prefix) | Q(school__season__region_code__startswith=prefix)
        )
        .annotate(ref=Concat(Value("user:"), Cast("pk", CharField()), output_field=CharField()))
        .values("ref")
    )
    condition = Q(actor__in=people) | Q(object_type__in=AUDIT_GLOBAL_TYPES)
    for object_type, scope in AUDIT_OBJECT_SCOPES.items():
        condition |= Q(object_type=object_type, object_id__in=scope(prefix))
    return events.filter(condition)
