"""Verification: registry evidence -> one reason code per (application, check), vectorised.

Besides the codes, :func:`verify` returns the verified evidence the tiers are built from
(hukou address, owned home, residence permit, social-security months), so a tier can only rest
on facts a check has accepted. The exact rules are in docs/policy.md ("Predicate semantics").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sunshine.core.evidence import SPECIAL_NEED_CODES, Evidence, Relation
from sunshine.core.ids import id_birth_dates, valid_id_mask
from sunshine.core.joins import (
    contains,
    first_per_group,
    lookup,
    matches,
    pair_keys,
    rows_of,
    take,
)
from sunshine.core.policy import AdmissionPolicy, SpecialNeed, Stage
from sunshine.core.reasons import Check, Reason

_NAT = np.datetime64("NaT", "D")
_NEVER = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class Verified:
    reason: np.ndarray  # int16 [n, len(Check)]
    params: dict[Check, dict[str, np.ndarray]]  # per-application template parameters
    eligible: np.ndarray  # bool [n]: the mandatory checks (ID, age) pass
    address_zone: np.ndarray  # int32 [a]: zone of each address the checks use, else -1
    claimed_zone: np.ndarray  # int32 [n]: zone of the claimed address, -1 outside
    hukou_address: np.ndarray  # int32 [n]: the child's 户籍 address, -1 none
    hukou_since: np.ndarray  # datetime64[D] [n]
    home_address: np.ndarray  # int32 [n]: accepted owned home not seat-locked, -1 none
    permit_address: np.ndarray  # int32 [n]: a guardian's permit valid on the reference date
    ss_months: np.ndarray  # int64 [n]: best guardian's continuous months, -1 none


def years_before(day: dt.date, years: int) -> np.datetime64:
    """``day`` moved back ``years`` years; 29 February becomes 28 February."""
    try:
        return np.datetime64(day.replace(year=day.year - years), "D")
    except ValueError:
        return np.datetime64(day.replace(year=day.year - years, day=28), "D")


def verify(
    policy: AdmissionPolicy,
    stage: Stage,
    ev: Evidence,
    address_zone: np.ndarray,
    as_of: dt.date,
) -> Verified:
    """``as_of``: the day a residence permit must be valid on (registration)."""
    app = ev.applicants
    n = len(app)
    reason = np.zeros((n, len(Check)), dtype=np.int16)
    params: dict[Check, dict[str, np.ndarray]] = {}
    sp = policy.stage(stage)

    # ID number valid and matching the birth date given
    valid = valid_id_mask(app.id_number)
    same_birth = id_birth_dates(app.id_number) == app.birth_date
    reason[:, Check.ID] = np.select(
        [~valid, ~same_birth], [Reason.ID_INVALID, Reason.ID_BIRTH_MISMATCH], Reason.ID_OK
    )
    params[Check.ID] = {"date": app.birth_date}

    # of age on the cut-off: born on or before the cut-off moved back min_age years
    if sp.min_age is None:
        reason[:, Check.AGE] = Reason.AGE_NOT_REQUIRED
    else:
        of_age = app.birth_date <= years_before(policy.age_cutoff, sp.min_age)
        reason[:, Check.AGE] = np.where(of_age, Reason.AGE_OK, Reason.AGE_UNDER)
    params[Check.AGE] = {"date": app.birth_date}
    eligible = (reason[:, Check.ID] == Reason.ID_OK) & (reason[:, Check.AGE] != Reason.AGE_UNDER)

    # guardians are the parents on the birth record; only verified guardians' evidence counts
    pair_app = rows_of(app.guardian_ptr)
    guardian = app.guardian
    b = lookup(ev.births.child, app.child)
    mother = take(ev.births.mother, b, -1)
    father = take(ev.births.father, b, -1)
    is_parent = (guardian >= 0) & ((guardian == mother[pair_app]) | (guardian == father[pair_app]))
    legal = np.isin(
        app.special_need,
        [
            SPECIAL_NEED_CODES.index(SpecialNeed.ORPHAN),
            SPECIAL_NEED_CODES.index(SpecialNeed.UNSUPPORTED),
        ],
    )
    not_parent = np.bincount(pair_app, weights=~is_parent, minlength=n) > 0
    reason[:, Check.PARENTS] = np.select(
        [np.diff(app.guardian_ptr) == 0, legal, b < 0, not_parent],
        [
            Reason.PARENTS_NO_GUARDIAN,
            Reason.PARENTS_GUARDIANSHIP,
            Reason.PARENTS_NO_RECORD,
            Reason.PARENTS_MISMATCH,
        ],
        Reason.PARENTS_OK,
    )
    ok_pair = (is_parent | legal[pair_app]) & (guardian >= 0)
    g_app, g_person = pair_app[ok_pair], guardian[ok_pair]
    guardian_keys = np.sort(pair_keys(g_app, g_person))

    # the claimed address's zone
    claimed_zone = take(address_zone.astype(np.int32), app.claimed_address, -1)
    reason[:, Check.ZONE] = np.where(claimed_zone >= 0, Reason.ZONE_IN, Reason.ZONE_OUT)
    params[Check.ZONE] = {"zone": claimed_zone}

    # the child's hukou: where, and since when
    h = lookup(ev.households.person, app.child)
    hukou_address = take(ev.households.address, h, -1).astype(np.int32)
    hukou_since = take(ev.households.registered_on, h, _NAT)
    reason[:, Check.HUKOU] = np.select(
        [h < 0, hukou_address != app.claimed_address],
        [Reason.HUKOU_NONE, Reason.HUKOU_ELSEWHERE],
        Reason.HUKOU_AT,
    )
    params[Check.HUKOU] = {"date": hukou_since}
    household = take(ev.households.household, h, -1)

    home, lock = _home(policy, sp.seat_lock_years, ev, guardian_keys, household, mother, father)
    reason[:, Check.HOME], params[Check.HOME] = home.reason, home.params
    reason[:, Check.SEAT_LOCK], params[Check.SEAT_LOCK] = lock.reason, lock.params
    home_ok = np.isin(home.reason, [Reason.HOME_GUARDIAN, Reason.HOME_GRANDPARENT])
    home_address = np.where(home_ok & (lock.reason != Reason.LOCK_LOCKED), home.address, -1)

    permit_address = _permit(as_of, ev, g_app, g_person, reason, params)
    ss_months = _social_security(ev, g_app, g_person, reason, params)

    v = lookup(ev.vaccinations.child, app.child)
    reason[:, Check.VACCINATION] = np.select(
        [v < 0, ~take(ev.vaccinations.complete, v, True)],
        [Reason.VAX_NONE, Reason.VAX_INCOMPLETE],
        Reason.VAX_OK,
    )
    return Verified(
        reason,
        params,
        eligible,
        address_zone,
        claimed_zone,
        hukou_address,
        hukou_since,
        home_address.astype(np.int32),
        permit_address,
        ss_months,
    )


@dataclass(frozen=True, slots=True)
class _Outcome:
    reason: np.ndarray
    params: dict[str, np.ndarray]
    address: np.ndarray


def _home(
    policy: AdmissionPolicy,
    lock_years: int,
    ev: Evidence,
    guardian_keys: np.ndarray,
    household: np.ndarray,
    mother: np.ndarray,
    father: np.ndarray,
) -> tuple[_Outcome, _Outcome]:
    app, props, hh = ev.applicants, ev.properties, ev.households
    n = len(app)
    cert = app.claimed_certificate
    q, row = matches(props.certificate, cert)
    owner = props.owner[row]
    by_guardian = contains(guardian_keys, pair_keys(q, owner))
    # grandparents: members of the child's own 户籍 household registered as head or "other"
    m_app, m_row = matches(hh.household, household)
    senior = np.isin(hh.relation[m_row], [Relation.HEAD, Relation.OTHER]) & (
        hh.person[m_row] != app.child[m_app]
    )
    senior_keys = np.sort(pair_keys(m_app[senior], hh.person[m_row[senior]]))
    by_senior = contains(senior_keys, pair_keys(q, owner)) & ~by_guardian

    known = np.bincount(q, minlength=n) > 0
    g_share = np.bincount(q, weights=props.share[row] * by_guardian, minlength=n)
    s_share = np.bincount(q, weights=props.share[row] * by_senior, minlength=n)
    acquired = props.acquired_on[row].astype(np.int64)
    g_date = np.full(n, _NEVER)
    np.minimum.at(g_date, q[by_guardian], acquired[by_guardian])
    s_date = np.full(n, _NEVER)
    np.minimum.at(s_date, q[by_senior], acquired[by_senior])
    address = np.full(n, -1, dtype=np.int32)
    address[q] = props.address[row]
    senior_reason = (
        Reason.HOME_GRANDPARENT
        if policy.allow_grandparent_home
        else Reason.HOME_GRANDPARENT_NOT_ALLOWED
    )
    reason = np.select(
        [cert < 0, ~known, g_share > 0, s_share > 0],
        [Reason.HOME_NONE, Reason.HOME_UNKNOWN, Reason.HOME_GUARDIAN, senior_reason],
        Reason.HOME_NOT_OWNED,
    )
    use_g = g_share > 0
    share = np.where(use_g, g_share, s_share)
    date = np.where(use_g, g_date, s_date)
    date = np.where(date == _NEVER, np.iinfo(np.int64).min, date).view("datetime64[D]")
    home = _Outcome(reason.astype(np.int16), {"share": share, "date": date}, address)

    # seat lock: an earlier admission of this stage that used the same certificate
    uq, urow = matches(ev.seat_usage.certificate, cert)
    year = ev.seat_usage.year[urow]
    prior = ev.seat_usage.child[urow]
    age = policy.school_year - year
    in_window = (age >= 0) & (age < lock_years) & (prior != app.child[uq])
    family = np.sort(
        np.concatenate(
            [
                guardian_keys,
                pair_keys(rows_of(app.guardian_ptr), app.guardian),
                pair_keys(np.arange(n)[mother >= 0], mother[mother >= 0]),
                pair_keys(np.arange(n)[father >= 0], father[father >= 0]),
            ]
        )
    )
    pb = lookup(ev.births.child, prior)
    p_mother = take(ev.births.mother, pb, -1)
    p_father = take(ev.births.father, pb, -1)
    p_household = take(hh.household, lookup(hh.person, prior), -1)
    sibling = (
        ((p_mother >= 0) & contains(family, pair_keys(uq, p_mother)))
        | ((p_father >= 0) & contains(family, pair_keys(uq, p_father)))
        | ((p_household >= 0) & (p_household == household[uq]))
    )
    locked_year = np.full(n, -1, dtype=np.int64)
    np.maximum.at(locked_year, uq[in_window & ~sibling], year[in_window & ~sibling])
    sibling_year = np.full(n, -1, dtype=np.int64)
    np.maximum.at(sibling_year, uq[in_window & sibling], year[in_window & sibling])
    lock_reason = np.select(
        [cert < 0, locked_year >= 0, sibling_year >= 0],
        [Reason.LOCK_NONE, Reason.LOCK_LOCKED, Reason.LOCK_SIBLING],
        Reason.LOCK_FREE,
    )
    shown = np.where(locked_year >= 0, locked_year, sibling_year)
    lock = _Outcome(
        lock_reason.astype(np.int16),
        {"year": shown, "until": locked_year + lock_years - 1},
        address,
    )
    return home, lock


def _permit(
    as_of: dt.date,
    ev: Evidence,
    g_app: np.ndarray,
    g_person: np.ndarray,
    reason: np.ndarray,
    params: dict[Check, dict[str, np.ndarray]],
) -> np.ndarray:
    """A guardian's 居住证 valid on ``as_of``; one at the claimed address is preferred, then
    the latest issued."""
    n = len(ev.applicants)
    pm = ev.permits
    i, row = matches(pm.person, g_person)
    a = g_app[i]
    ref = np.datetime64(as_of, "D")
    valid = (pm.issued_on[row] <= ref) & (ref <= pm.valid_until[row])
    at_claimed = pm.address[row] == ev.applicants.claimed_address[a]
    order = np.lexsort((row, -pm.issued_on[row].astype(np.int64), ~at_claimed, ~valid, a))
    best = order[first_per_group(a[order])]
    address = np.full(n, -1, dtype=np.int32)
    has_valid = np.zeros(n, dtype=bool)
    has_valid[a[best]] = valid[best]
    address[a[best[valid[best]]]] = pm.address[row[best[valid[best]]]]
    until = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(until, a, np.where(valid, _NEVER, pm.valid_until[row].astype(np.int64)))
    until[has_valid] = pm.valid_until[row[best[valid[best]]]].astype(np.int64)
    any_record = np.bincount(a, minlength=n) > 0
    reason[:, Check.PERMIT] = np.select(
        [has_valid, any_record],
        [Reason.PERMIT_VALID, Reason.PERMIT_INVALID],
        Reason.PERMIT_NONE,
    )
    params[Check.PERMIT] = {"date": until.view("datetime64[D]")}
    return address


def _social_security(
    ev: Evidence,
    g_app: np.ndarray,
    g_person: np.ndarray,
    reason: np.ndarray,
    params: dict[Check, dict[str, np.ndarray]],
) -> np.ndarray:
    n = len(ev.applicants)
    ss = ev.social_security
    i, row = matches(ss.person, g_person)
    a = g_app[i]
    order = np.lexsort((row, -ss.months[row], a))
    best = order[first_per_group(a[order])]
    months = np.full(n, -1, dtype=np.int64)
    months[a[best]] = ss.months[row[best]]
    as_of = np.full(n, _NAT)
    as_of[a[best]] = ss.as_of[row[best]]
    reason[:, Check.SOCIAL_SECURITY] = np.where(months >= 0, Reason.SS_RECORD, Reason.SS_NONE)
    params[Check.SOCIAL_SECURITY] = {"months": months, "date": as_of}
    return months
