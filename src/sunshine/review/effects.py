"""What review decides for the engine: the adjustments a season run honours, and the notes
its explanations carry, so a family reads why a person changed its outcome.

Only final decisions count. A second-level rejection makes the application ineligible; an
approved override changes its tier at one school or makes a check count as passed. A pending
review, a first-level decision still awaiting level 2, a return for correction, and an override
that is requested or refused change nothing: the engine decides on the registry evidence alone
(a review must never be able to hold a child's place hostage by not happening).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Final

from sunshine.admissions.models import Season
from sunshine.core.adjustments import NO_TIER, Adjustments
from sunshine.core.policy import AdmissionPolicy
from sunshine.core.reasons import Check
from sunshine.datasets.policy_toml import parse_policy
from sunshine.review.assessment import tier_names
from sunshine.review.models import CaseState, Override, ReviewCase

LANGS: Final = ("zh", "en")
NOTES: Final[dict[str, dict[str, str]]] = {
    "zh": {
        "rejected": "第二级审核不予通过：{reason}。",
        "tier": "{school}的类别经更正申请 #{n} 由「{before}」改为「{after}」（理由：{reason}）。",
        "exception": "「{check}」经更正申请 #{n} 按通过认定（理由：{reason}）。",
        "none": "无类别",
    },
    "en": {
        "rejected": "Rejected at the second level of review: {reason}.",
        "tier": (
            "Tier at {school} changed by override #{n} from “{before}” to “{after}” ({reason})."
        ),
        "exception": "Check “{check}” counts as passed by override #{n} ({reason}).",
        "none": "no tier",
    },
}
CHECK_NAMES: Final[dict[str, dict[str, str]]] = {
    "zh": {
        "id": "身份证号码",
        "age": "入学年龄",
        "hukou": "户籍",
        "home": "房产",
        "seat_lock": "学位锁定",
        "permit": "居住证",
        "social_security": "社保",
    },
    "en": {
        "id": "ID number",
        "age": "age",
        "hukou": "hukou",
        "home": "home ownership",
        "seat_lock": "seat lock",
        "permit": "residence permit",
        "social_security": "social insurance",
    },
}


@dataclass(frozen=True, slots=True)
class ReviewEffects:
    adjustments: Adjustments
    notes: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # code -> lang -> notes
    overrides: tuple[int, ...] = ()  # approved overrides applied, oldest approval first
    rejected: int = 0


def review_effects(season: Season, codes: Collection[str] | None = None) -> ReviewEffects:
    """The final review outcomes of ``season`` (of the applications ``codes`` only, if given).
    When several approved tier changes concern one school of one child, the latest approval
    wins; the notes name each of them in order."""
    cases = ReviewCase.objects.filter(application__season=season, state=CaseState.REJECTED)
    # Approved and still in force: a withdrawn override (state ``withdrawn``) no longer counts,
    # and a reopened rejection is no longer the case's state.
    overrides = Override.objects.filter(
        application__season=season, state=Override.State.APPROVED, withdrawn_at__isnull=True
    ).order_by("decided_at", "pk")
    if codes is not None:
        cases = cases.filter(application__code__in=codes)
        overrides = overrides.filter(application__code__in=codes)
    notes: dict[str, dict[str, list[str]]] = {}

    def note(code: str, key: str, **values: object) -> None:
        """Add one note in every language; a value given as {lang: text} is per language."""
        by_lang = notes.setdefault(code, {lang: [] for lang in LANGS})
        for lang in LANGS:
            filled = {k: v[lang] if isinstance(v, dict) else v for k, v in values.items()}
            by_lang[lang].append(NOTES[lang][key].format(**filled))

    rejected = set()
    for code, reason in cases.values_list("application__code", "last_record__reason"):
        rejected.add(code)
        note(code, "rejected", reason=reason)
    policy: AdmissionPolicy | None = None  # parsed when the first tier change needs its names
    waived: dict[str, set[Check]] = {}
    tiers: dict[tuple[str, str], int] = {}
    applied = []
    for o in overrides.select_related("application", "school"):
        code = o.application.code
        applied.append(o.pk)
        if o.kind == Override.Kind.EXCEPTION:
            waived.setdefault(code, set()).add(Check[o.check_name.upper()])
            check = {lang: CHECK_NAMES[lang][o.check_name] for lang in LANGS}
            note(code, "exception", check=check, n=o.pk, reason=o.reason)
            continue
        assert o.school is not None  # a tier change names a school (a database constraint)
        policy = policy or parse_policy(season.policy_toml)
        names = tier_names(policy, o.application.stage)
        tiers[(code, o.school.code)] = NO_TIER if o.to_tier is None else o.to_tier - 1
        before, after = (
            {lang: tier_label(names, t, lang) for lang in LANGS} for t in (o.from_tier, o.to_tier)
        )
        note(
            code, "tier", school=o.school.name, n=o.pk, before=before, after=after, reason=o.reason
        )
    adjustments = Adjustments(
        rejected=frozenset(rejected),
        waived={code: frozenset(checks) for code, checks in waived.items()},
        tiers=tiers,
    )
    return ReviewEffects(adjustments, notes, tuple(applied), len(rejected))


def tier_label(names: list[dict[str, str]], tier: int | None, lang: str) -> str:
    """A 1-based tier's name; "no tier" for None (a number if the policy no longer has it)."""
    if tier is None:
        return NOTES.get(lang, NOTES["zh"])["none"]
    return names[tier - 1].get(lang, names[tier - 1]["zh"]) if 0 < tier <= len(names) else str(tier)
