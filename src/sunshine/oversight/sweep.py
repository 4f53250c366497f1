"""The clock sweep: record each 70 %/90 % warning and each escalation (overdue) exactly once.

Run it as often as you like (a scheduler or the CLI calls it): the stamps on each clock row,
written in the same transaction as the events, make a second run record nothing new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.audit.services import Actor
from sunshine.errors import Invalid
from sunshine.oversight.models import CaseClock
from sunshine.oversight.queries import cases_visible_to
from sunshine.oversight.services import event

__all__ = ["SweepResult", "sweep_clocks"]


@dataclass(frozen=True, slots=True)
class SweepResult:
    warnings: int
    escalations: int


def sweep_clocks(now: dt.datetime, *, actor: Actor) -> SweepResult:
    """Warn on running clocks past 70 % or 90 % and escalate those past their deadline.
    A user actor sweeps only the cases of its own scope."""
    require_role(actor, Role.BUREAU_ADMIN, Role.SUPERVISOR, action="sweep the case clocks")
    if now.tzinfo is None:
        raise Invalid("now must carry a time zone", field="now")
    warnings = escalations = 0
    with transaction.atomic():
        due = (
            CaseClock.objects.select_for_update(of=("self",))
            .filter(stopped_at__isnull=True, case__in=cases_visible_to(actor))
            .filter(
                Q(warn_70_at__lte=now, warned_70_at__isnull=True)
                | Q(warn_90_at__lte=now, warned_90_at__isnull=True)
                | Q(due_at__lte=now, escalated_at__isnull=True)
            )
            .select_related("case")
            .order_by("due_at", "pk")
        )
        for clock in due:
            case = clock.case
            fields = []
            for level, reached, stamp in (
                (70, clock.warn_70_at, "warned_70_at"),
                (90, clock.warn_90_at, "warned_90_at"),
            ):
                if reached <= now and getattr(clock, stamp) is None:
                    setattr(clock, stamp, now)
                    fields.append(stamp)
                    event(case, "case.clock_warning", actor=actor, clock=clock.name, level=level)
                    warnings += 1
            if clock.due_at <= now and clock.escalated_at is None:
                clock.escalated_at = now
                fields.append("escalated_at")
                # Escalation puts the case on the supervisor's desk: it stays with its
                # handler, and the level above sees it flagged as overdue (督办).
                event(case, "case.escalated", actor=actor, clock=clock.name)
                escalations += 1
            clock.save(update_fields=fields)
    return SweepResult(warnings, escalations)
