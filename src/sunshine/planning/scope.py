"""Who may change a season's plans and zones: bureau staff of that season's county."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import Season
from sunshine.errors import NotAllowed

BUREAU = (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN)


def require_county(actor: Any, season: Season, *roles: Role, action: str) -> None:
    """Refuse unless ``actor`` holds one of ``roles`` in ``season``'s county. The CLI and
    system jobs (a str actor) act outside roles, as everywhere else."""
    require_role(actor, *roles, action=action)
    if isinstance(actor, str):
        return
    if actor.region_code != season.region_code:
        raise NotAllowed(
            _("%(action)s：只能处理本县（区）%(region)s 的招生季。")
            % {"action": action, "region": actor.region_code or "—"}
        )
