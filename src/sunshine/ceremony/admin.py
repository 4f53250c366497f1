"""Read-only admin: the ceremony's record changes only through its audited services."""

from __future__ import annotations

from django.contrib import admin

from sunshine.audit.admin import ReadOnlyAdmin
from sunshine.ceremony.models import Ceremony, Redraw, WitnessInput


@admin.register(Ceremony)
class CeremonyAdmin(ReadOnlyAdmin):
    list_display = ("label", "season", "state", "frozen_at", "published_at")
    list_filter = ("state",)
    exclude = ("pool_ids", "pool_groups")


@admin.register(WitnessInput)
class WitnessInputAdmin(ReadOnlyAdmin):
    list_display = ("ceremony", "role", "name", "entered_at")


@admin.register(Redraw)
class RedrawAdmin(ReadOnlyAdmin):
    list_display = ("ceremony", "number", "actor", "approver", "at")
