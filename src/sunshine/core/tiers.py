"""Preference lists and priorities: verified evidence + policy -> ``pref_priority``.

The priority of an (application, school) entry is one int16, lower is better. From the top:

====================  ==============================================================
level                 who
====================  ==============================================================
0                     a disabled child (随班就读, zero refusal) at the nearest public
                      school of their zone, which is put first in their public list
1 .. G                教育优待 group g (``above_all_tiers``), in the policy's group order
G + 1                 junior feeder (对口直升): the school the child's primary feeds
G + 2 + t*S + sub     policy tier t; with ``first_within_tier`` S = G + 1 and sub = the
                      group's rank (G for children in no group), otherwise S = 1, sub = 0
NOT_ADMISSIBLE        ineligible child, or no tier earned at that school
====================  ==============================================================

A private school (公民同招) admits county-wide by lottery alone, so every eligible applicant
has priority 0 there; it comes first in the child's list and the market marks it private.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

import numpy as np

from sunshine.core.adjustments import KEEP
from sunshine.core.checks import Verified
from sunshine.core.evidence import PRIORITY_GROUP_CODES, SPECIAL_NEED_CODES, Evidence
from sunshine.core.joins import contains, expand, first_per_group, rows_of, take
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.policy import AdmissionPolicy, PriorityGroupRule, SpecialNeed, StagePolicy
from sunshine.core.reasons import Reason


class Kind(IntEnum):
    """Why a school is in a child's list (order = position in the list)."""

    PRIVATE = 0  # the 公民同招 private choice, first
    PLACEMENT = 1  # disabled child's nearest zone school, first among public schools
    LISTED = 2  # the family's own preferences, in their order
    FEEDER = 3  # the feeder school, appended when the family did not list it


class Basis(IntEnum):
    """What the priority of an entry rests on (for display)."""

    PRIVATE_LOTTERY = 0
    SPECIAL_NEEDS = 1
    PRIORITY_GROUP = 2
    FEEDER = 3
    TIER = 4
    NONE = 5  # not admissible


@dataclass(frozen=True, slots=True)
class PrefLists:
    ptr: np.ndarray  # int64 [n + 1]
    school: np.ndarray  # int32
    kind: np.ndarray  # int8, a Kind
    reason: np.ndarray  # int16 [n]: the PREFERENCES check
    placement: np.ndarray  # int32 [n]: disabled child's placement school, -1 none


def build_lists(
    policy: AdmissionPolicy, sp: StagePolicy, ev: Evidence, claimed_zone: np.ndarray
) -> PrefLists:
    app, schools = ev.applicants, ev.schools
    n = len(app)
    is_private = schools.is_private
    a = rows_of(app.pref_ptr)
    k = np.arange(len(a)) - app.pref_ptr[a]
    s = app.pref_school
    bad = (s < 0) | take(is_private, s, True)
    too_many = k >= policy.preferences_allowed
    keep = ~bad & ~too_many
    dup = _duplicates(a[keep], s[keep], n_schools=len(schools))
    ps = app.private_school
    private_ok = (ps >= 0) & take(is_private, ps, False)
    private_bad = (ps != -1) & ~private_ok
    reason = np.select(
        [
            private_bad,
            np.bincount(a, weights=too_many, minlength=n) > 0,
            np.bincount(a, weights=bad & ~too_many, minlength=n) > 0,
            np.bincount(a[keep], weights=dup, minlength=n) > 0,
            (np.diff(app.pref_ptr) == 0) & ~private_ok,
        ],
        [
            Reason.PRIVATE_INVALID,
            Reason.PREFS_TOO_MANY,
            Reason.PREFS_INVALID,
            Reason.PREFS_DUPLICATE,
            Reason.PREFS_NONE,
        ],
        Reason.PREFS_OK,
    ).astype(np.int16)

    placement = _placements(ev, claimed_zone)
    feeder = app.feeder_school if sp.use_feeders else np.full(n, -1, np.int32)
    feeder = np.where(take(is_private, feeder, True), -1, feeder)
    rows = np.arange(n)
    parts = [
        (rows[private_ok], Kind.PRIVATE, 0, ps[private_ok]),
        (rows[placement >= 0], Kind.PLACEMENT, 1, placement[placement >= 0]),
        (a[keep], Kind.LISTED, 2 + k[keep], s[keep]),
        (rows[feeder >= 0], Kind.FEEDER, 1 << 20, feeder[feeder >= 0]),
    ]
    e_app = np.concatenate([p[0] for p in parts]).astype(np.int64)
    e_pos = np.concatenate([np.broadcast_to(p[2], len(p[0])) for p in parts]).astype(np.int64)
    e_school = np.concatenate([p[3] for p in parts]).astype(np.int32)
    e_kind = np.concatenate([np.full(len(p[0]), p[1], np.int8) for p in parts])
    # a school appears once per list, where it first appears
    order = np.lexsort((e_pos, e_school, e_app))
    first = first_per_group(e_app[order] * len(schools) + e_school[order])
    order = order[first]
    order = order[np.lexsort((e_pos[order], e_app[order]))]
    ptr = np.concatenate(([0], np.cumsum(np.bincount(e_app[order], minlength=n)))).astype(np.int64)
    return PrefLists(ptr, e_school[order], e_kind[order], reason, placement)


def _duplicates(a: np.ndarray, s: np.ndarray, n_schools: int) -> np.ndarray:
    """Mask of entries repeating an earlier (application, school) entry (input in list order)."""
    key = a.astype(np.int64) * n_schools + s
    order = np.argsort(key, kind="stable")
    dup = np.zeros(len(key), dtype=bool)
    dup[order] = ~first_per_group(key[order])
    return dup


def _placements(ev: Evidence, claimed_zone: np.ndarray) -> np.ndarray:
    """The nearest public school of the zone for each disabled child (nearest public school of
    the stage when the zone has none); -1 for every other child. Ties go to the lower index."""
    app, schools, zones = ev.applicants, ev.schools, ev.zones
    n = len(app)
    out = np.full(n, -1, dtype=np.int32)
    kids = np.flatnonzero(app.special_need == SPECIAL_NEED_CODES.index(SpecialNeed.DISABLED))
    public = np.flatnonzero(~schools.is_private).astype(np.int32)
    if len(kids) == 0 or len(public) == 0:
        return out
    z = claimed_zone[kids]
    lo = np.where(z >= 0, zones.school_ptr[np.maximum(z, 0)], 0)
    hi = np.where(z >= 0, zones.school_ptr[np.maximum(z, 0) + 1], 0)
    kid, pos = expand(lo, hi)
    cand = zones.school[pos]
    cand_public = ~schools.is_private[cand]
    kid, cand = kid[cand_public], cand[cand_public]
    # children whose zone has no public school: every public school of the stage
    orphaned = np.setdiff1d(np.arange(len(kids)), kid)
    kid = np.concatenate([kid, np.repeat(orphaned, len(public))])
    cand = np.concatenate([cand, np.tile(public, len(orphaned))])
    addr = app.claimed_address[kids[kid]]
    lon = take(ev.addresses.lon, addr, np.nan)
    lat = take(ev.addresses.lat, addr, np.nan)
    dx = (schools.lon[cand] - lon) * np.cos(np.radians(lat))
    dist = np.hypot(dx, schools.lat[cand] - lat)
    dist = np.where(np.isnan(dist), np.inf, dist)
    order = np.lexsort((cand, dist, kid))
    best = order[first_per_group(kid[order])]
    out[kids[kid[best]]] = cand[best]
    return out


def priorities(
    policy: AdmissionPolicy,
    sp: StagePolicy,
    ev: Evidence,
    verified: Verified,
    lists: PrefLists,
    serves: np.ndarray,
    *,
    forced_tier: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(pref_priority int16, pref_tier int8, pref_basis int8) aligned with ``lists.school``;
    ``serves`` are the layer's sorted zone*m+school keys. ``forced_tier`` (aligned with
    ``lists.school``) holds the tier an approved override sets at an entry, -1 for none, or
    ``KEEP`` for the earned one (:mod:`sunshine.core.adjustments`)."""
    app = ev.applicants
    m = len(ev.schools)
    a = rows_of(lists.ptr)
    s = lists.school.astype(np.int64)
    addr_zone = verified.address_zone

    def in_zone(address: np.ndarray) -> np.ndarray:
        z = take(addr_zone, address, -1)[a].astype(np.int64)
        return (z >= 0) & contains(serves, z * m + s)

    def predicate(name: str, arg: bool | int | dt.date) -> np.ndarray:
        if name == "hukou_in_zone":
            return in_zone(verified.hukou_address)
        if name == "owns_home_in_zone":
            return in_zone(verified.home_address)
        if name == "hukou_home_same_address":
            same = (verified.hukou_address >= 0) & (verified.hukou_address == verified.home_address)
            return same[a] & in_zone(verified.hukou_address)
        if name == "hukou_since_before":
            assert isinstance(arg, dt.date)
            since = verified.hukou_since <= np.datetime64(arg, "D")
            return (since & (verified.hukou_address >= 0))[a]
        if name == "residence_permit_in_zone":
            return in_zone(verified.permit_address)
        if name == "social_security_months_at_least":
            assert isinstance(arg, int)
            assert not isinstance(arg, bool)
            return (verified.ss_months >= arg)[a]
        if name == "any_address_in_zone":
            z = verified.claimed_zone[a].astype(np.int64)
            return (z >= 0) & contains(serves, z * m + s)
        raise AssertionError(f"predicate {name!r} has no implementation")  # PREDICATES grew

    public = lists.kind != Kind.PRIVATE
    tier = np.full(len(a), -1, dtype=np.int8)
    for t in reversed(range(len(sp.tiers))):  # best tier last, so it wins
        ok = public.copy()
        for p in sp.tiers[t].predicates:
            ok &= predicate(p.name, p.arg)
        tier[ok] = t

    groups = policy.priority_groups
    G = len(groups)
    codes = [groups.index(g) if g in groups else -1 for g in PRIORITY_GROUP_CODES]
    rank_of = np.array([*codes, -1], dtype=np.int64)  # index -1 (no group) -> -1
    g = rank_of[app.priority_group.astype(np.int64)][a]
    in_group = (g >= 0) & public
    rule = policy.priority_group_rule
    if rule is PriorityGroupRule.AS_TIER_1:
        tier[in_group] = 0
    if forced_tier is not None:  # after the group rule: what a person approved is final
        forced = (forced_tier != KEEP) & public
        tier[forced] = forced_tier[forced]

    big = np.int64(NOT_ADMISSIBLE)
    if rule is PriorityGroupRule.FIRST_WITHIN_TIER:
        level = 2 + G + tier.astype(np.int64) * (G + 1) + np.where(in_group, g, G)
    else:
        level = 2 + G + tier.astype(np.int64)
    level = np.where(tier >= 0, level, big)
    basis = np.where(tier >= 0, Basis.TIER, Basis.NONE)
    feeder = public & (s == take(app.feeder_school, a, -2)) if sp.use_feeders else None
    above_all = rule is PriorityGroupRule.ABOVE_ALL_TIERS
    candidates = [
        (feeder, 1 + G, Basis.FEEDER),
        (in_group if above_all else None, 1 + g, Basis.PRIORITY_GROUP),
        (public & (s == lists.placement[a]), 0, Basis.SPECIAL_NEEDS),
        (~public, 0, Basis.PRIVATE_LOTTERY),
    ]
    for mask, value, why in candidates:
        if mask is None:
            continue
        better = mask & (value < level)
        level = np.where(better, value, level)
        basis = np.where(better, why, basis)
    ineligible = ~verified.eligible[a]
    level[ineligible] = big
    basis[ineligible] = Basis.NONE
    tier[ineligible | ~public] = -1
    return level.astype(np.int16), tier, basis.astype(np.int8)


def level_labels(policy: AdmissionPolicy, sp: StagePolicy, lang: str = "zh") -> dict[int, str]:
    """Readable names of the priority levels above, for explanations (``lang`` zh or en)."""
    en = lang == "en"
    groups = policy.priority_groups
    G = len(groups)
    # Level 0 is shared by a disabled child's placement and a private school's lottery.
    labels = {
        0: "first priority (disabled-child placement, or a private school's lottery)"
        if en
        else "第一优先（残疾儿童兜底安置或民办学校摇号）"
    }
    for g, group in enumerate(groups):
        labels[1 + g] = f"priority group: {group}" if en else f"教育优待（{_GROUP_ZH[group]}）"
    labels[1 + G] = "feeder school" if en else "对口直升"
    within = policy.priority_group_rule is PriorityGroupRule.FIRST_WITHIN_TIER
    for t, tier in enumerate(sp.tiers):
        name = (tier.name_en or tier.name) if en else tier.name
        if not within:
            labels[2 + G + t] = name
            continue
        for g in range(G + 1):
            extra = "" if g == G else f" + {groups[g]}" if en else f"+{_GROUP_ZH[groups[g]]}"
            labels[2 + G + t * (G + 1) + g] = name + extra
    return labels


_GROUP_ZH: Final = {
    "military": "军人子女",
    "police": "公安英模子女",
    "martyr": "烈士子女",
    "talent": "高层次人才子女",
}
