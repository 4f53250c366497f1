"""report.json: what a bureau reads first after a run — per school, per tier, per status."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from sunshine.core.allocation import NONE, Status
from sunshine.core.market import Market
from sunshine.season.pipeline import SeasonOutcome, StageOutcome


def build_report(outcome: SeasonOutcome) -> dict[str, Any]:
    policy = outcome.package.policy
    return {
        "region_code": policy.region_code,
        "region_name": policy.region_name,
        "school_year": policy.school_year,
        "mechanism": str(policy.mechanism),
        "applications": len(outcome.package["applications"]),
        "lottery": {
            "seed": outcome.draw.seed.hex(),
            "pool_fingerprint": outcome.seed_inputs.pool_fingerprint,
            "witnesses": [w.role + ":" + w.name for w in outcome.seed_inputs.witnesses],
        },
        "stages": {str(s): _stage(outcome, so) for s, so in outcome.stages.items()},
    }


def _stage(outcome: SeasonOutcome, so: StageOutcome) -> dict[str, Any]:
    alloc, market, result = so.allocation, so.market, so.eligibility
    sp = outcome.package.policy.stage(so.stage)
    status = np.bincount(alloc.status, minlength=len(Status))
    has_entry = alloc.entry != NONE
    tiers, counts = np.unique(result.pref_tier[alloc.entry[has_entry]], return_counts=True)
    by_tier: Counter[str] = Counter()
    for t, count in zip(tiers.tolist(), counts.tolist(), strict=True):
        by_tier[sp.tiers[t].name if t >= 0 else "other priority"] += count
    return {
        "applications": result.n_applications,
        "eligible": int(result.eligible.sum()),
        "by_status": {str(s): int(status[s]) for s in Status},
        "admitted_by_tier": dict(sorted(by_tier.items())),
        "seats": int(market.capacity.sum()),
        "seats_left": int(alloc.seats_left.sum()),
        "classes": int(so.classes.n_classes.sum()),
        "outside_zone_applications": result.application_id[result.outside_zone].tolist(),
        "outside_zone_addresses": len(result.outside_addresses),
        "schools": _schools(so),
    }


def _schools(so: StageOutcome) -> list[dict[str, Any]]:
    alloc, market = so.allocation, so.market
    schools = so.inputs.evidence.schools
    m = len(schools)
    first = market.pref_ptr[:-1][np.diff(market.pref_ptr) > 0]
    listed = np.bincount(market.pref_school, minlength=m)
    first_choice = np.bincount(market.pref_school[first], minlength=m)
    placed = alloc.school >= 0
    counts = {
        s: np.bincount(alloc.school[placed & (alloc.status == s)], minlength=m)
        for s in (Status.ADMITTED, Status.PRIVATE_ADMITTED, Status.OVERFLOW_PLACED)
    }
    rows = []
    for j, school_id in enumerate(schools.school_id.tolist()):
        cut = int(alloc.cutoff_entry[j])
        rows.append(
            {
                "school_id": school_id,
                "private": bool(schools.is_private[j]),
                "plan_seats": int(market.capacity[j]),
                "listed_by": int(listed[j]),
                "first_choice": int(first_choice[j]),
                "admitted": int(counts[Status.ADMITTED][j] + counts[Status.PRIVATE_ADMITTED][j]),
                "overflow_placed": int(counts[Status.OVERFLOW_PLACED][j]),
                "seats_left": int(alloc.seats_left[j]),
                "classes": int(so.classes.n_classes[j]),
                "full_in_round": int(alloc.full_round[j]),
                "cutoff_priority": None if cut == NONE else int(market.pref_priority[cut]),
                "cutoff_lottery_number": None if cut == NONE else _lottery_at(market, cut),
            }
        )
    return rows


def _lottery_at(market: Market, entry: int) -> int:
    app = int(np.searchsorted(market.pref_ptr, entry, side="right") - 1)
    return int(market.lottery[app])
