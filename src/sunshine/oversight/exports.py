"""The case list as a workbook for the bureau's own records. It holds no reporter identity
(the identity lives in another table this module never reads) and no free text a reporter
typed: the summary may name people, so it stays on the case page behind the scope check."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.audit.services import Actor, record_event
from sunshine.oversight.models import Case, CaseClock
from sunshine.oversight.queries import cases_visible_to

__all__ = ["export_cases", "export_rows"]


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _due(case: Case, name: str) -> str:
    clocks = [c for c in case.clocks.all() if c.name == name]
    return clocks[-1].due_date.isoformat() if clocks else ""


def header() -> list[str]:
    return [
        _("编号"),
        _("类型"),
        _("问题类别"),
        _("来源渠道"),
        _("行政区划代码"),
        _("承办单位"),
        _("状态"),
        _("收到时间"),
        _("受理告知截止"),
        _("办理截止"),
        _("答复时间"),
        _("办结时间"),
        _("满意度"),
        _("改派次数"),
        _("重新办理次数"),
    ]


def export_rows(cases: Any) -> list[list[Any]]:
    rows = []
    for case in cases.prefetch_related("clocks").order_by("received_at", "pk"):
        rows.append(
            [
                case.code,
                case.get_kind_display(),
                case.get_category_display(),
                case.get_channel_display(),
                case.region_code,
                case.handling_unit,
                case.get_status_display(),
                _local(case.received_at),
                _due(case, CaseClock.Name.ACCEPTANCE),
                _due(case, CaseClock.Name.HANDLING),
                _local(case.replied_at),
                _local(case.closed_at),
                case.get_satisfaction_display(),
                case.reassign_count,
                case.reopen_count,
            ]
        )
    return rows


def export_cases(*, actor: Actor) -> bytes:
    """The cases of ``actor``'s scope as an .xlsx file; the export itself is logged."""
    require_role(
        actor,
        Role.BUREAU_REVIEWER,
        Role.BUREAU_ADMIN,
        Role.INSPECTOR,
        Role.SUPERVISOR,
        action="export cases",
    )
    with transaction.atomic():
        rows = export_rows(cases_visible_to(actor))
        record_event(
            actor=actor,
            action="case.exported",
            object_type="case_export",
            object_id=timezone.now().strftime("%Y%m%dT%H%M%S"),
            detail={"rows": len(rows)},
        )
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = _("投诉举报")
    sheet.append(header())
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
