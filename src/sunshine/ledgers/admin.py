"""Read-only admin: ledger rows change only through the audited services (the web pages and
the API), so every change is in the audit log."""

from __future__ import annotations

from django.contrib import admin

from sunshine.audit.admin import ReadOnlyAdmin
from sunshine.ledgers.models import (
    ChecklistEntry,
    ChecklistEvidence,
    InspectionVisit,
    ProblemClue,
    Rectification,
    RectificationReview,
    Violation,
    VisitProblem,
)

_ROW = ("region_code", "number", "voided_at", "updated_at")


@admin.register(ProblemClue)
class ProblemClueAdmin(ReadOnlyAdmin):
    list_display = (*_ROW[:2], "summary", "case_code", *_ROW[2:])
    list_filter = ("region_code",)
    search_fields = ("region_code", "case_code")


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = (*_ROW[:2], "violator", *_ROW[2:])
    list_filter = ("region_code",)


@admin.register(Rectification)
class RectificationAdmin(ReadOnlyAdmin):
    list_display = (*_ROW[:2], "owner", "deadline", "status", *_ROW[2:])
    list_filter = ("region_code", "status")


@admin.register(RectificationReview)
class RectificationReviewAdmin(ReadOnlyAdmin):
    list_display = ("rectification", "reviewed_on", "reopened", "at")


@admin.register(InspectionVisit)
class InspectionVisitAdmin(ReadOnlyAdmin):
    list_display = (*_ROW[:2], "visit_date", "unit", "method", *_ROW[2:])
    list_filter = ("region_code", "method")


@admin.register(VisitProblem)
class VisitProblemAdmin(ReadOnlyAdmin):
    list_display = (*_ROW[:2], "visit", "status", *_ROW[2:])
    list_filter = ("region_code", "status")


@admin.register(ChecklistEntry)
class ChecklistEntryAdmin(ReadOnlyAdmin):
    list_display = ("region_code", "edition", "item_no", "updated_at")
    list_filter = ("region_code", "edition")


@admin.register(ChecklistEvidence)
class ChecklistEvidenceAdmin(ReadOnlyAdmin):
    list_display = ("entry", "name", "sha256", "size", "uploaded_at", "voided_at")
