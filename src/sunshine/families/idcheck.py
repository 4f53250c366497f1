"""Checking an ID number as a family types it: the GB 11643 rules of ``sunshine.core.ids`` with
one message per kind of mistake. ``static/families/idcheck.js`` applies the same rules in the
browser (a test runs both over the same numbers); the server's verdict is the one that counts."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from sunshine.core.ids import ID_LENGTH, id_check_char, is_valid_id

_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def normalise_id(raw: str) -> str:
    return "".join((raw or "").split()).upper()


def id_problem_kind(value: str) -> str | None:
    """empty | length | digits | date | check, or None for a valid number (normalised)."""
    if not value:
        return "empty"
    if len(value) != ID_LENGTH:
        return "length"
    if not _SHAPE.fullmatch(value):
        return "digits"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "date"
    if value[17] != id_check_char(value[:17]):
        return "check"
    assert is_valid_id(value)  # the core rule agrees
    return None


def id_problem(value: str) -> str | None:
    """What is wrong with ``value`` (normalised), in words, or None when it is valid."""
    kind = id_problem_kind(value)
    if kind is None:
        return None
    return {
        "empty": _("请输入身份证号码"),
        "length": _("身份证号码应为18位，现在是%(n)s位") % {"n": len(value)},
        "digits": _("前17位应为数字，最后一位为数字或X"),
        "date": _("第7至14位的出生日期不是有效日期"),
        "check": _("校验码不符，号码中可能有输错的数字"),
    }[kind]
