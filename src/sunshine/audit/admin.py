"""The audit log in the admin: visible, never editable (it is append-only; see docs/audit.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sunshine.audit.models import AuditEvent, AuditHead, Checkpoint


class ReadOnlyMixin:
    """For rows that only a service (or another department's data) may write: the admin can
    look but not add, change or delete. Mixed into model admins and inlines alike."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A model admin that only shows."""


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "created_at", "actor", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor", "action", "object_id", "leaf_hash")
    date_hierarchy = "created_at"
    ordering = ("-seq",)
    readonly_fields = (
        "seq",
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "canonical",
        "leaf_hash",
    )


@admin.register(AuditHead)
class AuditHeadAdmin(ReadOnlyAdmin):
    list_display = ("pk", "next_seq")


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ("tree_size", "created_at", "root_hash", "key_id")
    ordering = ("-tree_size",)
