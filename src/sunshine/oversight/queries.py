"""Who may see which cases. Scope is decided here, never in a template or a view.

County staff (bureau reviewers and administrators, inspectors) see the cases their county
handles; a supervisor sees every case handled under its region prefix, including those sent
up from a county because they concern the head of its bureau. School staff see none: a case
may be about their school.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import is_staff_member
from sunshine.errors import NotFound
from sunshine.oversight.models import Case

COUNTY_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR})
CASE_ROLES = COUNTY_ROLES | {Role.SUPERVISOR}


def cases_visible_to(user: Any) -> QuerySet[Case]:
    cases = Case.objects.all()
    if isinstance(user, str):  # the CLI and system jobs
        return cases
    if not is_staff_member(user):
        return cases.none()
    code = user.region_code or ""
    if user.role in COUNTY_ROLES and len(code) == 6:
        return cases.filter(handling_region=code)
    # At least a province prefix: an empty prefix must never mean "everything".
    if user.role == Role.SUPERVISOR and len(code) >= 2:
        return cases.filter(handling_region__startswith=code)
    return cases.none()


def visible_case(user: Any, code: str) -> Case:
    case = cases_visible_to(user).select_related("handler", "school").filter(code=code).first()
    if case is None:
        raise NotFound(f"no case {code} in your scope")
    return case


def cases_of_reporter(user: Any) -> QuerySet[Case]:
    """A signed-in family's own cases (objections and complaints from its page)."""
    if isinstance(user, str) or not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(reporter__account=user)


def is_handler(user: Any, case: Case) -> bool:
    return (
        not isinstance(user, str)
        and getattr(user, "is_authenticated", False)
        and case.handler_id is not None
        and case.handler_id == user.pk
    )


def region_covers(user: Any, region_code: str) -> bool:
    """Whether a staff user's region scope includes ``region_code``."""
    code = getattr(user, "region_code", "") or ""
    if user.role in COUNTY_ROLES:
        return len(code) == 6 and code == region_code
    if user.role == Role.SUPERVISOR:
        return len(code) >= 2 and region_code.startswith(code)
    return False
