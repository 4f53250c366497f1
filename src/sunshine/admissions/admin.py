"""Admissions in the admin, read-only: seasons come from `sunshine import`, decisions and
admissions from the season run, published lists from `publish_list` — each an audited service.
An edit here would bypass the audit log and the two-person rules (no single person can admit a
child), so the admin can look but never change. List views mask ID numbers and names."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import (
    Address,
    Admission,
    Application,
    Decision,
    Preference,
    PublishedList,
    PublishedVersion,
    School,
    Season,
    SeasonRun,
    Zone,
)
from sunshine.audit.admin import ReadOnlyAdmin, ReadOnlyMixin
from sunshine.core.ids import mask_id, mask_name


@admin.register(Season)
class SeasonAdmin(ReadOnlyAdmin):
    list_display = ("region_name", "region_code", "school_year", "imported_at")
    list_filter = ("school_year",)
    search_fields = ("region_code", "region_name")
    readonly_fields = ("policy_toml", "policy_sha256", "imported_at", "extra_columns")


@admin.register(School)
class SchoolAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "stage", "kind", "plan_seats", "class_size", "season")
    list_select_related = ("season",)
    list_filter = ("season", "stage", "kind")
    search_fields = ("code", "name")
    raw_id_fields = ("feeds",)


@admin.register(Zone)
class ZoneAdmin(ReadOnlyAdmin):
    list_display = ("code", "stage", "season")
    list_select_related = ("season",)
    list_filter = ("season", "stage")
    search_fields = ("code",)
    autocomplete_fields = ("schools",)


@admin.register(Address)
class AddressAdmin(ReadOnlyAdmin):
    list_display = ("code", "text", "lon", "lat", "season")
    list_select_related = ("season",)
    list_filter = ("season",)
    search_fields = ("code", "text")


class PreferenceInline(ReadOnlyMixin, admin.TabularInline):
    model = Preference
    extra = 0
    raw_id_fields = ("school",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("code", "masked_name", "masked_child_id", "stage", "status", "season")
    list_select_related = ("season",)
    list_filter = ("season", "stage", "status", "priority_group", "special_needs")
    # Exact ID numbers only: a partial search would let a list view reveal them piece by piece.
    search_fields = ("code", "=child_id_number")
    raw_id_fields = ("claimed_address", "private_school", "current_school")
    inlines = (PreferenceInline,)

    @admin.display(description=_("儿童姓名"), ordering="child_name")
    def masked_name(self, obj: Application) -> str:
        return mask_name(obj.child_name)

    @admin.display(description=_("儿童身份证号"))
    def masked_child_id(self, obj: Application) -> str:
        return mask_id(obj.child_id_number)


@admin.register(SeasonRun)
class SeasonRunAdmin(ReadOnlyAdmin):
    list_display = ("season", "mechanism", "started_at", "finished_at")
    list_select_related = ("season",)
    list_filter = ("season", "mechanism")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("application", "status", "school", "tier", "lottery_number", "run")
    list_select_related = ("application", "school", "run__season")
    list_filter = ("status", "run__season")
    search_fields = ("application__code",)
    raw_id_fields = ("run", "application", "school")


@admin.register(Admission)
class AdmissionAdmin(ReadOnlyAdmin):
    list_display = ("application", "masked_child_id", "school", "kind", "class_no", "accepted")
    list_select_related = ("application", "school")
    list_filter = ("season", "kind", "accepted")
    search_fields = ("application__code", "=child_id_number")
    raw_id_fields = ("application", "school", "decided_by_run")

    @admin.display(description=_("儿童身份证号"))
    def masked_child_id(self, obj: Admission) -> str:
        return mask_id(obj.child_id_number)


@admin.register(PublishedList)
class PublishedListAdmin(ReadOnlyAdmin):
    list_display = ("season", "kind", "school", "created")
    list_select_related = ("season", "school")
    list_filter = ("season", "kind")


@admin.register(PublishedVersion)
class PublishedVersionAdmin(ReadOnlyAdmin):
    list_display = ("list", "number", "sha256", "published_at", "published_by", "approved_by")
    list_select_related = ("list__season", "list__school", "published_by", "approved_by")
    list_filter = ("list__season", "list__kind")
