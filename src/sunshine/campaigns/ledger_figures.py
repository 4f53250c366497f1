"""The ledgers' figures per county, as the roll-up and the campaign summary show them.

The numbers come from the ledgers app's own summary (``sunshine.ledgers.queries``:
``region_summaries``, one query per ledger whatever the number of counties); this module only
picks and labels them, so the campaigns app never reads the ledgers' tables itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sunshine.ledgers.models import Ledger
from sunshine.ledgers.queries import CountySummary, counties_visible_to, region_summaries


@dataclass(frozen=True, slots=True)
class LedgerFigure:
    key: str
    label: str
    value: int | float | str


@dataclass(frozen=True, slots=True)
class LedgerFigures:
    region_code: str
    figures: tuple[LedgerFigure, ...]

    def value(self, key: str) -> int | float | str | None:
        return next((f.value for f in self.figures if f.key == key), None)


def ledger_regions(user: Any, prefix: str) -> set[str]:
    """Counties under ``prefix`` with ledger rows or a season that ``user`` may read."""
    if isinstance(user, str):
        return set()
    return {code for code, _name in counties_visible_to(user) if code.startswith(prefix)}


def _figures(summary: CountySummary) -> LedgerFigures:
    counts = summary.ledgers
    rectifications = counts[Ledger.RECTIFICATION]
    checklist = summary.checklist
    figures = (
        LedgerFigure("clues", _("问题线索"), counts[Ledger.CLUE].active),
        LedgerFigure("violations", _("违规查处"), counts[Ledger.VIOLATION].active),
        LedgerFigure("rectifications", _("整改事项"), rectifications.active),
        LedgerFigure("rectifications_done", _("整改完成"), rectifications.by_status.get("done", 0)),
        LedgerFigure("rectifications_overdue", _("整改逾期"), summary.rectification_overdue),
        LedgerFigure("rectifications_reopened", _("回头看重开"), summary.rectification_reopened),
        LedgerFigure("visits", _("明察暗访"), counts[Ledger.VISIT].active),
        LedgerFigure("visit_problems", _("暗访发现问题"), counts[Ledger.VISIT_PROBLEM].active),
        LedgerFigure("checklist", _("对照检查表"), f"{checklist.concluded}/{checklist.items}"),
    )
    return LedgerFigures(summary.region_code, figures)


def ledger_figures(codes: Iterable[str], *, today: dt.date) -> dict[str, LedgerFigures]:
    """Each county's figures, in one pass over the ledgers."""
    return {s.region_code: _figures(s) for s in region_summaries(codes, today=today)}
