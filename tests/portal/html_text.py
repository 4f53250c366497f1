"""What a reader sees of a page: its visible text, for language checks in tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# A Latin word of three letters or more: short codes ("M", "ID", "Z01") are not prose.
LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


class _Visible(HTMLParser):
    _HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._skip += 1
        # Labels read out by screen readers count as visible text too.
        for name, value in attrs:
            if name in {"aria-label", "placeholder", "alt"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str, *, without: tuple[str, ...] = ()) -> str:
    """The page's text, with data values (``without``: names, codes) taken out."""
    parser = _Visible()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in sorted(without, key=len, reverse=True):
        text = text.replace(value, " ")
    return text
