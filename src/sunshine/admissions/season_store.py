"""Persisting a season run's outcome: decisions, admissions, application statuses.

Set-based: a handful of bulk statements per stage, never a query per application.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sunshine.admissions.models import Admission, Application, Decision, School, Season, SeasonRun
from sunshine.core.allocation import Status
from sunshine.core.canonical import digest
from sunshine.season import SeasonOutcome
from sunshine.season.decisions import decision_columns

BATCH = 2000
_KIND = {
    str(Status.ADMITTED): Admission.Kind.ADMITTED,
    str(Status.PRIVATE_ADMITTED): Admission.Kind.PRIVATE_ADMITTED,
    str(Status.OVERFLOW_PLACED): Admission.Kind.OVERFLOW_PLACED,
}


# How a note (a person's decision the run honoured) joins the engine's explanation.
_NOTE_JOIN = {"zh": "", "en": " "}
Notes = Mapping[str, Mapping[str, list[str]]]  # application code -> language -> notes


def store_outcome(
    season: Season, run: SeasonRun, outcome: SeasonOutcome, notes: Notes | None = None
) -> dict[str, Any]:
    """Replace the season's admissions with this run's; return a digest of what was decided.
    An answer to an offer (accepted or declined) is kept when the run offers the same school.
    ``notes`` are appended to the explanations of the applications they name (see
    sunshine.review.effects: why a review or an override changed the outcome)."""
    notes = notes or {}
    school_pk = dict(School.objects.filter(season=season).values_list("code", "pk"))
    apps = {
        code: (pk, child)
        for code, pk, child in Application.objects.filter(season=season).values_list(
            "code", "pk", "child_id_number"
        )
    }
    # A family's answer to an offer outlives a re-run that offers it the same school.
    answers = {
        (app_pk, school_id): accepted
        for app_pk, school_id, accepted in Admission.objects.filter(
            season=season, accepted__isnull=False
        ).values_list("application_id", "school_id", "accepted")
    }
    Admission.objects.filter(season=season).delete()
    decisions: list[Decision] = []
    admissions: list[Admission] = []
    statuses: dict[str, list[int]] = {}
    decided: list[tuple[str, str, str]] = []
    for so in outcome.stages.values():
        d = decision_columns(outcome, so)
        for i, code in enumerate(d.application_id):
            pk, child = apps[code]
            status, school = d.status[i], d.school_id[i]
            school_id = school_pk[school] if school else None
            decisions.append(
                Decision(
                    run=run,
                    application_id=pk,
                    status=status,
                    school_id=school_id,
                    tier=d.tier[i] or None,
                    lottery_number=str(d.lottery_number[i]),
                    waitlist_position=d.best_waitlist[i] or None,
                    explanation=_explained(d.explanation, i, notes.get(code)),
                )
            )
            if status in _KIND and school_id is not None:
                admissions.append(
                    Admission(
                        season=season,
                        application_id=pk,
                        child_id_number=child,
                        school_id=school_id,
                        kind=_KIND[status],
                        class_no=d.class_no[i] or None,
                        decided_by_run=run,
                        accepted=answers.get((pk, school_id)),
                    )
                )
            statuses.setdefault(status, []).append(pk)
            decided.append((code, school, status))
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    Admission.objects.bulk_create(admissions, batch_size=BATCH)
    for status, pks in statuses.items():
        for start in range(0, len(pks), BATCH):
            Application.objects.filter(pk__in=pks[start : start + BATCH]).update(status=status)
    decided.sort()
    return {"decisions": len(decisions), "admissions": len(admissions), "sha256": digest(decided)}


def _explained(
    texts: Mapping[str, list[str]], i: int, notes: Mapping[str, list[str]] | None
) -> dict[str, str]:
    if not notes:
        return {lang: column[i] for lang, column in texts.items()}
    return {
        lang: _NOTE_JOIN.get(lang, " ").join([column[i], *notes.get(lang, [])])
        for lang, column in texts.items()
    }
