"""Ledgers as .xlsx in the forms' shape: the title row, the unit line (填报单位、填报人、联系电话、
填报时间), the header row, then one row per record. Text is always written as text, so a
summary that starts with "=" or reads "#N/A" stays what was typed (never a formula)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sunshine.ledgers.checklist import Checklist
from sunshine.ledgers.specs import NUMBER_HEADER, UNIT_LABEL, LedgerSpec

TITLE_ROW, UNIT_ROW, HEADER_ROW = 1, 2, 3
FIRST_DATA_ROW = HEADER_ROW + 1
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_DROPDOWN_ROWS = 500  # choice columns offer their labels this far below the header


def unit_line(unit: str, filler: str, phone: str, day: str) -> str:
    """The line under the title, as on the forms, with the 填报时间 appended."""
    gap = "　　"  # ideographic spaces, as a typed form spaces its blanks
    return f"{UNIT_LABEL}{unit}{gap}填报人：{filler}{gap}联系电话：{phone}{gap}填报时间：{day}"


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula or an error code
    return cell


def _frame(
    sheet: Any, title: str, unit: str, headers: Sequence[str], widths: Sequence[int]
) -> None:
    last = get_column_letter(len(headers))
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    title_cell = _put(sheet, TITLE_ROW, 1, title)
    title_cell.font = Font(bold=True, size=16)
    title_cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[TITLE_ROW].height = 30
    sheet.merge_cells(f"A{UNIT_ROW}:{last}{UNIT_ROW}")
    _put(sheet, UNIT_ROW, 1, unit).alignment = Alignment(vertical="center")
    for index, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(sheet, HEADER_ROW, index, header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = _BORDER
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{FIRST_DATA_ROW}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _body(sheet: Any, rows: Iterable[Sequence[Any]]) -> None:
    for r, cells in enumerate(rows, start=FIRST_DATA_ROW):
        for c, value in enumerate(cells, start=1):
            cell = _put(sheet, r, c, value)
            cell.alignment = _WRAP
            cell.border = _BORDER


def _save(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ledger_workbook(
    spec: LedgerSpec, rows: Iterable[tuple[int, dict[str, Any]]], unit: str
) -> bytes:
    """``rows`` are (number, stored values) in ledger order."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = spec.sheet
    widths = [6, *(c.width for c in spec.columns)]
    _frame(sheet, spec.title, unit, spec.headers, widths)
    _body(
        sheet,
        ([number, *(c.cell(values[c.field]) for c in spec.columns)] for number, values in rows),
    )
    for index, column in enumerate(spec.columns, start=2):
        if column.choices is None:
            continue
        letter = get_column_letter(index)
        labels = ",".join(column.labels())
        check = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
        check.add(f"{letter}{FIRST_DATA_ROW}:{letter}{FIRST_DATA_ROW + _DROPDOWN_ROWS}")
        sheet.add_data_validation(check)
    return _save(book)


CHECKLIST_HEADERS = (
    NUMBER_HEADER,
    "重点任务",
    "重点任务排查项目",
    "落实举措（简要填写印发文件或政策执行情况）",
    "检查结论",
)


def checklist_workbook(
    checklist: Checklist, answers: dict[int, tuple[str, str]], unit: str
) -> bytes:
    """All items of ``checklist`` in order; ``answers`` maps an item number to (measures,
    conclusion). The group name spans its items' rows, as on the form."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "对照检查表"
    _frame(sheet, checklist.title, unit, CHECKLIST_HEADERS, [6, 16, 40, 40, 20])
    rows = []
    for group in checklist.groups:
        for position, item in enumerate(group.items):
            measures, conclusion = answers.get(item.number, ("", ""))
            name = group.name if position == 0 else None
            rows.append([item.number, name, item.text, measures or None, conclusion or None])
    _body(sheet, rows)
    row = FIRST_DATA_ROW
    for group in checklist.groups:
        end = row + len(group.items) - 1
        if end > row:
            sheet.merge_cells(f"B{row}:B{end}")
        sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="center")
        row = end + 1
    return _save(book)
