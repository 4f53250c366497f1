"""The self-inspection checklist (对照检查表) as data: groups of numbered items, read from the
edition's TOML file beside this module. A new campaign year adds a file, never edits an old one,
so a county's filled 2024 checklist keeps meaning what it meant."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
CURRENT_EDITION = "2024"


@dataclass(frozen=True, slots=True)
class Item:
    number: int  # 1-based, running across the groups as on the form
    group: str
    text: str  # the form's words, exported as they are
    text_en: str  # for English pages only

    def label(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    name_en: str
    items: tuple[Item, ...]

    def label(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name


@dataclass(frozen=True, slots=True)
class Checklist:
    edition: str
    title: str
    title_en: str
    source: str
    groups: tuple[Group, ...]

    def label(self, language: str) -> str:
        return self.title_en if language.startswith("en") else self.title

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)

    def item(self, number: int) -> Item | None:
        items = self.items
        return items[number - 1] if 1 <= number <= len(items) else None


@cache
def load_checklist(edition: str = CURRENT_EDITION) -> Checklist:
    """The checklist of ``edition`` (e.g. "2024"); ValueError when no such edition exists."""
    if not edition.isdigit():
        raise ValueError(f"no checklist edition {edition!r}")
    path = _HERE / f"checklist_{edition}.toml"
    if not path.is_file():
        raise ValueError(f"no checklist edition {edition!r}")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    groups: list[Group] = []
    number = 0
    for group in data["groups"]:
        items = []
        for item in group["items"]:
            number += 1
            items.append(Item(number, group["name"], item["text"], item["en"]))
        groups.append(Group(group["name"], group["name_en"], tuple(items)))
    if str(data["edition"]) != edition:
        raise ValueError(f"{path.name} declares edition {data['edition']!r}")
    return Checklist(edition, data["title"], data["title_en"], data["source"], tuple(groups))
