"""Explanations in words, Chinese (default) or English.

Bulk rendering for allocation.csv avoids per-entry formatting: every sentence is a template
whose only per-child field ({own_level} or {own_no}) sits at one split point, so the part
before it is formatted once per school and the rest is joined with numpy object-array ``+``.
``render_one`` formats the same templates for one family's page, so both say the same words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np

from sunshine.core.allocation.explain import ChildExplanation, Why, reasons
from sunshine.core.allocation.result import NONE, Allocation, Status
from sunshine.core.market import Market

TEMPLATES: Final[dict[str, dict[Why, str]]] = {
    "zh": {
        Why.ADMITTED: "{school}：已录取",
        Why.HIGHER_CHOICE_ADMITTED: "{school}：已被更靠前的志愿录取，本志愿未参与",
        Why.NOT_ADMISSIBLE: "{school}：不符合该校招生条件",
        Why.NO_SEATS: "{school}：该校本年度无招生计划",
        Why.FULL_BEFORE_ROUND: "{school}：该校在第{full_round}轮已录满，早于本志愿的轮次",
        Why.CUTOFF_BETTER_LEVEL: "{school}：录取线在「{cut_level}」，高于你的「{own_level}」",
        Why.CUTOFF_LOTTERY: (
            "{school}：录取线在你所在的「{cut_level}」，摇号号码{cut_no}；你的号码{own_no}在其后"
        ),
    },
    "en": {
        Why.ADMITTED: "{school}: admitted",
        Why.HIGHER_CHOICE_ADMITTED: "{school}: not considered, a higher choice admitted you",
        Why.NOT_ADMISSIBLE: "{school}: not admissible there",
        Why.NO_SEATS: "{school}: no seats in this year's plan",
        Why.FULL_BEFORE_ROUND: "{school}: full in round {full_round}, before this choice's round",
        Why.CUTOFF_BETTER_LEVEL: (
            "{school}: the cut-off fell in “{cut_level}”, above your “{own_level}”"
        ),
        Why.CUTOFF_LOTTERY: (
            "{school}: the cut-off fell in your level “{cut_level}” at lottery number {cut_no}; "
            "your number {own_no} came after it"
        ),
    },
}
WAITLIST: Final = {"zh": "，候补第{position}位", "en": ", waitlist position {position}"}
TAILS: Final[dict[str, dict[Status, str]]] = {
    "zh": {
        Status.OVERFLOW_PLACED: "统筹安排至{school}（距家最近且有空余学位）",
        Status.INELIGIBLE: "未通过资格审核，详见审核结果",
        Status.UNPLACED: "暂未安排学位，由教育局统筹",
    },
    "en": {
        Status.OVERFLOW_PLACED: (
            "placed by the bureau at {school}, the nearest school with free seats"
        ),
        Status.INELIGIBLE: "not eligible; see the verification results",
        Status.UNPLACED: "no seat yet; the bureau will place the child",
    },
}
SEPARATOR: Final = {"zh": ("；", "。"), "en": ("; ", ".")}
DEFAULT_LEVEL: Final = {"zh": "优先级{p}", "en": "priority {p}"}
_FIELDS: Final = ("{own_level}", "{own_no}")


def _lang(lang: str) -> str:
    if lang not in TEMPLATES:
        raise ValueError(f"no explanation texts for language {lang!r}; have zh, en")
    return lang


class _Labels:
    def __init__(self, levels: Mapping[int, str] | None, lang: str) -> None:
        self.levels, self.default = levels or {}, DEFAULT_LEVEL[lang]

    def __call__(self, p: int) -> str:
        return self.levels.get(p) or self.default.format(p=p)


def _school_fields(market: Market, alloc: Allocation, s: int, label: _Labels) -> dict[str, str]:
    cut = int(alloc.cutoff_entry[s])
    if cut == NONE:
        return {"full_round": str(int(alloc.full_round[s])), "cut_level": "", "cut_no": ""}
    cut_app = int(np.searchsorted(market.pref_ptr, cut, side="right")) - 1
    return {
        "full_round": str(int(alloc.full_round[s])),
        "cut_level": label(int(market.pref_priority[cut])),
        "cut_no": str(int(market.lottery[cut_app])),
    }


def _split(template: str) -> tuple[str, str, str]:
    """(part before the per-child field, the field's name, the rest)."""
    for field in _FIELDS:
        if field in template:
            head, tail = template.split(field)
            return head, field[1:-1], tail
    return template, "", ""


def render_one(
    market: Market,
    alloc: Allocation,
    explanation: ChildExplanation,
    school_names: Sequence[str],
    *,
    levels: Mapping[int, str] | None = None,
    lang: str = "zh",
) -> str:
    t, label = TEMPLATES[_lang(lang)], _Labels(levels, lang)
    sep, end = SEPARATOR[lang]
    parts = []
    for c in explanation.choices:
        text = t[c.why].format(
            school=school_names[c.school],
            own_level=label(c.priority),
            own_no=explanation.lottery,
            **_school_fields(market, alloc, c.school, label),
        )
        if c.waitlist_position:
            text += WAITLIST[lang].format(position=c.waitlist_position)
        parts.append(text)
    tail = TAILS[lang].get(explanation.status)
    if tail and (explanation.status is Status.OVERFLOW_PLACED or not parts):
        where = "" if explanation.school is None else school_names[explanation.school]
        parts.append(tail.format(school=where))
    return sep.join(parts) + end


def render_all(
    market: Market,
    alloc: Allocation,
    school_names: Sequence[str],
    *,
    levels: Mapping[int, str] | None = None,
    lang: str = "zh",
) -> list[str]:
    """One explanation per application, the same words as ``render_one``, for 200k children
    in a fraction of a second."""
    t, label = TEMPLATES[_lang(lang)], _Labels(levels, lang)
    sep, end = SEPARATOR[lang]
    m = market.n_schools
    why = reasons(market, alloc)
    school = market.pref_school
    app = np.repeat(np.arange(market.n_applications), np.diff(market.pref_ptr))
    fields = [_school_fields(market, alloc, s, label) for s in range(m)]
    parts = np.empty(len(why), dtype=object)
    for code, template in t.items():
        idx = np.flatnonzero(why == code)
        if len(idx) == 0:
            continue
        head, field, rest = _split(template)
        per_school = np.array(
            [head.format(school=school_names[s], **fields[s]) for s in range(m)], dtype=object
        )
        parts[idx] = per_school[school[idx]]
        if field == "own_no":
            parts[idx] = parts[idx] + _texts(market.lottery[app[idx]]) + rest
        elif field == "own_level":
            prio = market.pref_priority[idx]
            values, inverse = np.unique(prio, return_inverse=True)
            names = np.array([label(int(p)) for p in values], dtype=object)
            parts[idx] = parts[idx] + names[inverse] + rest
    waiting = np.flatnonzero(alloc.waitlist_position > 0)
    if len(waiting):
        head, tail = WAITLIST[lang].split("{position}")
        numbers = _texts(alloc.waitlist_position[waiting])
        parts[waiting] = parts[waiting] + head + numbers + tail
    lengths = np.diff(market.pref_ptr)
    last = market.pref_ptr[1:][lengths > 0] - 1
    parts[last] = parts[last] + end
    out = _joined(parts, market.pref_ptr, sep).tolist()
    _add_tails(out, alloc, market, school_names, lang)
    return out


def _joined(parts: np.ndarray, ptr: np.ndarray, sep: str) -> np.ndarray:
    """object [n]: ``sep.join(parts[ptr[i] : ptr[i + 1]])`` for every i, built with whole-array
    string additions, one per position, over the applications with that many entries."""
    lengths = np.diff(ptr)
    starts = ptr[:-1]
    out = np.full(len(lengths), "", dtype=object)
    for count in np.unique(lengths[lengths > 0]).tolist():
        who = np.flatnonzero(lengths == count)
        text = parts[starts[who]]
        for k in range(1, count):
            text = text + sep + parts[starts[who] + k]
        out[who] = text
    return out


def _texts(numbers: np.ndarray) -> np.ndarray:
    # str() over a list beats numpy's astype(str) followed by a conversion to objects.
    return np.array(list(map(str, numbers.tolist())), dtype=object)


def _add_tails(
    out: list[str],
    alloc: Allocation,
    market: Market,
    school_names: Sequence[str],
    lang: str,
) -> None:
    """Append the status sentence where render_one does (``out`` already ends in ``end``)."""
    sep, end = SEPARATOR[lang]
    empty = np.diff(market.pref_ptr) == 0
    for status, template in TAILS[lang].items():
        who = alloc.status == status
        if status is not Status.OVERFLOW_PLACED:
            who &= empty
        for i in np.flatnonzero(who).tolist():
            s = int(alloc.school[i])
            tail = template.format(school=school_names[s] if s != NONE else "") + end
            out[i] = f"{out[i][: -len(end)]}{sep}{tail}" if out[i] else tail
