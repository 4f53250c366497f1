"""Plan and zone changes in the admin: visible, never editable (changes go through the audited
services in sunshine.planning.services)."""

from __future__ import annotations

from django.contrib import admin

from sunshine.audit.admin import ReadOnlyAdmin
from sunshine.planning.models import PlanChange, ZoneChange


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnlyAdmin):
    list_display = ("pk", "school", "plan_seats", "effective_from", "state", "requested_by")
    list_filter = ("state",)


@admin.register(ZoneChange)
class ZoneChangeAdmin(ReadOnlyAdmin):
    list_display = ("pk", "code", "new_zone", "effective_from", "state", "published_at")
    list_filter = ("state", "new_zone")
