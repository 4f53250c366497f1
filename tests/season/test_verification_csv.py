"""verification.csv: the bulk writer against csv.writer over rows rendered one at a time with
``str.format``, on random checks whose ids, zone names and constants hold commas, quotes and
line breaks."""

from __future__ import annotations

import csv
import io
from string import Formatter
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.eligibility import EligibilityResult, check_columns
from sunshine.core.policy import Stage
from sunshine.core.reasons import TEMPLATES, Check, Reason
from sunshine.season.outputs import verification_chunks

pytestmark = pytest.mark.no_postgres_rerun
TRICKY = st.text(alphabet=st.sampled_from([*'ab ,"\r\n', "中", "—"]), max_size=6)
CONSTANTS = ("cutoff", "ref", "age", "n")
NAT = np.datetime64("NaT", "D")


def _params_of(check: Check) -> set[str]:
    names = {
        field
        for reason, template in TEMPLATES.items()
        if template.check is check
        for text in (template.zh, template.en)
        for _, field, _, _ in Formatter().parse(text)
        if field is not None
    }
    return names - set(CONSTANTS)


def _column(draw: st.DrawFn, name: str, n: int, zones: int) -> np.ndarray:
    def values(elements: st.SearchStrategy[Any]) -> list[Any]:
        return draw(st.lists(elements, min_size=n, max_size=n))

    if name == "date":
        days = values(st.one_of(st.none(), st.integers(-25_000, 45_000)))
        return np.array([NAT if d is None else np.datetime64(d, "D") for d in days], "M8[D]")
    if name == "share":
        return np.array(values(st.floats(0, 1)), np.float64)
    if name == "zone":
        return np.array(values(st.integers(-1, zones - 1)), np.int32)
    return np.array(values(st.integers(0, 2100)), np.int64)


@st.composite
def results(draw: st.DrawFn, stage: Stage) -> EligibilityResult:
    n = draw(st.integers(0, 9))
    ids = draw(st.lists(TRICKY, min_size=n, max_size=n, unique=True))
    zone_id = tuple(draw(st.lists(TRICKY, min_size=1, max_size=4)))
    by_check = {c: [r for r in Reason if TEMPLATES[r].check is c] for c in Check}
    reason = np.array(
        [[draw(st.sampled_from(by_check[c])) for c in Check] for _ in range(n)], np.int16
    ).reshape(n, len(Check))
    params = {
        c: {name: _column(draw, name, n, len(zone_id)) for name in _params_of(c)} for c in Check
    }
    none = np.zeros(0, np.int64)
    return EligibilityResult(
        stage=stage,
        application_id=np.array(ids, dtype=object).reshape(n),
        reason=reason,
        params={c: p for c, p in params.items() if p},
        constants={name: draw(TRICKY) for name in CONSTANTS},
        zone_id=zone_id,
        eligible=np.ones(n, bool),
        ineligible_reason=np.full(n, -1, np.int16),
        claimed_zone=np.zeros(n, np.int32),
        outside_zone=none,
        outside_addresses=none,
        capacity=none,
        is_private=np.zeros(0, bool),
        pref_ptr=np.zeros(n + 1, np.int64),
        pref_school=np.zeros(0, np.int32),
        pref_priority=np.zeros(0, np.int16),
        pref_tier=np.zeros(0, np.int8),
        pref_basis=np.zeros(0, np.int8),
        pref_kind=np.zeros(0, np.int8),
    )


def _shown(name: str, value: Any, zone_id: tuple[str, ...]) -> str:
    if name == "zone":
        return zone_id[int(value)] if value >= 0 else "—"
    if name == "date":
        return "—" if np.isnat(value) else str(value)
    if name == "share":
        return f"{int(np.rint(value * 100))}%"
    return str(int(value))


def one_by_one(r: EligibilityResult, lang: str) -> list[list[str]]:
    """The rows of one stage, each text rendered alone with ``str.format``."""
    rows = []
    for i in sorted(range(r.n_applications), key=lambda i: str(r.application_id[i])):
        for check in Check:
            template = TEMPLATES[Reason(int(r.reason[i, check]))]
            values = dict(r.constants)
            for name, column in r.params.get(check, {}).items():
                values[name] = _shown(name, column[i], r.zone_id)
            text = getattr(template, lang).format(**values)
            rows.append([str(r.application_id[i]), check.label, str(template.result), text])
    return rows


@settings(max_examples=150, deadline=None)
@given(
    junior=results(Stage.JUNIOR),
    primary=results(Stage.PRIMARY),
    lang=st.sampled_from(["zh", "en"]),
    chunk=st.integers(1, 4),
)
def test_verification_bytes_equal_csv_writer(
    junior: EligibilityResult, primary: EligibilityResult, lang: str, chunk: int
) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["application_id", "check", "result", "reason"])
    writer.writerows(one_by_one(junior, lang) + one_by_one(primary, lang))
    expected = buffer.getvalue().encode("utf-8-sig")
    assert b"".join(verification_chunks([junior, primary], lang, chunk=chunk)) == expected


@settings(max_examples=100, deadline=None)
@given(r=results(Stage.PRIMARY), lang=st.sampled_from(["zh", "en"]))
def test_check_columns_render_like_str_format(r: EligibilityResult, lang: str) -> None:
    order = sorted(range(r.n_applications), key=lambda i: str(r.application_id[i]))
    c = check_columns(r, np.array(order, np.int64), langs=(lang,))
    columns = [c["application_id"], c["check"], c["result"], c[lang]]
    assert [list(row) for row in zip(*columns, strict=True)] == one_by_one(r, lang)
