"""Casework in the admin. Cases, clocks and answers change only through their audited
services, so the admin only shows them; a reporter's identity is not in the admin at all
(only the designated handler reads it, through an audited service). Clock lengths and routing
rules are configuration: the admin edits them through their services, which log each change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sunshine.audit.admin import ReadOnlyAdmin
from sunshine.oversight.config import set_clock_policy, set_routing_rule
from sunshine.oversight.models import AnswerTemplate, Case, CaseClock, ClockPolicy, RoutingRule


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "category", "status", "region_code", "received_at", "anonymous")
    list_filter = ("kind", "status", "category", "anonymous", "channel")
    search_fields = ("code",)
    date_hierarchy = "received_at"
    exclude = ("summary",)  # reporters' own words may name them: read on the case page


@admin.register(CaseClock)
class CaseClockAdmin(ReadOnlyAdmin):
    list_display = ("case", "name", "round", "started_at", "due_date", "stopped_at", "met")
    list_filter = ("name", "met", "provisional")


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(ReadOnlyAdmin):
    list_display = ("title", "category", "region_prefix", "status", "usage_count")
    list_filter = ("status", "category")


class _NoDelete:
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ClockPolicy)
class ClockPolicyAdmin(_NoDelete, admin.ModelAdmin):
    list_display = ("region_prefix", "acceptance_days", "handling_days", "extension_max_days")

    def save_model(self, request: HttpRequest, obj: ClockPolicy, form: Any, change: bool) -> None:
        saved = set_clock_policy(
            actor=request.user,
            region_prefix=obj.region_prefix,
            acceptance_days=obj.acceptance_days,
            acceptance_unit=obj.acceptance_unit,
            handling_days=obj.handling_days,
            handling_unit=obj.handling_unit,
            extension_max_days=obj.extension_max_days,
            feedback_days=obj.feedback_days,
            feedback_unit=obj.feedback_unit,
            source=obj.source,
        )
        obj.pk = saved.pk


@admin.register(RoutingRule)
class RoutingRuleAdmin(_NoDelete, admin.ModelAdmin):
    list_display = ("region_prefix", "category", "desk", "handler", "unit_name")
    raw_id_fields = ("handler",)

    def save_model(self, request: HttpRequest, obj: RoutingRule, form: Any, change: bool) -> None:
        saved = set_routing_rule(
            actor=request.user,
            region_prefix=obj.region_prefix,
            category=obj.category,
            desk=obj.desk,
            unit_name=obj.unit_name,
            handler=obj.handler,
        )
        obj.pk = saved.pk
