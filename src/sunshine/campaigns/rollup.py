"""The upper-level view: every county under a region prefix side by side, ranked by the
response, resolution and satisfaction rates computed from the audit log's ``case.*`` events
(the arithmetic is ``sunshine.core.oversight_rates``), with each county's ledgers and
checklist (``sunshine.ledgers.queries``), its overdue campaign tasks and its blacklist."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import Season
from sunshine.audit.models import AuditEvent
from sunshine.campaigns.ledger_figures import LedgerFigures, ledger_figures, ledger_regions
from sunshine.campaigns.models import BlacklistEntry, Task
from sunshine.campaigns.scope import covers, region_of
from sunshine.core.oversight_rates import (
    CASE_ACTIONS,
    RATE_KEYS,
    CaseEvent,
    CountyRates,
    county_rates,
    empty_rates,
    ranking,
)
from sunshine.errors import Invalid, NotAllowed


@dataclass(frozen=True, slots=True)
class CountyColumn:
    region_code: str
    region_name: str
    cases: CountyRates
    places: dict[str, int]  # rate key -> place among the counties shown (1 = best)
    ledgers: LedgerFigures | None
    tasks_overdue: int
    blacklist_published: int


@dataclass(frozen=True, slots=True)
class Rollup:
    scope: str
    as_of: dt.datetime
    since: dt.datetime | None
    counties: list[CountyColumn]
    rankings: dict[str, list[str]]  # rate key -> region codes, best first


def case_events(*, until: dt.datetime | None = None) -> list[CaseEvent]:
    """Every ``case.*`` event of the log (up to ``until``), as the core function reads them.
    Only ``case.received`` and ``case.closed`` name a region; the core maps the rest through
    the case id. The detail is read from the event's canonical JSON, the bytes the log hashes."""
    events: QuerySet[AuditEvent] = AuditEvent.objects.filter(
        object_type="case", action__in=CASE_ACTIONS
    )
    if until is not None:
        events = events.filter(created_at__lte=until)
    out = []
    for case_id, action, at, canonical in events.order_by("seq").values_list(
        "object_id", "action", "created_at", "canonical"
    ):
        detail: dict[str, Any] = json.loads(canonical).get("detail") or {}
        on_time = detail.get("on_time")
        satisfaction = detail.get("satisfaction")
        out.append(
            CaseEvent(
                case_id=case_id,
                action=action,
                at=at,
                region_code=str(detail.get("region_code") or ""),
                on_time=on_time if isinstance(on_time, bool) else None,
                satisfaction=satisfaction if isinstance(satisfaction, str) else None,
            )
        )
    return out


def scope_for(user: Any, prefix: str = "") -> str:
    """The region prefix ``user`` asks for, checked: a supervisor any prefix inside its own, a
    county user (bureau staff, inspector) only its county."""
    require_role(
        user,
        Role.SUPERVISOR,
        Role.BUREAU_ADMIN,
        Role.BUREAU_REVIEWER,
        Role.INSPECTOR,
        action="view the roll-up",
    )
    own = region_of(user)
    if own is None:
        raise NotAllowed(_("您的账号没有设置辖区。"))
    prefix = (prefix or "").strip() or own
    if not prefix.isdigit() or len(prefix) > 6:
        raise Invalid(_("行政区划代码应为 2 到 6 位数字。"), field="prefix")
    if not covers(own, prefix):
        raise NotAllowed(_("该地区不在您的辖区内。"))
    return prefix


def region_names(codes: set[str]) -> dict[str, str]:
    """A county's name from its latest season (a code nobody named stays a code)."""
    names: dict[str, str] = {}
    seasons = Season.objects.filter(region_code__in=codes).order_by("school_year", "pk")
    for code, name in seasons.values_list("region_code", "region_name"):
        names[code] = name
    return names


def counties_under(prefix: str, case_rows: list[CountyRates], user: Any) -> set[str]:
    """Every county with something to show: cases, a season, ledgers, tasks or a listing."""
    codes = {row.region_code for row in case_rows}
    codes |= set(
        Season.objects.filter(region_code__startswith=prefix).values_list("region_code", flat=True)
    )
    codes |= set(
        Task.objects.filter(region_code__startswith=prefix).values_list("region_code", flat=True)
    )
    codes |= set(
        Task.objects.filter(campaign__region_code__startswith=prefix, campaign__level="county")
        .values_list("campaign__region_code", flat=True)
        .distinct()
    )
    codes |= set(
        BlacklistEntry.objects.filter(region_code__startswith=prefix).values_list(
            "region_code", flat=True
        )
    )
    codes |= ledger_regions(user, prefix)
    return {code for code in codes if code}


def build_rollup(
    prefix: str,
    *,
    as_of: dt.datetime,
    since: dt.datetime | None = None,
    user: Any = "system",
) -> Rollup:
    """The roll-up of ``prefix`` (already checked with :func:`scope_for`); with ``since``, the
    case figures are those of the cases received from then on."""
    rows = [
        row
        for row in county_rates(case_events(until=as_of), as_of=as_of, since=since)
        if row.region_code.startswith(prefix)
    ]
    by_code = {row.region_code: row for row in rows}
    codes = counties_under(prefix, rows, user)
    cases = [by_code.get(code) or empty_rates(code) for code in sorted(codes)]
    orders = {key: ranking(cases, key) for key in RATE_KEYS}
    places = {
        key: {code: place for place, code in enumerate(order, start=1)}
        for key, order in orders.items()
    }
    today = timezone.localdate(as_of)
    # A task answers to the county it names, or else to its county-level campaign's county.
    overdue = Counter(
        own or campaign_region
        for own, campaign_region in Task.objects.filter(
            Q(region_code__in=codes) | Q(region_code="", campaign__region_code__in=codes),
            deadline__lt=today,
        )
        .exclude(status=Task.Status.DONE)
        .values_list("region_code", "campaign__region_code")
    )
    listed = Counter(
        BlacklistEntry.objects.filter(
            region_code__in=codes, status=BlacklistEntry.Status.PUBLISHED
        ).values_list("region_code", flat=True)
    )
    names = region_names(codes)
    ledgers = ledger_figures(sorted(codes), today=today)
    counties = [
        CountyColumn(
            region_code=row.region_code,
            region_name=names.get(row.region_code, row.region_code),
            cases=row,
            places={key: places[key][row.region_code] for key in RATE_KEYS},
            ledgers=ledgers.get(row.region_code),
            tasks_overdue=overdue[row.region_code],
            blacklist_published=listed[row.region_code],
        )
        for row in cases
    ]
    return Rollup(scope=prefix, as_of=as_of, since=since, counties=counties, rankings=orders)


def rollup_for(user: Any, *, as_of: dt.datetime, prefix: str = "") -> Rollup:
    """What ``user`` may see of the roll-up: their region, or a part of it."""
    return build_rollup(scope_for(user, prefix), as_of=as_of, user=user)
