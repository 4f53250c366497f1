"""allocation.csv, priorities.csv and classes.csv, built column-wise in bulk, against
``csv.writer`` over the same rows built one at a time (the writer they replaced)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sunshine.core.allocation import priority_ranks
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate
from sunshine.season import csvfast, run, write_outputs
from sunshine.season.decisions import decision_columns
from sunshine.season.pipeline import SeasonOutcome

pytestmark = pytest.mark.no_postgres_rerun
TRICKY = st.text(alphabet=st.sampled_from([*'ab ,"\r\n', "中", "—"]), max_size=6)


def written(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda w: st.lists(st.lists(TRICKY, min_size=w, max_size=w))))
def test_chunks_equal_csv_writer(rows: list[list[str]]) -> None:
    width = len(rows[0]) if rows else 2
    header = [f"h{i}" for i in range(width)]
    columns = [
        np.array([r[j] for r in rows], dtype=object).reshape(len(rows)) for j in range(width)
    ]
    assert b"".join(csvfast.chunks(header, columns, rows=3)) == written([header, *rows])


def _allocation_rows(outcome: SeasonOutcome, lang: str) -> Iterable[Sequence[Any]]:
    yield ("application_id", "stage", "school_id", "status", "tier", "lottery_number",
           "waitlist_position", "explanation")  # fmt: skip
    for so in sorted(outcome.stages.values(), key=lambda so: str(so.stage)):
        d = decision_columns(outcome, so, langs=(lang,))
        for i in np.argsort(so.eligibility.application_id.astype(str), kind="stable").tolist():
            yield (d.application_id[i], str(so.stage), d.school_id[i], d.status[i],
                   d.tier[i] or "", d.lottery_number[i], d.best_waitlist[i] or "",
                   d.explanation[lang][i])  # fmt: skip


def _priorities_rows(outcome: SeasonOutcome) -> Iterable[Sequence[Any]]:
    yield ("application_id", "school_id", "priority_rank", "priority_level", "waitlist_position")
    for so in sorted(outcome.stages.values(), key=lambda so: str(so.stage)):
        market, ids = so.market, so.eligibility.application_id
        ranks, ptr = priority_ranks(market).tolist(), market.pref_ptr.tolist()
        school = so.inputs.evidence.schools.school_id[market.pref_school].tolist()
        level, waitlist = market.pref_priority.tolist(), so.allocation.waitlist_position.tolist()
        for i in np.argsort(ids.astype(str), kind="stable").tolist():
            for k in range(ptr[i], ptr[i + 1]):
                yield ids[i], school[k], ranks[k], level[k], waitlist[k] or ""


def _classes_rows(outcome: SeasonOutcome) -> Iterable[Sequence[Any]]:
    yield ("school_id", "class_no", "application_id")
    rows: list[tuple[str, int, str]] = []
    for so in outcome.stages.values():
        names = so.inputs.evidence.schools.school_id
        school = names[so.allocation.school[so.placed]].tolist()
        ids = so.eligibility.application_id[so.placed].tolist()
        rows.extend(zip(school, so.classes.class_no.tolist(), ids, strict=True))
    yield from sorted(rows)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_files_equal_csv_writer_over_rows(tmp_path: Path, lang: str) -> None:
    generate(tmp_path / "county", children=900, seed=23, progress=False)
    outcome = run(read_package(tmp_path / "county"), program_digest="cd" * 32)
    write_outputs(outcome, tmp_path / "out", lang=lang)
    expected = {
        "allocation.csv": written(_allocation_rows(outcome, lang)),
        "priorities.csv": written(_priorities_rows(outcome)),
        "classes.csv": written(_classes_rows(outcome)),
    }
    for name, data in expected.items():
        assert (tmp_path / "out" / name).read_bytes() == data, name
    assert b'"' in expected["allocation.csv"] or lang == "zh"  # English needs quoting
