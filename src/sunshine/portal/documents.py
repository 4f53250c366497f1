"""The documents a season's policy rests on (政策依据): laws, State Council and ministry
opinions, and a province's, city's or county's own notices.

They are data, not code: the national ones ship in ``policy_documents.toml`` beside this module,
and a deployment adds its own in ``SUNSHINE_HOME/policy-documents.toml`` (same format). Each
document has a ``scope``, a region prefix, so one file can serve every county of a city.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

PACKAGED = Path(__file__).with_name("policy_documents.toml")
LOCAL_NAME = "policy-documents.toml"
_KEYS = frozenset(
    {"title", "title_en", "issuer", "issuer_en", "number", "date", "url", "summary"}
    | {"summary_en", "scope"}
)
_REQUIRED = ("title", "title_en", "issuer", "issuer_en", "date")


class DocumentsError(ValueError):
    """A documents file that cannot be read; the message names the file, entry and key."""


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    title: str
    title_en: str
    issuer: str
    issuer_en: str
    date: dt.date
    number: str = ""  # 文号, e.g. 教基一〔2014〕1号
    url: str = ""
    summary: str = ""
    summary_en: str = ""
    scope: str = ""  # region prefix; "" applies everywhere

    def applies_to(self, region_code: str) -> bool:
        return region_code.startswith(self.scope)

    def localized(self) -> tuple[str, str, str]:
        """(title, issuer, summary) in the page's language."""
        if (get_language() or "").startswith("en"):
            return self.title_en, self.issuer_en, self.summary_en
        return self.title, self.issuer, self.summary


def _entry(raw: Any, where: str) -> PolicyDocument:
    if not isinstance(raw, dict):
        raise DocumentsError(f"{where}: each [[documents]] entry must be a table")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise DocumentsError(f"{where}: unknown key {unknown[0]!r}")
    missing = [k for k in _REQUIRED if not raw.get(k)]
    if raw.get("summary") and not raw.get("summary_en"):
        missing.append("summary_en")
    if missing:
        raise DocumentsError(f"{where}: {missing[0]!r} is required")
    if not isinstance(raw["date"], dt.date) or isinstance(raw["date"], dt.datetime):
        raise DocumentsError(f"{where}: 'date' must be a TOML date such as 2014-01-14")
    texts = {k: v for k, v in raw.items() if k != "date"}
    bad = [k for k, v in texts.items() if not isinstance(v, str)]
    if bad:
        raise DocumentsError(f"{where}: {bad[0]!r} must be a string")
    scope = texts.get("scope", "")
    if scope and not (scope.isdigit() and len(scope) <= 6):
        raise DocumentsError(f"{where}: 'scope' must be a region code or prefix of digits")
    url = texts.get("url", "")
    if url and not url.startswith(("https://", "http://")):
        raise DocumentsError(f"{where}: 'url' must be an http(s) address")
    return PolicyDocument(date=raw["date"], **texts)


def parse_documents(text: str, source: str) -> tuple[PolicyDocument, ...]:
    """The documents of one file; raises :class:`DocumentsError` on the first problem."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DocumentsError(f"{source}: not valid TOML: {exc}") from exc
    if set(doc) - {"documents"}:
        raise DocumentsError(f"{source}: only [[documents]] entries are allowed")
    entries = doc.get("documents", [])
    if not isinstance(entries, list):
        raise DocumentsError(f"{source}: 'documents' must be an array of tables")
    return tuple(_entry(raw, f"{source} documents[{i}]") for i, raw in enumerate(entries))


@lru_cache(maxsize=8)
def _read(path: Path, mtime_ns: int) -> tuple[PolicyDocument, ...]:
    # Keyed on the file's mtime: an edited county file is read again without a restart.
    return parse_documents(path.read_text(encoding="utf-8"), str(path))


def _files() -> list[Path]:
    local = Path(settings.HOME) / LOCAL_NAME
    return [PACKAGED, local] if local.is_file() else [PACKAGED]


def documents_for(region_code: str) -> list[PolicyDocument]:
    """Every document that applies to ``region_code``: the widest scope first (national, then
    province, city, county), the newest first within a scope."""
    found = [
        d
        for path in _files()
        for d in _read(path, path.stat().st_mtime_ns)
        if d.applies_to(region_code)
    ]
    found.sort(key=lambda d: (len(d.scope), -d.date.toordinal(), d.title))
    return found
