"""A family's result, explained: the latest run's decision with the engine's own words, where
each school the family listed drew its line (the cut-off), and the lottery number with every
step of its derivation once the ceremony is published."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sunshine.admissions.models import Admission, Application, Decision, School, SeasonRun
from sunshine.ceremony.lookup import NumberDerivation, derive_number, find_published
from sunshine.core.allocation.result import NEVER_FULL
from sunshine.core.policy import Stage
from sunshine.core.tiers import level_labels
from sunshine.datasets.policy_toml import parse_policy


@dataclass(frozen=True, slots=True)
class Cutoff:
    school: School
    listed_as: str  # "private", "1", "2"... or "" for a school placed at without listing it
    plan_seats: int
    admitted: int
    full_in_round: int | None  # None: it never filled, so every admissible child got in
    cutoff_level: str  # the priority level of the last child admitted in the decisive round
    cutoff_number: int | None  # that child's lottery number (draw position)


@dataclass(frozen=True, slots=True)
class Outcome:
    run: SeasonRun
    decision: Decision
    explanation: str
    tier_name: str  # the policy tier the placement rests on, "" when none
    admission: Admission | None
    cutoffs: tuple[Cutoff, ...]


def latest_run(application: Application) -> SeasonRun | None:
    return (
        SeasonRun.objects.filter(season=application.season_id, finished_at__isnull=False)
        .order_by("-started_at", "-pk")
        .first()
    )


def outcome_of(application: Application, lang: str) -> Outcome | None:
    run = latest_run(application)
    if run is None:
        return None
    decision = (
        Decision.objects.filter(run=run, application=application).select_related("school").first()
    )
    if decision is None:  # the application came after the run
        return None
    policy = parse_policy(application.season.policy_toml)
    sp = policy.stage(Stage(application.stage))
    tier_name = ""
    if decision.tier and decision.tier <= len(sp.tiers):
        tier = sp.tiers[decision.tier - 1]
        tier_name = (tier.name_en or tier.name) if lang == "en" else tier.name
    labels = level_labels(policy, sp, lang)
    admission = Admission.objects.filter(application=application).select_related("school").first()
    text = str(decision.explanation.get(lang) or decision.explanation.get("zh", ""))
    return Outcome(
        run=run,
        decision=decision,
        explanation=with_school_names(text, application.season_id),
        tier_name=tier_name,
        admission=admission,
        cutoffs=_cutoffs(application, run, decision, labels),
    )


def with_school_names(text: str, season_id: int) -> str:
    """The engine writes school codes into explanations; a family reads school names."""
    names = dict(School.objects.filter(season=season_id).values_list("code", "name"))
    if not names or not text:
        return text
    # Longest codes first, so a code that begins another is never replaced inside it.
    pattern = re.compile("|".join(re.escape(c) for c in sorted(names, key=len, reverse=True)))
    return pattern.sub(lambda m: names[m.group()], text)


def _cutoffs(
    application: Application, run: SeasonRun, decision: Decision, labels: dict[int, str]
) -> tuple[Cutoff, ...]:
    listed: dict[str, str] = {}
    if application.private_school_id is not None:
        listed[application.private_school.code] = "private"  # type: ignore[union-attr]
    for rank, code in application.preferences.order_by("rank").values_list("rank", "school__code"):
        listed.setdefault(code, str(rank))
    if decision.school is not None:
        listed.setdefault(decision.school.code, "")
    stage: dict[str, Any] = run.report.get("stages", {}).get(application.stage, {})
    rows = {row["school_id"]: row for row in stage.get("schools", [])}
    schools = {s.code: s for s in School.objects.filter(season=application.season_id)}
    out = []
    for code, listed_as in listed.items():
        row, school = rows.get(code), schools.get(code)
        if row is None or school is None:
            continue
        full = row.get("full_in_round", NEVER_FULL)
        level = row.get("cutoff_priority")
        out.append(
            Cutoff(
                school=school,
                listed_as=listed_as,
                plan_seats=int(row.get("plan_seats", school.plan_seats)),
                admitted=int(row.get("admitted", 0)),
                full_in_round=None if full == NEVER_FULL else int(full),
                cutoff_level="" if level is None else labels.get(int(level), str(level)),
                cutoff_number=row.get("cutoff_lottery_number"),
            )
        )
    return tuple(out)


def lottery_of(application: Application) -> NumberDerivation | None:
    """The child's number in the latest published ceremony, derived step by step."""
    ceremony = find_published(application.code)
    return derive_number(ceremony, application.code) if ceremony is not None else None
