"""Display names for the coded values of an application (the codes are the data contract in
:mod:`sunshine.datasets.schema`; these are only their published names)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunshine.datasets.schema import PRIORITY_GROUPS, SPECIAL_NEEDS

PRIORITY_GROUP_LABELS: dict[str, Promise] = {
    "military": _("军人子女"),
    "police": _("公安英模和因公牺牲伤残警察子女"),
    "martyr": _("烈士子女"),
    "talent": _("高层次人才子女"),
}
SPECIAL_NEEDS_LABELS: dict[str, Promise] = {
    "disabled": _("残疾儿童"),
    "orphan": _("孤儿"),
    "left_behind": _("留守儿童"),
    "unsupported": _("事实无人抚养儿童"),
    "poor": _("家庭经济困难儿童"),
}
# In the contract's order; a code without a name here shows as itself.
PRIORITY_GROUP_CHOICES = [(c, PRIORITY_GROUP_LABELS.get(c, c)) for c in PRIORITY_GROUPS]
SPECIAL_NEEDS_CHOICES = [(c, SPECIAL_NEEDS_LABELS.get(c, c)) for c in SPECIAL_NEEDS]
