"""The campaign summary as an .xlsx workbook (openpyxl): an overview sheet, the phases, the
tasks in the shape of the seeds' 工作安排表 (序号 / 时间 / 主要工作 / 责任单位, plus status),
and one row per county with its case rates and ledger figures."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sunshine.campaigns.summary import CampaignSummary

RATE_FORMAT = "0.0%"


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for i, name in enumerate(header, start=1):
        widest = max([len(str(name)), *(len(str(r[i - 1] or "")) for r in rows)])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, widest * 1.6))
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _rate_columns(book: Workbook, title: str, columns: range) -> None:
    sheet = book[title]
    for line in sheet.iter_rows(min_row=2, min_col=columns.start, max_col=columns.stop - 1):
        for cell in line:
            cell.number_format = RATE_FORMAT


def summary_workbook(summary: CampaignSummary) -> bytes:
    view, campaign = summary.view, summary.view.campaign
    book = Workbook()
    overview = book.active
    assert overview is not None
    overview.title = _("概况")
    counts = view.counts
    for label, value in [
        (_("专项行动"), campaign.name),
        (_("层级"), campaign.get_level_display()),
        (_("行政区划代码"), campaign.region_code),
        (_("开始日期"), campaign.starts_on),
        (_("结束日期"), campaign.ends_on),
        (_("统计截至"), timezone.localtime(summary.as_of).replace(tzinfo=None)),
        (_("任务总数"), counts.total),
        (_("已完成"), counts.done),
        (_("其中逾期完成"), counts.done_late),
        (_("逾期未完成"), counts.overdue),
        (_("未完成"), counts.open),
    ]:
        overview.append([str(label), value])
    overview.column_dimensions["A"].width = 16
    overview.column_dimensions["B"].width = 40
    _sheet(
        book,
        _("阶段"),
        [_("阶段"), _("开始日期"), _("结束日期"), _("状态"), _("工作内容")],
        [
            [r.phase.name, r.phase.starts_on, r.phase.ends_on, _state(r.state), r.phase.description]
            for r in view.phases
        ],
    )
    _sheet(
        book,
        _("任务"),
        [_("序号"), _("完成时限"), _("主要工作"), _("责任单位"), _("阶段"), _("状态"), _("逾期")],
        [
            [
                r.task.number,
                r.task.deadline,
                r.task.title,
                r.task.responsible_unit,
                r.task.phase.name if r.task.phase else "",
                r.task.get_status_display(),
                _("逾期未完成") if r.overdue else (_("逾期完成") if r.late else ""),
            ]
            for r in view.tasks
        ],
    )
    _county_sheet(book, summary)
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.is_date:
                    cell.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _state(state: str) -> str:
    return {"done": _("已结束"), "current": _("进行中"), "upcoming": _("未开始")}[state]


def _county_sheet(book: Workbook, summary: CampaignSummary) -> None:
    ledger_keys: list[tuple[str, str]] = []
    for county in summary.counties:
        for figure in county.ledgers.figures if county.ledgers else ():
            if (figure.key, figure.label) not in ledger_keys:
                ledger_keys.append((figure.key, figure.label))
    header = [
        _("行政区划代码"),
        _("地区"),
        _("收到件数"),
        _("已受理"),
        _("已办结"),
        _("逾期"),
        _("响应率"),
        _("解决率"),
        _("满意率"),
        _("黑名单公示"),
        *(label for _key, label in ledger_keys),
    ]
    rows = []
    for county in summary.counties:
        c = county.cases
        ledgers = [county.ledgers.value(key) if county.ledgers else None for key, _l in ledger_keys]
        rows.append(
            [
                county.region_code,
                county.region_name,
                c.received,
                c.accepted,
                c.closed,
                c.overdue,
                c.response_rate,
                c.resolution_rate,
                c.satisfaction_rate,
                county.blacklist_published,
                *ledgers,
            ]
        )
    title = _("各县情况")
    _sheet(book, title, header, rows)
    _rate_columns(book, title, range(7, 10))
