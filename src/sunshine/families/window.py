"""The online registration window of a season, set by the bureau (or the demo)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import Season
from sunshine.audit.services import Actor, record_event
from sunshine.errors import Invalid, NotAllowed


def set_registration_window(
    *, actor: Actor, season: Season, opens: dt.datetime, closes: dt.datetime
) -> Season:
    """Open online registration from ``opens`` until (not including) ``closes``."""
    require_role(actor, Role.BUREAU_ADMIN, action="season.set_registration_window")
    if not isinstance(actor, str) and actor.region_code != season.region_code:
        raise NotAllowed(_("只能设置本县的报名时间"))
    if timezone.is_naive(opens) or timezone.is_naive(closes):
        raise Invalid(_("报名时间须带时区"), field="opens")
    if not opens < closes:
        raise Invalid(_("截止时间须晚于开始时间"), field="closes")
    with transaction.atomic():
        locked = Season.objects.select_for_update().get(pk=season.pk)
        before = _window(locked)
        locked.registration_opens, locked.registration_closes = opens, closes
        locked.save(update_fields=["registration_opens", "registration_closes"])
        record_event(
            actor=actor,
            action="season.registration_window_set",
            object_type="season",
            object_id=str(locked.pk),
            before=before,
            after=_window(locked),
            detail=_window(locked),
        )
    return locked


def _window(season: Season) -> dict[str, str | None]:
    def iso(at: dt.datetime | None) -> str | None:
        return at.astimezone(dt.UTC).isoformat() if at else None

    return {"opens": iso(season.registration_opens), "closes": iso(season.registration_closes)}
