"""Reading personal data unmasked is a permission, and every such reading is audit-logged."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from sunshine.admissions.models import Season
from sunshine.audit.services import Actor, record_event


def record_unmasked_view(*, actor: Actor, season: Season, codes: Sequence[str]) -> None:
    """Log that ``actor`` was shown these applications' names and ID numbers in the clear.
    Application codes are public lottery ids, so they may appear in the event as they are."""
    if not codes:
        return
    with transaction.atomic():
        record_event(
            actor=actor,
            action="applications.personal_data_viewed",
            object_type="season",
            object_id=str(season.pk),
            detail={"applications": list(codes)},
        )
