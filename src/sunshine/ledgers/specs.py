"""Each ledger's shape: its official title and columns, in the form's order, and who writes it.

The headers are the forms' own words (seed 002, 附件1–3, for the checklist, the clue ledger and
the violation register); the rectification and inspection ledgers have no national form, so
their columns follow the campaign documents' wording (问题、措施、责任人、时限; 走访、发现问题
"双台账"). The .xlsx files, the web tables and the API all read the columns from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_noop

from sunshine.accounts.models import Role
from sunshine.ledgers import cells
from sunshine.ledgers.models import (
    InspectionVisit,
    Ledger,
    LedgerRow,
    ProblemClue,
    Rectification,
    Violation,
    VisitProblem,
)

Kind = Literal["text", "date", "choice", "visit"]
LONG = 2000  # characters in a long text cell; a ledger summary, not a report
SHORT = 200

BUREAU = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})
# Inspectors (纪检监察) keep the clue and violation ledgers with the bureau, and run the
# 明察暗访 visits; the checklist and the rectification ledger are the bureau's own duty.
BUREAU_AND_INSPECTORS = BUREAU | {Role.INSPECTOR}
NUMBER_HEADER = "序号"
UNIT_LABEL = "县（市）教育局（签章）："


@dataclass(frozen=True, slots=True)
class Column:
    header: str  # the form's header, written into the .xlsx exactly
    field: str  # model field and API name
    kind: Kind = "text"
    required: bool = False
    max_length: int = LONG
    choices: type[models.TextChoices] | None = None
    # A state column is loaded by an import of new rows but changed afterwards only by its
    # own service (rectification status: complete, 回头看).
    state: bool = False
    width: int = 24  # .xlsx column width, in characters

    def labels(self) -> dict[str, str]:
        """Chinese label -> code, whatever the page's language (the forms are Chinese)."""
        assert self.choices is not None
        with translation.override("zh-hans"):
            return {str(label): value for value, label in self.choices.choices}

    def coerce(self, value: object) -> Any:
        """The stored value for a typed or spreadsheet ``value``; CellError if it cannot be."""
        if self.kind == "date":
            return cells.as_date(value, required=self.required)
        if self.kind == "choice":
            return cells.as_choice(value, self.labels(), required=self.required)
        if self.kind == "visit":
            return cells.as_number(value, required=self.required)
        return cells.as_text(value, max_length=self.max_length, required=self.required)

    def cell(self, value: Any) -> Any:
        """The .xlsx cell for a stored value: text, a date, a Chinese label or a number."""
        if value in ("", None):
            return None
        if self.kind == "choice":
            return {code: label for label, code in self.labels().items()}[value]
        return value


@dataclass(frozen=True, slots=True)
class LedgerSpec:
    kind: str  # a Ledger value
    slug: str  # in URLs
    title: str  # the form's title row
    sheet: str  # the worksheet's name (Excel allows 31 characters)
    model: type[LedgerRow]
    columns: tuple[Column, ...]
    writers: frozenset[str]
    # Fields kept on the web and in the API only: the forms have no column for them.
    extras: tuple[str, ...] = field(default=())

    @property
    def headers(self) -> tuple[str, ...]:
        return (NUMBER_HEADER, *(c.header for c in self.columns))

    @property
    def editable(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if not c.state)

    def manager(self) -> models.Manager[LedgerRow]:
        return self.model._default_manager

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)


def _text(header: str, name: str, *, required: bool = False, short: bool = False) -> Column:
    size = SHORT if short else LONG
    return Column(header, name, required=required, max_length=size, width=16 if short else 30)


CLUE = LedgerSpec(
    kind=Ledger.CLUE,
    slug="clues",
    title=gettext_noop("义务教育招生入学工作问题线索管理台账"),
    sheet="问题线索管理台账",
    model=ProblemClue,
    columns=(
        _text(gettext_noop("问题线索来源（含群众来信来电、上访、平台举报等）"), "source"),
        _text(gettext_noop("问题线索摘要"), "summary", required=True),
        _text(gettext_noop("办理情况"), "handling"),
        _text(gettext_noop("处理结果"), "result"),
        _text(gettext_noop("备注"), "remarks", short=True),
    ),
    writers=BUREAU_AND_INSPECTORS,
    extras=("case_code",),
)

VIOLATION = LedgerSpec(
    kind=Ledger.VIOLATION,
    slug="violations",
    title=gettext_noop("义务教育阳光招生专项行动违规招生行为查处登记表"),
    sheet="违规招生行为查处登记表",
    model=Violation,
    columns=(
        _text(gettext_noop("违规主体"), "violator", required=True, short=True),
        _text(gettext_noop("违规行为"), "behaviour", required=True),
        _text(gettext_noop("查处和追责情况"), "handling"),
    ),
    writers=BUREAU_AND_INSPECTORS,
    extras=("clue",),
)

RECTIFICATION = LedgerSpec(
    kind=Ledger.RECTIFICATION,
    slug="rectifications",
    title=gettext_noop("义务教育阳光招生专项行动问题整改台账"),
    sheet="问题整改台账",
    model=Rectification,
    columns=(
        _text(gettext_noop("存在问题"), "issue", required=True),
        _text(gettext_noop("整改措施"), "measures", required=True),
        _text(gettext_noop("责任单位（责任人）"), "owner", required=True, short=True),
        Column(gettext_noop("整改时限"), "deadline", "date", required=True, width=13),
        Column(
            gettext_noop("整改状态"),
            "status",
            "choice",
            choices=Rectification.Status,
            state=True,
            width=12,
        ),
        Column(gettext_noop("完成时间"), "completed_on", "date", state=True, width=13),
        Column(gettext_noop("回头看情况"), "review_note", state=True, max_length=8000, width=30),
    ),
    writers=BUREAU,
)

VISIT = LedgerSpec(
    kind=Ledger.VISIT,
    slug="visits",
    title=gettext_noop("义务教育招生入学明察暗访走访台账"),
    sheet="明察暗访走访台账",
    model=InspectionVisit,
    columns=(
        Column(gettext_noop("走访日期"), "visit_date", "date", required=True, width=13),
        _text(gettext_noop("走访单位"), "unit", required=True, short=True),
        Column(
            gettext_noop("走访方式（明察/暗访）"),
            "method",
            "choice",
            required=True,
            choices=InspectionVisit.Method,
            width=12,
        ),
        _text(gettext_noop("走访人员"), "inspectors", short=True),
        _text(gettext_noop("走访内容"), "content"),
        _text(gettext_noop("备注"), "remarks", short=True),
    ),
    writers=BUREAU_AND_INSPECTORS,
)

VISIT_PROBLEM = LedgerSpec(
    kind=Ledger.VISIT_PROBLEM,
    slug="visit-problems",
    title=gettext_noop("义务教育招生入学明察暗访发现问题台账"),
    sheet="明察暗访发现问题台账",
    model=VisitProblem,
    columns=(
        Column(gettext_noop("对应走访序号"), "visit", "visit", required=True, width=10),
        _text(gettext_noop("发现问题"), "description", required=True),
        _text(gettext_noop("整改意见"), "advice"),
        _text(gettext_noop("整改责任单位"), "owner", short=True),
        Column(gettext_noop("整改时限"), "deadline", "date", width=13),
        Column(
            gettext_noop("整改状态"),
            "status",
            "choice",
            choices=VisitProblem.Status,
            width=12,
        ),
        _text(gettext_noop("整改情况"), "progress"),
    ),
    writers=BUREAU_AND_INSPECTORS,
)

SPECS: dict[str, LedgerSpec] = {
    s.kind: s for s in (CLUE, VIOLATION, RECTIFICATION, VISIT, VISIT_PROBLEM)
}
BY_SLUG: dict[str, LedgerSpec] = {s.slug: s for s in SPECS.values()}


def spec_for(kind_or_slug: str) -> LedgerSpec:
    """The ledger named by its kind ("clue") or its URL slug ("clues"); KeyError if none."""
    return SPECS.get(kind_or_slug) or BY_SLUG[kind_or_slug]


def row_values(spec: LedgerSpec, row: LedgerRow) -> dict[str, Any]:
    """A row's column values as stored (a visit reference as the visit's number)."""
    values: dict[str, Any] = {}
    for column in spec.columns:
        if column.kind == "visit":
            values[column.field] = row.visit.number  # type: ignore[attr-defined]
        else:
            values[column.field] = getattr(row, column.field)
    return values


def extra_values(spec: LedgerSpec, row: LedgerRow) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in spec.extras:
        if name == "clue":
            clue = row.clue  # type: ignore[attr-defined]
            out["clue"] = clue.number if clue is not None else None
        else:
            out[name] = getattr(row, name)
    return out


def audit_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as JSON for an audit digest (dates as ISO text)."""
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
