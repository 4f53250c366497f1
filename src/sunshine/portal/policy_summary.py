"""A season's policy, said in plain words for the public page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import STAGE_CHOICES
from sunshine.core.policy import AdmissionPolicy, Mechanism, Overflow, Predicate, StagePolicy, Tier
from sunshine.datasets.errors import PackageErrors
from sunshine.datasets.policy_toml import parse_policy
from sunshine.portal.queries import STAGE_ORDER

STAGE_LABELS: dict[str, Promise] = dict(STAGE_CHOICES)

_PREDICATE_TEXT: dict[str, Promise] = {
    "hukou_in_zone": _("儿童户籍在片区内"),
    "owns_home_in_zone": _("监护人在片区内有房产"),
    "hukou_home_same_address": _("户籍与房产在同一地址（房户一致）"),
    "hukou_since_before": _("户籍迁入不晚于 %(date)s"),
    "residence_permit_in_zone": _("监护人持有片区内有效居住证"),
    "social_security_months_at_least": _("监护人连续缴纳社保满 %(months)s 个月"),
    "any_address_in_zone": _("申报地址在片区内"),
}
_MECHANISM_TEXT: dict[Mechanism, Promise] = {
    Mechanism.PRIORITY_FIRST: _("志愿优先：按第一志愿录取，同一类别人数超过剩余学位时摇号"),
    Mechanism.DEFERRED_ACCEPTANCE: _("延迟接受：按志愿顺序与类别逐轮录取，结果稳定"),
}
_OVERFLOW_TEXT: dict[Overflow, Promise] = {
    Overflow.NEAREST_WITH_SEATS: _("未录取的儿童由教育局统筹安排到就近有空余学位的学校"),
    Overflow.NONE: _("未录取的儿童由教育局另行统筹安排"),
}


@dataclass(frozen=True, slots=True)
class TierLine:
    number: int
    name: str
    conditions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StageSummary:
    stage: str
    label: str
    tiers: tuple[TierLine, ...]
    seat_lock_years: int
    class_size: int
    min_age: int | None


@dataclass(frozen=True, slots=True)
class PolicySummary:
    age_cutoff: dt.date
    mechanism: str
    preferences_allowed: int
    overflow: str
    stages: tuple[StageSummary, ...]


def describe_predicate(predicate: Predicate) -> str:
    text = _PREDICATE_TEXT[predicate.name]
    if predicate.name == "hukou_since_before":
        return str(text) % {"date": predicate.arg}
    if predicate.name == "social_security_months_at_least":
        return str(text) % {"months": predicate.arg}
    return str(text)


def _tier_name(tier: Tier) -> str:
    # A policy may publish an English name beside the official Chinese one.
    english = (get_language() or "").startswith("en")
    return tier.name_en if english and tier.name_en else tier.name


def _stage(stage: StagePolicy) -> StageSummary:
    tiers = tuple(
        TierLine(i, _tier_name(t), tuple(describe_predicate(p) for p in t.predicates))
        for i, t in enumerate(stage.tiers, start=1)
    )
    label = str(STAGE_LABELS[stage.stage.value])
    return StageSummary(
        stage.stage.value, label, tiers, stage.seat_lock_years, stage.class_size, stage.min_age
    )


def summarize(policy: AdmissionPolicy) -> PolicySummary:
    stages = sorted(policy.stages.values(), key=lambda s: STAGE_ORDER.get(s.stage.value, 9))
    return PolicySummary(
        age_cutoff=policy.age_cutoff,
        mechanism=str(_MECHANISM_TEXT[policy.mechanism]),
        preferences_allowed=policy.preferences_allowed,
        overflow=str(_OVERFLOW_TEXT[policy.overflow]),
        stages=tuple(_stage(s) for s in stages),
    )


def summarize_text(policy_toml: str) -> PolicySummary | None:
    """The summary of a stored policy, or None if it no longer parses (then the page says so
    rather than failing: the public list of schools is still worth showing)."""
    try:
        return summarize(parse_policy(policy_toml))
    except PackageErrors:
        return None
