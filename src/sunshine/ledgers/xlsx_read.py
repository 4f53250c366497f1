"""Reading a ledger back from .xlsx in the forms' shape. Nothing is written here: the reader
returns every row it understood and every problem it found, each with the row number and
column letter Excel shows, and the import service refuses the whole file if any is found."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from sunshine.ledgers.cells import CellError, as_number, as_text
from sunshine.ledgers.checklist import Checklist
from sunshine.ledgers.specs import LONG, LedgerSpec
from sunshine.ledgers.xlsx_write import CHECKLIST_HEADERS

MAX_ROWS = 5000
_HEADER_SEARCH_ROWS = 10
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Problem:
    row: int | None  # as Excel numbers it
    column: str | None  # a letter, as Excel shows it
    header: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("第 %(row)s 行") % {"row": self.row})
        if self.column is not None:
            where.append(_("%(col)s 列") % {"col": self.column})
        place = "，".join(where)
        if self.header:
            place += f"（{_(self.header)}）"
        return f"{place}：{self.message}" if place else self.message

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class ParsedRow:
    row: int
    number: int | None  # blank: the next free number
    values: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # field -> column letter


def _key(text: object) -> str:
    """A header or title as compared: whitespace dropped, ASCII brackets made full-width."""
    value = "" if text is None else str(text)
    value = _SPACE.sub("", value)
    return value.replace("(", "（").replace(")", "）").replace(":", "：").replace("/", "／")


def _cell_message(error: CellError) -> str:
    return _(error.message) % error.params


def _open(data: bytes, sheet_name: str, problems: list[Problem]) -> Any:
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        problems.append(Problem(None, None, None, _("无法读取该文件，请上传 .xlsx 格式的台账")))
        return None
    return book[sheet_name] if sheet_name in book.sheetnames else book.worksheets[0]


def _grid(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(values_only=True))


def _locate(
    grid: list[tuple[Any, ...]], title: str, headers: tuple[str, ...], problems: list[Problem]
) -> int | None:
    """The 1-based header row, after checking the title above it; None if not found."""
    wanted = [_key(h) for h in headers]
    for index, cells in enumerate(grid[:_HEADER_SEARCH_ROWS]):
        got = [_key(c) for c in cells[: len(wanted)]]
        if got != wanted:
            continue
        extra = [c for c in cells[len(wanted) :] if _key(c)]
        if extra:
            message = _("表头之后多出了列“%(h)s”，请按原表格式填报") % {"h": extra[0]}
            problems.append(Problem(index + 1, get_column_letter(len(wanted) + 1), None, message))
        above = [_key(c) for row in grid[:index] for c in row]
        if _key(title) not in above:
            message = _("表格标题应为“%(t)s”") % {"t": title}
            problems.append(Problem(1, "A", None, message))
        return index + 1
    message = _("找不到表头行，表头应依次为：%(h)s") % {"h": "、".join(headers)}
    problems.append(Problem(None, None, None, message))
    return None


def _data_rows(
    grid: list[tuple[Any, ...]], header_row: int, width: int, problems: list[Problem]
) -> list[tuple[int, tuple[Any, ...]]]:
    rows = []
    for number, cells in enumerate(grid[header_row:], start=header_row + 1):
        padded = (tuple(cells) + (None,) * width)[:width]
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in padded):
            continue
        rows.append((number, padded))
    if len(rows) > MAX_ROWS:
        message = _("一次最多导入 %(n)s 行") % {"n": MAX_ROWS}
        problems.append(Problem(None, None, None, message))
        return []
    return rows


def read_ledger(spec: LedgerSpec, data: bytes) -> tuple[list[ParsedRow], list[Problem]]:
    """Every data row of a ledger file, and every problem found in it."""
    problems: list[Problem] = []
    sheet = _open(data, spec.sheet, problems)
    if sheet is None:
        return [], problems
    grid = _grid(sheet)
    header_row = _locate(grid, spec.title, spec.headers, problems)
    if header_row is None:
        return [], problems
    parsed: list[ParsedRow] = []
    for row, cells in _data_rows(grid, header_row, len(spec.headers), problems):
        try:
            number = as_number(cells[0], required=False)
        except CellError as e:
            problems.append(Problem(row, "A", spec.headers[0], _cell_message(e)))
            number = None
        values: dict[str, Any] = {}
        letters: dict[str, str] = {}
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index + 1)
            letters[column.field] = letter
            try:
                values[column.field] = column.coerce(cells[index])
            except CellError as e:
                problems.append(Problem(row, letter, column.header, _cell_message(e)))
        parsed.append(ParsedRow(row, number, values, letters))
    return parsed, problems


@dataclass(frozen=True, slots=True)
class ParsedItem:
    row: int
    item_no: int
    measures: str
    conclusion: str


def read_checklist(checklist: Checklist, data: bytes) -> tuple[list[ParsedItem], list[Problem]]:
    """The measures and conclusions of a filled checklist; the item texts must be this
    edition's, so a file of another year's checklist is refused rather than misfiled."""
    problems: list[Problem] = []
    sheet = _open(data, "对照检查表", problems)
    if sheet is None:
        return [], problems
    grid = _grid(sheet)
    header_row = _locate(grid, checklist.title, CHECKLIST_HEADERS, problems)
    if header_row is None:
        return [], problems
    seen: dict[int, int] = {}
    items: list[ParsedItem] = []
    for row, cells in _data_rows(grid, header_row, len(CHECKLIST_HEADERS), problems):
        try:
            number = as_number(cells[0], required=True)
        except CellError as e:
            problems.append(Problem(row, "A", CHECKLIST_HEADERS[0], _cell_message(e)))
            continue
        assert number is not None
        item = checklist.item(number)
        if item is None:
            message = _("对照检查表只有 %(n)s 项") % {"n": len(checklist.items)}
            problems.append(Problem(row, "A", CHECKLIST_HEADERS[0], message))
            continue
        if number in seen:
            message = _("序号 %(n)s 与第 %(row)s 行重复") % {"n": number, "row": seen[number]}
            problems.append(Problem(row, "A", CHECKLIST_HEADERS[0], message))
            continue
        seen[number] = row
        if _key(cells[2]) != _key(item.text):
            message = _("与第 %(n)s 项的排查项目不一致，应为“%(text)s”") % {
                "n": number,
                "text": item.text,
            }
            problems.append(Problem(row, "C", CHECKLIST_HEADERS[2], message))
        texts = []
        for index in (3, 4):
            try:
                texts.append(_text(cells[index]))
            except CellError as e:
                letter = get_column_letter(index + 1)
                problems.append(Problem(row, letter, CHECKLIST_HEADERS[index], _cell_message(e)))
                texts.append("")
        items.append(ParsedItem(row, number, texts[0], texts[1]))
    return items, problems


def _text(value: object) -> str:
    return as_text(value, max_length=LONG, required=False)
