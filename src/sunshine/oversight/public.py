"""What the public may know of a case: its status and its dates, nothing else. The public
status page, the status API and Open311 all read a case through :func:`public_view`, which
never touches the reporter, the summary, the school or the handler."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sunshine.errors import NotFound
from sunshine.oversight.models import Case, CaseClock

CLOSED_STATES = (Case.Status.CLOSED, Case.Status.DECLINED)


@dataclass(frozen=True, slots=True)
class PublicClock:
    name: str
    label: str
    due_date: dt.date
    due_at: dt.datetime
    stopped_at: dt.datetime | None
    met: bool | None
    provisional: bool


@dataclass(frozen=True, slots=True)
class PublicCase:
    code: str
    kind: str
    category: str
    category_label: str
    status: str
    status_label: str
    region_code: str
    agency: str
    received_at: dt.datetime
    decided_at: dt.datetime | None
    replied_at: dt.datetime | None
    closed_at: dt.datetime | None
    updated_at: dt.datetime
    clocks: tuple[PublicClock, ...]
    lat: float | None
    long: float | None

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATES

    @property
    def expected_at(self) -> dt.datetime | None:
        """The deadline of the acceptance or handling clock now running (Open311's
        expected_datetime); none once the case is answered, closed or declined."""
        duties = (CaseClock.Name.ACCEPTANCE, CaseClock.Name.HANDLING)
        running = [c for c in self.clocks if c.stopped_at is None and c.name in duties]
        return running[-1].due_at if running else None

    @property
    def provisional(self) -> bool:
        return any(c.provisional for c in self.clocks)


def public_view(case: Case) -> PublicCase:
    clocks = tuple(
        PublicClock(
            c.name,
            str(CaseClock.Name(c.name).label),
            c.due_date,
            c.due_at,
            c.stopped_at,
            c.met,
            c.provisional,
        )
        for c in sorted(case.clocks.all(), key=lambda c: (c.started_at, c.pk))
    )
    return PublicCase(
        code=case.code,
        kind=case.kind,
        category=case.category,
        category_label=case.get_category_display(),
        status=case.status,
        status_label=case.get_status_display(),
        region_code=case.region_code,
        agency=case.handling_unit,
        received_at=case.received_at,
        decided_at=case.decided_at,
        replied_at=case.replied_at,
        closed_at=case.closed_at,
        updated_at=case.updated_at,
        clocks=clocks,
        lat=case.lat,
        long=case.long,
    )


def public_case(code: str) -> PublicCase:
    case = Case.objects.filter(code=code.strip().upper()).first()
    if case is None:
        raise NotFound(f"no case {code}")
    return public_view(case)
