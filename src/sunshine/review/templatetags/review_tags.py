"""Small lookups the review templates need (Django templates cannot index by a variable)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def lookup(mapping: Mapping[Any, Any], key: Any) -> Any:
    """``mapping[key]``, or the key itself when the mapping has no such entry."""
    return mapping.get(key, key)


@register.simple_tag
def tier_name(tiers: Sequence[Mapping[str, str]], tier: int | None, lang: str) -> str:
    """The name of a 1-based policy tier in ``lang``; "no tier" for None."""
    if tier is None:
        return _("无类别")
    if 0 < tier <= len(tiers):
        return tiers[tier - 1].get(lang) or tiers[tier - 1]["zh"]
    return str(tier)
