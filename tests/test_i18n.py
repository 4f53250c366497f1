"""No string ships untranslated: the English catalogue is complete, current and compiled.

The source language is Simplified Chinese; ``src/sunshine/locale/en`` holds the English.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "sunshine"
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
pytestmark = pytest.mark.no_postgres_rerun


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def parse_po(text: str) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def flush() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
            continue
        elif line.startswith("#"):
            continue
        if line.startswith('"'):
            value = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr[") or keyword == "msgstr":
                target = int(keyword[7:-1]) if keyword != "msgstr" else 0
                entry.msgstr[target] = ""
            else:
                target = keyword  # msgid / msgid_plural / msgctxt
                if keyword == "msgid_plural":
                    entry.msgid_plural = ""
        if target == "msgid":
            entry.msgid += value
        elif target == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif isinstance(target, int):
            entry.msgstr[target] += value
    return [e for e in entries if e.msgid]


def _catalogue() -> list[Entry]:
    return [e for e in parse_po(PO.read_text(encoding="utf-8")) if not e.obsolete]


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = _catalogue()
    assert entries, f"{PO} holds no messages"
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    empty = [e.msgid for e in entries if not e.msgstr or not all(e.msgstr.values())]
    assert not fuzzy, f"fuzzy translations: {fuzzy}"
    assert not empty, f"untranslated: {empty}"
    plural = [e.msgid for e in entries if e.msgid_plural is not None and len(e.msgstr) != 2]
    assert not plural, f"English needs two plural forms: {plural}"


def test_compiled_catalogue_matches_the_po_file() -> None:
    # Read with Python's own gettext: the runtime needs no GNU gettext tools.
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in _catalogue():
        if e.msgid_plural is None:
            got = compiled.gettext(e.msgid)
            ok = got == e.msgstr[0]
        else:
            got = compiled.ngettext(e.msgid, e.msgid_plural, 2)
            ok = got == e.msgstr[1]
        if not ok:
            stale.append(e.msgid)
    assert not stale, f"django.mo is stale; run compilemessages. Differs for: {stale}"


def test_makemessages_finds_nothing_the_catalogue_lacks(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: apt-get install gettext")
    copy = tmp_path / "sunshine"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    before = PO.read_bytes()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--settings=sunshine.config.settings",
        ],
        cwd=copy,
        env={**os.environ, "SUNSHINE_DEBUG": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert PO.read_bytes() == before, "makemessages must not touch the real catalogue"
    extracted = parse_po((copy / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    wanted = {e.msgid for e in extracted if not e.obsolete}
    have = {e.msgid for e in _catalogue()}
    missing = sorted(wanted - have)
    assert not missing, f"msgids missing from {PO.name} (run makemessages): {missing}"


def test_the_po_reader_sees_fuzzy_plural_and_multiline_entries() -> None:
    text = (
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        '#, fuzzy\nmsgid "甲"\nmsgstr "A"\n\n'
        'msgid ""\n"乙"\n"丙"\nmsgstr ""\n\n'
        'msgid "共 %(n)s 所"\nmsgid_plural "共 %(n)s 所"\nmsgstr[0] "one"\nmsgstr[1] "many"\n\n'
        '#~ msgid "丁"\n#~ msgstr "D"\n'
    )
    entries = {e.msgid: e for e in parse_po(text)}
    assert "fuzzy" in entries["甲"].flags
    assert entries["乙丙"].msgstr == {0: ""}
    assert entries["共 %(n)s 所"].msgstr == {0: "one", 1: "many"}
    assert entries["丁"].obsolete
