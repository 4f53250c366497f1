"""What a role may do, in one place, so views and services ask the same question."""

from __future__ import annotations

from typing import Any

from sunshine.accounts.models import STAFF_ROLES, Role
from sunshine.errors import NotAllowed

# Roles that may read personal data unmasked (always audit-logged by the caller).
UNMASKED_ROLES = frozenset({Role.BUREAU_ADMIN})


def is_staff_member(user: Any) -> bool:
    """Signed in with a staff role (school, bureau, inspector, supervisor)."""
    return bool(user.is_authenticated and user.is_active and user.role in STAFF_ROLES)


def sees_unmasked_personal_data(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in UNMASKED_ROLES)


def require_role(actor: Any, *roles: Role, action: str) -> None:
    """Refuse ``action`` unless ``actor`` is an active user holding one of ``roles``.
    Services call this first, so a page or an API call can never do more than its role."""
    if isinstance(actor, str):  # the CLI and system jobs act as themselves, outside roles
        return
    if not (getattr(actor, "is_authenticated", False) and actor.is_active and actor.role in roles):
        role = getattr(actor, "role", "anonymous")
        raise NotAllowed(f"{action}: not permitted for role {role}")
