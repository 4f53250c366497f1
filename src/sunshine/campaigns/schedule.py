"""Pure date rules of a campaign: phase states, phase overlaps and overdue tasks.

A deadline is a date; the work is due by the end of that day in the bureau's time zone, so a
task is overdue from the next day on while it is not done.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

PhaseState = Literal["done", "current", "upcoming"]


def phase_state(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> PhaseState:
    if today > ends_on:
        return "done"
    if today >= starts_on:
        return "current"
    return "upcoming"


def overlaps(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    """Two closed date ranges share a day."""
    return a[0] <= b[1] and b[0] <= a[1]


def is_overdue(deadline: dt.date, done: bool, today: dt.date) -> bool:
    return not done and today > deadline


def finished_late(deadline: dt.date, completed_on: dt.date | None) -> bool:
    return completed_on is not None and completed_on > deadline
