"""``allocate``: the private draw, then the public mechanism, then overflow (统筹)."""

from __future__ import annotations

import numpy as np

from sunshine.core.allocation.batch import Ledger
from sunshine.core.allocation.deferred_acceptance import deferred_acceptance
from sunshine.core.allocation.keys import Keys, build_keys, check_private_first
from sunshine.core.allocation.outcome import statuses, waitlist_positions
from sunshine.core.allocation.overflow import place_overflow
from sunshine.core.allocation.priority_first import priority_first
from sunshine.core.allocation.result import NONE, PRIVATE_ROUND, Allocation, Status
from sunshine.core.market import NOT_ADMISSIBLE, Market
from sunshine.core.policy import Mechanism, Overflow


def allocate(
    market: Market,
    mechanism: Mechanism,
    *,
    overflow: Overflow = Overflow.NONE,
    eligible: np.ndarray | None = None,
    school_lonlat: np.ndarray | None = None,
    applicant_lonlat: np.ndarray | None = None,
    school_stage: np.ndarray | None = None,
    applicant_stage: np.ndarray | None = None,
) -> Allocation:
    """Place every application of ``market``.

    ``eligible`` (bool [n], default all) marks children the bureau must place: only they are
    overflow-placed, and a child neither eligible nor admissible anywhere is ``ineligible``.
    Overflow needs ``school_lonlat`` [m, 2] and ``applicant_lonlat`` [n, 2] (NaN = unknown
    address, never overflow-placed); ``school_stage`` [m] and ``applicant_stage`` [n] (any
    comparable codes) keep a child to schools of its stage and default to one stage.
    """
    mechanism, overflow = Mechanism(mechanism), Overflow(overflow)  # ValueError if unknown
    keys = build_keys(market)
    check_private_first(market, keys)
    n = market.n_applications
    ok = _mask(eligible, n, "eligible")
    geo = None
    if overflow is Overflow.NEAREST_WITH_SEATS:
        geo = _geo(market, school_lonlat, applicant_lonlat, school_stage, applicant_stage)
    ledger = Ledger(market.capacity)

    # 公民同招: the private draw is its own round, before any public choice is looked at.
    first = market.pref_ptr[:-1][np.diff(market.pref_ptr) > 0]
    private = first[market.is_private[market.pref_school[first]] & keys.admissible[first]]
    private_took = ledger.admit_round(private, keys, PRIVATE_ROUND)
    placed_entry = np.full(n, NONE, dtype=np.int64)
    placed_entry[keys.app[private_took]] = private_took

    # Public lists: drop private entries; a privately admitted child proposes nowhere.
    public = ~market.is_private[market.pref_school] & (placed_entry[keys.app] == NONE)
    if mechanism is Mechanism.PRIORITY_FIRST:
        entries, ptr = _lists(public, keys, n)
        public_got = priority_first(ptr, entries, keys, ledger)
    else:
        entries, ptr = _lists(public & keys.admissible, keys, n)
        public_got = deferred_acceptance(
            ptr, entries, keys.app, keys.ckey, keys.shift, ledger.seats
        )
        _settle_da(ledger, public_got, keys)
    placed_entry = np.where(public_got != NONE, public_got, placed_entry)

    school = np.full(n, NONE, dtype=np.int64)
    has = placed_entry != NONE
    school[has] = market.pref_school[placed_entry[has]]
    placed_by = np.full(n, -1, dtype=np.int8)
    placed_by[placed_entry != NONE] = Status.ADMITTED
    placed_by[keys.app[private_took]] = Status.PRIVATE_ADMITTED

    todo = np.flatnonzero(ok & (school == NONE))
    if geo is not None and len(todo):
        got = _overflow(market, keys, ledger, todo, geo)
        school[todo[got != NONE]] = got[got != NONE]
        placed_by[todo[got != NONE]] = Status.OVERFLOW_PLACED

    waitlist = waitlist_positions(keys, placed_entry)
    return Allocation(
        mechanism=mechanism,
        school=school.astype(np.int32),
        status=statuses(keys, n, placed_by, ok, waitlist),
        entry=placed_entry,
        waitlist_position=waitlist,
        full_round=ledger.full_round,
        cutoff_entry=ledger.cutoff_entry,
        seats_left=ledger.seats,
    )


def _mask(values: np.ndarray | None, n: int, name: str) -> np.ndarray:
    if values is None:
        return np.ones(n, dtype=bool)
    out = np.asarray(values, dtype=bool)
    if out.shape != (n,):
        raise ValueError(f"{name} must have one flag per application")
    return out


def _lists(keep: np.ndarray, keys: Keys, n: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR of the kept entries, still in each child's order."""
    entries = np.flatnonzero(keep)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys.app[entries], minlength=n), out=ptr[1:])
    return entries, ptr


def _settle_da(ledger: Ledger, got: np.ndarray, keys: Keys) -> None:
    """Book DA's final holdings: seats taken, and at each school left full its worst holder."""
    took = got[got != NONE]
    took = took[np.argsort(keys.ckey[took])]
    school = keys.school_of(keys.ckey[took])
    last = np.r_[school[1:] != school[:-1], True] if len(took) else np.empty(0, dtype=bool)
    touched, counts = school[last], np.diff(np.flatnonzero(np.r_[True, last]))
    ledger.seats[touched] -= counts
    filled = ledger.seats[touched] == 0
    ledger.full_round[touched[filled]] = 1
    ledger.cutoff_entry[touched[filled]] = took[last][filled]


Geo = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _geo(
    market: Market,
    school_lonlat: np.ndarray | None,
    applicant_lonlat: np.ndarray | None,
    school_stage: np.ndarray | None,
    applicant_stage: np.ndarray | None,
) -> Geo:
    """Checked (school_lonlat, applicant_lonlat, school_stage, applicant_stage)."""
    n, m = market.n_applications, market.n_schools
    if school_lonlat is None or applicant_lonlat is None:
        raise ValueError("overflow placement needs school_lonlat and applicant_lonlat")
    s_ll, a_ll = np.asarray(school_lonlat, dtype=float), np.asarray(applicant_lonlat, dtype=float)
    if s_ll.shape != (m, 2) or a_ll.shape != (n, 2):
        raise ValueError("school_lonlat must be [m, 2] and applicant_lonlat [n, 2]")
    if (school_stage is None) != (applicant_stage is None):
        raise ValueError("give both school_stage and applicant_stage, or neither")
    s_stage = np.zeros(m, dtype=np.int8) if school_stage is None else np.asarray(school_stage)
    a_stage = np.zeros(n, dtype=np.int8) if applicant_stage is None else np.asarray(applicant_stage)
    if s_stage.shape != (m,) or a_stage.shape != (n,):
        raise ValueError("school_stage must have m entries and applicant_stage n")
    return s_ll, a_ll, s_stage, a_stage


def _overflow(market: Market, keys: Keys, ledger: Ledger, todo: np.ndarray, geo: Geo) -> np.ndarray:
    s_ll, a_ll, s_stage, a_stage = geo
    n = market.n_applications
    # Serving order: best priority at any listed school, then the lottery (published rule).
    best = np.full(n, int(NOT_ADMISSIBLE), dtype=np.int64)
    rows = np.flatnonzero(np.diff(market.pref_ptr) > 0)
    if len(rows):
        prio = market.pref_priority.astype(np.int64)
        best[rows] = np.minimum.reduceat(prio, market.pref_ptr[rows])
    order = todo[np.lexsort((keys.lottery_rank[todo], best[todo]))]
    seats = np.where(market.is_private, 0, ledger.seats)
    got = place_overflow(order, a_ll[order], a_stage[order], s_ll, s_stage, seats)
    np.subtract.at(ledger.seats, got[got != NONE], 1)
    out = np.full(len(todo), NONE, dtype=np.int64)
    out[np.searchsorted(todo, order)] = got
    return out
