"""Oversight cases in the admin. A reporter's name and contact are personal data: the list
shows neither, only the detail page does."""

from __future__ import annotations

from django.contrib import admin

from sunshine.oversight.models import Case


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "category", "status", "region_code", "received_at", "anonymous")
    list_filter = ("kind", "status", "category", "anonymous")
    search_fields = ("code", "summary")
    date_hierarchy = "received_at"
    raw_id_fields = ("school", "handler")
