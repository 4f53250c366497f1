"""One row of facts per application of a stage: what allocation.csv writes and what the
database stores as a Decision."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sunshine.core.allocation import NONE, render_all
from sunshine.core.tiers import level_labels
from sunshine.season.pipeline import SeasonOutcome, StageOutcome


@dataclass(frozen=True, slots=True)
class DecisionColumns:
    """Aligned with the stage's applications (market rows)."""

    application_id: list[str]
    status: list[str]
    school_id: list[str]  # "" when placed nowhere
    tier: list[int]  # 1-based policy tier of the placing entry, 0 when none
    lottery_number: list[int]  # the draw position (1 = drawn first); siblings share
    best_waitlist: list[int]  # the best waitlist position held anywhere, 0 when none
    class_no: list[int]  # 0 when not placed
    explanation: dict[str, list[str]]  # by language: "zh", "en"


def decision_columns(
    outcome: SeasonOutcome, so: StageOutcome, langs: Sequence[str] = ("zh", "en")
) -> DecisionColumns:
    policy = outcome.package.policy
    sp = policy.stage(so.stage)
    market, alloc, result = so.market, so.allocation, so.eligibility
    n = result.n_applications
    names = so.inputs.evidence.schools.school_id.tolist()
    explanation = {
        lang: render_all(market, alloc, names, levels=level_labels(policy, sp, lang), lang=lang)
        for lang in langs
    }
    tier = np.zeros(n, dtype=np.int64)
    has_entry = alloc.entry != NONE
    tier[has_entry] = result.pref_tier[alloc.entry[has_entry]].astype(np.int64) + 1
    entry_app = np.repeat(np.arange(n), np.diff(market.pref_ptr))
    held = alloc.waitlist_position > 0
    best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, entry_app[held], alloc.waitlist_position[held].astype(np.int64))
    best[best == np.iinfo(np.int64).max] = 0
    class_no = np.zeros(n, dtype=np.int64)
    class_no[so.placed] = so.classes.class_no
    return DecisionColumns(
        application_id=result.application_id.tolist(),
        status=alloc.statuses(),
        school_id=np.array(["", *names], dtype=object)[alloc.school + 1].tolist(),
        tier=tier.tolist(),
        lottery_number=market.lottery.astype(np.int64).tolist(),
        best_waitlist=best.tolist(),
        class_no=class_no.tolist(),
        explanation=explanation,
    )
