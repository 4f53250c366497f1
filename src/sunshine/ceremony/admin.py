"""Read-only admin: the ceremony's record changes only through its audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sunshine.ceremony.models import Ceremony, Redraw, WitnessInput


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ceremony)
class CeremonyAdmin(ReadOnly):
    list_display = ("label", "season", "state", "frozen_at", "published_at")
    list_filter = ("state",)
    exclude = ("pool_ids", "pool_groups")


@admin.register(WitnessInput)
class WitnessInputAdmin(ReadOnly):
    list_display = ("ceremony", "role", "name", "entered_at")


@admin.register(Redraw)
class RedrawAdmin(ReadOnly):
    list_display = ("ceremony", "number", "actor", "approver", "at")
