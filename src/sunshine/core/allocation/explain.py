"""Why each child got what it got, at every school it listed (structured; see explain_text
for the words).

The reason for an entry follows from the final allocation alone: where the school's cut-off
fell in its decisive round (priority level and lottery number of the last child admitted) versus
the child's own, or that the school was full before the child's round, or that a school higher
on the list admitted the child first.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from sunshine.core.allocation.result import NEVER_FULL, NONE, PRIVATE_ROUND, Allocation, Status
from sunshine.core.market import NOT_ADMISSIBLE, Market
from sunshine.core.policy import Mechanism


class Why(IntEnum):
    ADMITTED = 0
    HIGHER_CHOICE_ADMITTED = 1  # a school earlier in the list admitted the child
    NOT_ADMISSIBLE = 2  # the child may not be admitted there (zone, eligibility)
    NO_SEATS = 3  # the school's plan has no seats
    FULL_BEFORE_ROUND = 4  # priority_first: filled in an earlier round than this choice's
    CUTOFF_BETTER_LEVEL = 5  # the cut-off fell in a better priority level than the child's
    CUTOFF_LOTTERY = 6  # the cut-off fell in the child's level; its lottery number came later


@dataclass(frozen=True, slots=True)
class Choice:
    school: int
    why: Why
    round: int  # the round this choice was considered in (0 = private draw)
    priority: int  # the child's level here (NOT_ADMISSIBLE when not admissible)
    cutoff_priority: int | None  # level of the school's last admitted child, if it filled
    cutoff_lottery: int | None  # that child's lottery number
    full_round: int | None  # round in which the school filled
    waitlist_position: int  # 0 = not on the waitlist


@dataclass(frozen=True, slots=True)
class ChildExplanation:
    application: int
    status: Status
    school: int | None  # where placed
    lottery: int
    choices: tuple[Choice, ...]


def _span(market: Market, lo: int, hi: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Entries lo..hi: (entry ids, their application)."""
    nnz = len(market.pref_school)
    if lo == 0 and hi in (None, nnz):  # everything: repeat is much cheaper than a search
        lengths = np.diff(market.pref_ptr)
        return np.arange(nnz, dtype=np.int64), np.repeat(np.arange(len(lengths)), lengths)
    e = np.arange(lo, nnz if hi is None else hi, dtype=np.int64)
    return e, np.searchsorted(market.pref_ptr, e, side="right") - 1


def choice_rounds(
    market: Market, mechanism: Mechanism, lo: int = 0, hi: int | None = None
) -> np.ndarray:
    """int64 [hi - lo]: the round in which each entry is considered."""
    e, app = _span(market, lo, hi)
    private = market.is_private[market.pref_school[e]]
    if mechanism is Mechanism.DEFERRED_ACCEPTANCE:
        return np.where(private, PRIVATE_ROUND, 1).astype(np.int64)
    start = market.pref_ptr[app]
    # A private choice can only be first (the market contract), so it shifts the rest by one.
    first_private = market.is_private[market.pref_school[start]]
    public_round = e - start + 1 - first_private
    return np.where(private, PRIVATE_ROUND, public_round).astype(np.int64)


def reasons(market: Market, alloc: Allocation, lo: int = 0, hi: int | None = None) -> np.ndarray:
    """int8 Why for entries lo..hi (default all), aligned with ``pref_school``."""
    e, app = _span(market, lo, hi)
    placed = alloc.entry[app]
    school = market.pref_school[e]
    prio = market.pref_priority[e]
    cut = alloc.cutoff_entry[school]
    cut_prio = np.full(len(e), NOT_ADMISSIBLE, dtype=np.int16)
    cut_prio[cut != NONE] = market.pref_priority[cut[cut != NONE]]
    full = alloc.full_round[school]
    rounds = choice_rounds(market, alloc.mechanism, lo, hi)
    out = np.where(prio > cut_prio, Why.CUTOFF_BETTER_LEVEL, Why.CUTOFF_LOTTERY)
    out = np.where((full != NEVER_FULL) & (full < rounds), Why.FULL_BEFORE_ROUND, out)
    out = np.where(market.capacity[school] == 0, Why.NO_SEATS, out)
    out = np.where(prio == NOT_ADMISSIBLE, Why.NOT_ADMISSIBLE, out)
    out = np.where((placed != NONE) & (e > placed), Why.HIGHER_CHOICE_ADMITTED, out)
    out = np.where(placed == e, Why.ADMITTED, out)
    return out.astype(np.int8)


def explain(market: Market, alloc: Allocation, i: int) -> ChildExplanation:
    """The structured explanation of application ``i`` (for one family's page)."""
    lo, hi = int(market.pref_ptr[i]), int(market.pref_ptr[i + 1])
    why = reasons(market, alloc, lo, hi)
    rounds = choice_rounds(market, alloc.mechanism, lo, hi)
    choices = []
    for k, e in enumerate(range(lo, hi)):
        s = int(market.pref_school[e])
        cut = int(alloc.cutoff_entry[s])
        full = int(alloc.full_round[s])
        cut_app = int(np.searchsorted(market.pref_ptr, cut, side="right")) - 1
        choices.append(
            Choice(
                school=s,
                why=Why(int(why[k])),
                round=int(rounds[k]),
                priority=int(market.pref_priority[e]),
                cutoff_priority=None if cut == NONE else int(market.pref_priority[cut]),
                cutoff_lottery=None if cut == NONE else int(market.lottery[cut_app]),
                full_round=None if full == NEVER_FULL else full,
                waitlist_position=int(alloc.waitlist_position[e]),
            )
        )
    school = int(alloc.school[i])
    return ChildExplanation(
        application=i,
        status=Status(int(alloc.status[i])),
        school=None if school == NONE else school,
        lottery=int(market.lottery[i]),
        choices=tuple(choices),
    )
