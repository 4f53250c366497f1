"""Read-only questions about the ledgers, for pages and for other apps' roll-ups.

Stable API (the upper-level roll-up and the campaign summary report build on it):

- ``county_summary(region_code, today=...) -> CountySummary``
- ``region_summaries(region_codes, today=...) -> list[CountySummary]`` (one query per ledger,
  whatever the number of counties)
- ``CountySummary.as_dict()`` for JSON.

These functions do not check who is asking: the caller decides (``scope.can_read``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sunshine.accounts.models import Role
from sunshine.admissions.models import Season
from sunshine.ledgers.checklist import CURRENT_EDITION, load_checklist
from sunshine.ledgers.models import (
    ChecklistEntry,
    ChecklistEvidence,
    Ledger,
    LedgerRow,
    Rectification,
    RectificationReview,
)
from sunshine.ledgers.scope import can_read, home_region
from sunshine.ledgers.specs import SPECS

_RELATED: dict[str, tuple[str, ...]] = {
    Ledger.VISIT_PROBLEM: ("visit",),
    Ledger.VIOLATION: ("clue",),
}
_OPEN = (Rectification.Status.IN_PROGRESS, Rectification.Status.REOPENED)


@dataclass(frozen=True, slots=True)
class LedgerCount:
    kind: str  # a Ledger value: clue, violation, rectification, visit, visit_problem
    active: int  # rows not voided
    voided: int
    by_status: dict[str, int] = field(default_factory=dict)  # status code -> active rows


@dataclass(frozen=True, slots=True)
class ChecklistProgress:
    edition: str
    items: int  # on the form (26 for 2024)
    concluded: int  # items with a conclusion (检查结论) written
    with_measures: int  # items with measures taken (落实举措) written
    with_evidence: int  # items with at least one evidence file not voided

    @property
    def complete(self) -> bool:
        return self.concluded == self.items


@dataclass(frozen=True, slots=True)
class CountySummary:
    region_code: str
    ledgers: dict[str, LedgerCount]  # every Ledger value is present, zero when empty
    checklist: ChecklistProgress
    rectification_overdue: int  # open items whose deadline is before ``today``
    rectification_reopened: int  # 回头看 reopenings recorded (not undone by completion)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["checklist"]["complete"] = self.checklist.complete
        return out


def region_summaries(
    region_codes: Iterable[str], *, today: dt.date | None = None, edition: str = CURRENT_EDITION
) -> list[CountySummary]:
    """Summaries of several counties, in the order given."""
    codes = list(dict.fromkeys(region_codes))
    day = today or timezone.localdate()
    counts: dict[str, dict[str, LedgerCount]] = {code: {} for code in codes}
    for kind, spec in SPECS.items():
        has_status = any(c.field == "status" for c in spec.columns)
        fields = ["region_code", "status"] if has_status else ["region_code"]
        rows = (
            spec.manager()
            .filter(region_code__in=codes)
            .order_by()
            .values(*fields)
            .annotate(
                active=Count("pk", filter=Q(voided_at__isnull=True)),
                voided=Count("pk", filter=Q(voided_at__isnull=False)),
            )
        )
        tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        statuses: dict[str, dict[str, int]] = defaultdict(dict)
        for row in rows:
            tally[row["region_code"]][0] += row["active"]
            tally[row["region_code"]][1] += row["voided"]
            if has_status and row["active"]:
                statuses[row["region_code"]][row["status"]] = row["active"]
        for code in codes:
            active, voided = tally.get(code, [0, 0])
            counts[code][kind] = LedgerCount(kind, active, voided, statuses.get(code, {}))
    overdue = dict(
        Rectification.objects.filter(
            region_code__in=codes, voided_at__isnull=True, status__in=_OPEN, deadline__lt=day
        )
        .values_list("region_code")
        .annotate(n=Count("pk"))
    )
    reopened = dict(
        RectificationReview.objects.filter(
            rectification__region_code__in=codes,
            rectification__voided_at__isnull=True,
            reopened=True,
        )
        .values_list("rectification__region_code")
        .annotate(n=Count("pk"))
    )
    progress = _checklist_progress(codes, edition)
    return [
        CountySummary(
            code, counts[code], progress[code], overdue.get(code, 0), reopened.get(code, 0)
        )
        for code in codes
    ]


def county_summary(
    region_code: str, *, today: dt.date | None = None, edition: str = CURRENT_EDITION
) -> CountySummary:
    """Counts per ledger and status, overdue and reopened rectifications, checklist progress."""
    return region_summaries([region_code], today=today, edition=edition)[0]


def _checklist_progress(codes: list[str], edition: str) -> dict[str, ChecklistProgress]:
    items = len(load_checklist(edition).items)
    entries = (
        ChecklistEntry.objects.filter(region_code__in=codes, edition=edition)
        .values("region_code")
        .annotate(
            concluded=Count("pk", filter=~Q(conclusion=""), distinct=True),
            with_measures=Count("pk", filter=~Q(measures=""), distinct=True),
        )
    )
    by_code: dict[str, dict[str, Any]] = {e["region_code"]: dict(e) for e in entries}
    evidence = dict(
        ChecklistEvidence.objects.filter(
            entry__region_code__in=codes, entry__edition=edition, voided_at__isnull=True
        )
        .values_list("entry__region_code")
        .annotate(n=Count("entry", distinct=True))
    )
    out = {}
    for code in codes:
        e: dict[str, Any] = by_code.get(code, {})
        out[code] = ChecklistProgress(
            edition,
            items,
            e.get("concluded", 0),
            e.get("with_measures", 0),
            evidence.get(code, 0),
        )
    return out


def county_name(region_code: str) -> str:
    """The county's name from its latest admissions season; "" when none is loaded."""
    name = (
        Season.objects.filter(region_code=region_code)
        .order_by("-school_year", "-pk")
        .values_list("region_name", flat=True)
        .first()
    )
    return name or ""


def counties_visible_to(user: Any) -> list[tuple[str, str]]:
    """(code, name) of the counties whose ledgers ``user`` may read: their own county, or for
    a supervisor every county under the prefix that has a season or a ledger row."""
    own = home_region(user)
    if own is not None:
        return [(own, county_name(own))]
    if getattr(user, "role", None) != Role.SUPERVISOR or len(user.region_code or "") < 2:
        return []
    prefix = user.region_code
    names: dict[str, str] = {}
    seasons = Season.objects.filter(region_code__startswith=prefix).order_by("school_year", "pk")
    for code, name in seasons.values_list("region_code", "region_name"):
        names[code] = name  # the latest season's name wins
    for spec in SPECS.values():
        codes = (
            spec.manager()
            .filter(region_code__startswith=prefix)
            .values_list("region_code", flat=True)
        )
        for code in codes.distinct():
            names.setdefault(code, "")
    return sorted((c, n) for c, n in names.items() if len(c) == 6 and can_read(user, c))


def ledger_rows(kind: str, region_code: str, *, include_voided: bool = True) -> QuerySet[LedgerRow]:
    spec = SPECS[kind]
    rows = spec.manager().filter(region_code=region_code).order_by("number")
    # The reference each ledger's pages show beside a row, fetched with it.
    related: tuple[str, ...] = _RELATED.get(kind, ())
    rows = rows.select_related("created_by", "updated_by", *related)
    if kind == Ledger.VISIT:
        rows = rows.annotate(
            problem_count=Count("problems", filter=Q(problems__voided_at__isnull=True))
        )
    if not include_voided:
        rows = rows.filter(voided_at__isnull=True)
    return rows


def checklist_entries(
    region_code: str, edition: str = CURRENT_EDITION
) -> dict[int, ChecklistEntry]:
    entries = ChecklistEntry.objects.filter(region_code=region_code, edition=edition)
    return {e.item_no: e for e in entries.prefetch_related("evidence")}


def evidence_intact(evidence: ChecklistEvidence) -> bool:
    """Whether the stored file still has the SHA-256 recorded (and logged) when it was filed."""
    sha = hashlib.sha256()
    if not evidence.file.name:
        return False
    try:
        # Through the storage, not the field: a field file keeps a handle it once opened.
        with evidence.file.storage.open(evidence.file.name, "rb") as handle:
            for chunk in handle.chunks():
                sha.update(chunk)
    except OSError:
        return False
    return sha.hexdigest() == evidence.sha256
