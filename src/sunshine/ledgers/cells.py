"""What a ledger cell may hold, and how a typed or spreadsheet value becomes that.

One set of rules for the web form, the API and the .xlsx import, so a value accepted in one
place is accepted everywhere and reads back the same. Pure functions: no Django, no I/O.
Messages are Chinese msgids; the caller translates them.
"""

from __future__ import annotations

import datetime as dt
import re

# Characters an .xlsx file cannot hold (XML 1.0 forbids them): refused rather than dropped.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
# Excel keeps 15 significant digits; a longer whole number has already been rounded.
_EXACT_DIGITS = 10**15


def gettext_noop(message: str) -> str:
    """Marks a msgid for makemessages without importing Django (the caller translates)."""
    return message


class CellError(ValueError):
    """A value a ledger cell cannot take; ``str()`` is a Chinese msgid with %(name)s fields."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


def normalize_text(value: str) -> str:
    """One spelling for a text: Windows and old-Mac line ends become \\n, the ends are trimmed."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def as_text(value: object, *, max_length: int, required: bool) -> str:
    """A text cell. Numbers typed into a text column are kept as the digits shown."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        raise CellError(gettext_noop("应为文字"))
    elif isinstance(value, int):
        if abs(value) >= _EXACT_DIGITS:
            raise CellError(
                gettext_noop("数字超过15位已被Excel舍入，请把该列设为文本格式后重新录入")
            )
        text = str(value)
    elif isinstance(value, float):
        if value.is_integer():
            if abs(value) >= _EXACT_DIGITS:
                raise CellError(
                    gettext_noop("数字超过15位已被Excel舍入，请把该列设为文本格式后重新录入")
                )
            text = str(int(value))
        else:
            text = repr(value)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        raise CellError(gettext_noop("应为文字"))
    text = normalize_text(text)
    if _CONTROL.search(text):
        raise CellError(gettext_noop("含有无法保存的控制字符"))
    if required and not text:
        raise CellError(gettext_noop("不能为空"))
    if len(text) > max_length:
        raise CellError(gettext_noop("不能超过 %(max)s 个字"), max=max_length)
    return text


def as_date(value: object, *, required: bool) -> dt.date | None:
    """A date cell: an Excel date, or text such as 2024-07-25, 2024/7/25 or 2024年7月25日."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise CellError(gettext_noop("应为日期（不含时间）"))
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else value.strip() if isinstance(value, str) else None
    if text is None:
        raise CellError(gettext_noop("应为日期，例如 2024-07-25"))
    if not text:
        if required:
            raise CellError(gettext_noop("不能为空"))
        return None
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise CellError(gettext_noop("应为日期，例如 2024-07-25"))


def as_number(value: object, *, required: bool) -> int | None:
    """A ledger number (序号) or a reference to one: a whole number of at least 1."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise CellError(gettext_noop("不能为空"))
        return None
    number: int | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    if number is None or number < 1 or number > 999_999:
        raise CellError(gettext_noop("应为正整数序号"))
    return number


def as_choice(value: object, labels: dict[str, str], *, required: bool) -> str:
    """A choice cell, given as its label (整改中) or its code (in_progress)."""
    text = normalize_text(value) if isinstance(value, str) else "" if value is None else None
    if text is None:
        raise CellError(gettext_noop("应为文字"))
    if not text:
        if required:
            raise CellError(gettext_noop("不能为空"))
        return ""
    if text in labels.values():
        return text
    if text in labels:
        return labels[text]
    raise CellError(gettext_noop("应为以下之一：%(choices)s"), choices="、".join(labels))


def chinese_date(day: dt.date) -> str:
    """2024年7月25日, as dates are written on the forms."""
    return f"{day.year}年{day.month}月{day.day}日"
