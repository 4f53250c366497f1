"""The counties-side-by-side table of the roll-up and the summary: one row per figure, one
column per county, rates shown with their numerator, denominator and place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunshine.campaigns.rollup import CountyColumn

COUNTS: tuple[tuple[str, Promise], ...] = (
    ("received", _("收到件数")),
    ("accepted", _("已受理")),
    ("declined", _("不予受理")),
    ("closed", _("已办结")),
    ("open", _("在办")),
    ("overdue", _("逾期")),
    ("warnings", _("时限预警")),
    ("escalated", _("升级督办")),
    ("reopened", _("重新办理件数")),
)
RATES: tuple[tuple[str, Promise, str, str], ...] = (
    ("response_rate", _("响应率"), "responded_on_time", "response_due"),
    ("resolution_rate", _("解决率"), "resolved", "accepted"),
    ("satisfaction_rate", _("满意率"), "content", "rated"),
)


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    note: str = ""  # e.g. "12/15 · 第 2 名"


@dataclass(frozen=True, slots=True)
class MetricRow:
    label: str
    cells: list[Cell]
    rate: bool = False


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def county_table(counties: Sequence[CountyColumn], *, tasks: bool = True) -> list[MetricRow]:
    rows = [
        MetricRow(str(label), [Cell(str(getattr(c.cases, key))) for c in counties])
        for key, label in COUNTS
    ]
    for key, label, numerator, denominator in RATES:
        cells = []
        for c in counties:
            n, d = getattr(c.cases, numerator), getattr(c.cases, denominator)
            place = str(_("第 %(n)d 名") % {"n": c.places[key]})
            cells.append(Cell(percent(c.cases.rate(key)), f"{n}/{d} · {place}"))
        rows.append(MetricRow(str(label), cells, rate=True))
    keys: dict[str, str] = {}
    for c in counties:
        for figure in c.ledgers.figures if c.ledgers else ():
            keys.setdefault(figure.key, figure.label)
    for key, text in keys.items():
        values = [c.ledgers.value(key) if c.ledgers else None for c in counties]
        rows.append(MetricRow(text, [Cell("—" if v is None else str(v)) for v in values]))
    if tasks:
        rows.append(MetricRow(str(_("逾期任务")), [Cell(str(c.tasks_overdue)) for c in counties]))
    rows.append(
        MetricRow(str(_("黑名单公示")), [Cell(str(c.blacklist_published)) for c in counties])
    )
    return rows
