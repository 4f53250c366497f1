"""Registry evidence in the admin. It is other departments' data as shared for a season, so the
admin only shows it (a correction is a new import); ID numbers are masked in the lists."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sunshine.audit.admin import ReadOnlyAdmin
from sunshine.core.ids import mask_id, mask_name
from sunshine.registry.models import (
    BirthRecord,
    HouseholdMember,
    PropertyOwnership,
    ResidencePermit,
    SeatUsage,
    SocialSecurity,
    StudentRecord,
    VaccinationRecord,
)


class EvidenceAdmin(ReadOnlyAdmin):
    """Rows keyed by a person: lists show the ID number masked; search matches it exactly."""

    id_field = "person_id"
    list_select_related = ("season",)

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return (f"={self.id_field}",)

    @admin.display(description=_("身份证号"))
    def masked_id(self, obj: models.Model) -> str:
        return mask_id(str(getattr(obj, self.id_field)))


@admin.register(HouseholdMember)
class HouseholdMemberAdmin(EvidenceAdmin):
    list_display = ("masked_id", "household_id", "relation", "registered_on", "season")
    list_filter = ("season", "relation")
    raw_id_fields = ("address",)


@admin.register(PropertyOwnership)
class PropertyOwnershipAdmin(EvidenceAdmin):
    id_field = "owner_id"
    list_display = ("certificate_no", "masked_id", "share", "acquired_on", "season")
    list_filter = ("season",)
    raw_id_fields = ("address",)

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return ("certificate_no", "=owner_id")


@admin.register(ResidencePermit)
class ResidencePermitAdmin(EvidenceAdmin):
    list_display = ("masked_id", "issued_on", "valid_until", "season")
    list_filter = ("season",)
    raw_id_fields = ("address",)


@admin.register(SocialSecurity)
class SocialSecurityAdmin(EvidenceAdmin):
    list_display = ("masked_id", "months_continuous", "as_of", "season")
    list_filter = ("season",)


@admin.register(BirthRecord)
class BirthRecordAdmin(EvidenceAdmin):
    id_field = "child_id"
    list_display = ("masked_id", "birth_date", "season")
    list_filter = ("season",)
    raw_id_fields = ("address",)


@admin.register(VaccinationRecord)
class VaccinationRecordAdmin(EvidenceAdmin):
    id_field = "child_id"
    list_display = ("masked_id", "complete", "season")
    list_filter = ("season", "complete")


@admin.register(SeatUsage)
class SeatUsageAdmin(EvidenceAdmin):
    id_field = "child_id"
    list_display = ("certificate_no", "year", "stage", "masked_id", "season")
    list_filter = ("season", "year", "stage")

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return ("certificate_no", "=child_id")


@admin.register(StudentRecord)
class StudentRecordAdmin(ReadOnlyAdmin):
    """学籍 are Sunshine's own records (一人一籍); they change only through the registry
    services, which write the audit log."""

    list_display = ("masked_student_no", "masked_name", "school", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("school",)
    search_fields = ("=student_no", "=child_id_number")
    raw_id_fields = ("school",)

    @admin.display(description=_("学籍号"))
    def masked_student_no(self, obj: StudentRecord) -> str:
        return obj.student_no[:1] + mask_id(obj.student_no[1:])

    @admin.display(description=_("姓名"))
    def masked_name(self, obj: StudentRecord) -> str:
        return mask_name(obj.child_name)
