"""Template filters for the family pages: the names of checks and results, and the engine's
bilingual texts in the page's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import FINDING_CHOICES

register = template.Library()

CHECK_LABELS = dict(FINDING_CHOICES)
RESULT_LABELS = {"pass": _("符合"), "fail": _("不符"), "missing": _("未查到")}


@register.filter
def check_label(check: str) -> str:
    return str(CHECK_LABELS.get(check, check))


@register.filter
def result_label(result: str) -> str:
    return str(RESULT_LABELS.get(result, result))


@register.filter
def finding_text(finding: Any, lang: str) -> str:
    return str(finding.text(lang))


@register.filter
def level_text(candidate: Any, lang: str) -> str:
    return str(candidate.level_text(lang))
