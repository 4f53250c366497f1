"""Who may read and write which county's ledgers. Services ask here first; pages ask the same
questions only to decide which buttons to show.

- bureau reviewers and administrators read and write their own county's ledgers;
- inspectors (纪检监察) read their county's ledgers and write the clue, violation and
  inspection-visit ledgers (see ``specs``);
- supervisors read every county under their region prefix, and may record a 回头看;
- everyone else (school staff, families, notaries, witnesses) sees nothing.

The CLI and system jobs act as a plain string actor and are not limited by role or county.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.errors import Invalid, NotAllowed

COUNTY_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR})
BUREAU = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})
_COUNTY = re.compile(r"^[0-9]{6}$")


def check_region(region_code: str) -> str:
    if not isinstance(region_code, str) or not _COUNTY.match(region_code):
        raise Invalid(_("县级行政区划代码应为6位数字"), field="region_code")
    return region_code


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_read(user: Any, region_code: str) -> bool:
    if isinstance(user, str):
        return True
    if not _active(user):
        return False
    code = user.region_code or ""
    if user.role in COUNTY_ROLES:
        return len(code) == 6 and code == region_code
    # At least a province prefix: an empty prefix must never mean "every county".
    return user.role == Role.SUPERVISOR and len(code) >= 2 and region_code.startswith(code)


def can_write(user: Any, region_code: str, writers: frozenset[str]) -> bool:
    if isinstance(user, str):
        return True
    return (
        _active(user)
        and user.role in writers
        and user.role in COUNTY_ROLES
        and user.region_code == region_code
    )


def can_review(user: Any, region_code: str) -> bool:
    """回头看: the county's bureau and inspectors, and the supervisors above it."""
    if isinstance(user, str):
        return True
    return can_read(user, region_code)


def require_read(actor: Any, region_code: str) -> None:
    check_region(region_code)
    if not can_read(actor, region_code):
        raise NotAllowed(_("无权查看该县的台账"))


def require_write(actor: Any, region_code: str, writers: frozenset[str]) -> None:
    check_region(region_code)
    if not can_write(actor, region_code, writers):
        raise NotAllowed(_("无权修改该县的这本台账"))


def require_review(actor: Any, region_code: str) -> None:
    check_region(region_code)
    if not can_review(actor, region_code):
        raise NotAllowed(_("无权对该县的整改事项进行回头看"))


LEDGER_ROLES = COUNTY_ROLES | {Role.SUPERVISOR}


def require_ledger_staff(user: Any) -> None:
    """The index of counties: for the roles that keep or oversee ledgers, whatever the scope."""
    if isinstance(user, str):
        return
    if not (_active(user) and user.role in LEDGER_ROLES):
        raise NotAllowed(_("无权查看台账"))


def home_region(user: Any) -> str | None:
    """The county a county-level user works in; None for supervisors and everyone else."""
    if _active(user) and user.role in COUNTY_ROLES and _COUNTY.match(user.region_code or ""):
        return str(user.region_code)
    return None
