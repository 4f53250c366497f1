"""Small helpers shared by the family pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sunshine.errors import DomainError

# The ID-check script's words, handed over with json_script so the script holds no text.
ID_CHECK_LABELS = {
    "empty": _("请输入身份证号码"),
    "length": _("身份证号码应为18位，现在是%(n)s位"),
    "digits": _("前17位应为数字，最后一位为数字或X"),
    "date": _("第7至14位的出生日期不是有效日期"),
    "check": _("校验码不符，号码中可能有输错的数字"),
    "ok": _("号码有效"),
    "born": _("出生日期"),
    "male": _("男"),
    "female": _("女"),
}


def lang() -> str:
    """The language of the engine's texts (reasons, explanations): "en" or "zh"."""
    return "en" if (get_language() or "").startswith("en") else "zh"


def place_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error beside the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))
