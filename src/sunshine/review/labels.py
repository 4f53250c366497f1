"""Display names of the engine's checks and results (the codes are sunshine.core.reasons)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunshine.core.adjustments import WAIVABLE
from sunshine.core.reasons import Check

CHECK_LABELS: dict[str, Promise] = {
    Check.ID.label: _("身份证号码"),
    Check.AGE.label: _("入学年龄"),
    Check.PARENTS.label: _("父母与监护人"),
    Check.ZONE.label: _("招生片区"),
    Check.HUKOU.label: _("户籍"),
    Check.HOME.label: _("房产"),
    Check.SEAT_LOCK.label: _("学位锁定"),
    Check.PERMIT.label: _("居住证"),
    Check.SOCIAL_SECURITY.label: _("社保"),
    Check.VACCINATION.label: _("预防接种"),
    Check.PREFERENCES.label: _("志愿"),
}
assert set(CHECK_LABELS) == {c.label for c in Check}, "a check without a display name"

# Checks an exception (例外认定) may make count as passed, in check order.
CHECK_CHOICES: list[tuple[str, Promise]] = [(c.label, CHECK_LABELS[c.label]) for c in WAIVABLE]

RESULT_LABELS: dict[str, Promise] = {
    "pass": _("通过"),
    "fail": _("未通过"),
    "missing": _("无记录"),
}
