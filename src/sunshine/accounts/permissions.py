"""What a role may do, in one place, so views and services ask the same question."""

from __future__ import annotations

from typing import Any

from sunshine.accounts.models import STAFF_ROLES, Role

# Roles that may read personal data unmasked (always audit-logged by the caller).
UNMASKED_ROLES = frozenset({Role.BUREAU_ADMIN})


def is_staff_member(user: Any) -> bool:
    """Signed in with a staff role (school, bureau, inspector, supervisor)."""
    return bool(user.is_authenticated and user.is_active and user.role in STAFF_ROLES)


def sees_unmasked_personal_data(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in UNMASKED_ROLES)
