"""The files of a season run (docs/season.md): verification, allocation, priorities, the
lottery transcript, classes and a report. Rows are sorted by public ids, so the files do not
depend on the order of the package's rows."""

from __future__ import annotations

import csv
import json
import resource
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sunshine.core.allocation import priority_ranks
from sunshine.core.eligibility import EligibilityResult, fill, reason_values
from sunshine.core.reasons import TEMPLATES, Check
from sunshine.files import replaced_atomically, write_bytes_atomically
from sunshine.season import csvfast
from sunshine.season.decisions import decision_columns
from sunshine.season.pipeline import SeasonOutcome, StageOutcome, timed
from sunshine.season.report import build_report

LANGS = ("zh", "en")
FILES = (
    "verification.csv",
    "allocation.csv",
    "priorities.csv",
    "lottery.json",
    "classes.csv",
    "report.json",
)


def write_outputs(
    outcome: SeasonOutcome, out: Path, *, lang: str = "zh", started: float | None = None
) -> None:
    """Write every file into ``out`` (created if needed), with reasons and explanations in
    ``lang`` (zh or en). Each file is written beside its final name and renamed into place,
    so a reader never sees half a file."""
    if lang not in LANGS:
        raise ValueError(f"no texts in language {lang!r}; have {', '.join(LANGS)}")
    out.mkdir(parents=True, exist_ok=True)
    t = outcome.timings
    stages = list(outcome.stages.values())
    with timed(t, "write verification", None):
        results = [so.eligibility for so in _sorted_stages(stages)]
        write_bytes_atomically(out / "verification.csv", verification_chunks(results, lang))
    with timed(t, "write allocation", None):
        _csv(out / "allocation.csv", _allocation(outcome, stages, lang))
    with timed(t, "write priorities", None):
        _csv(out / "priorities.csv", _priorities(stages))
    with timed(t, "write classes", None):
        _csv(out / "classes.csv", _classes(stages))
    with timed(t, "write lottery", None):
        write_bytes_atomically(out / "lottery.json", [outcome.transcript().to_json()])
    report = build_report(outcome)
    report["timings_s"] = {k: round(v, 4) for k, v in t.items()}
    if started is not None:
        report["timings_s"]["total"] = round(time.perf_counter() - started, 4)
    report["peak_memory_mb"] = peak_memory_mb()
    text = json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes_atomically(out / "report.json", [text.encode("utf-8")])


def peak_memory_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(rss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _order(ids: np.ndarray) -> np.ndarray:
    return np.argsort(ids.astype(str), kind="stable")


# Applications per chunk of verification.csv: big enough for numpy to pay off, small enough
# that the text of one chunk (11 lines per application) stays well under 100 MB.
CHUNK = 32_768


def verification_chunks(
    results: Iterable[EligibilityResult], lang: str, *, chunk: int = CHUNK
) -> Iterator[bytes]:
    """verification.csv as UTF-8 chunks (the first with the BOM), byte for byte what
    ``csv.writer`` writes for the rows of :func:`~sunshine.core.eligibility.check_rows`: one
    line per check, applications in id order, ``results`` (stages) in the given order."""
    yield csvfast.BOM + csvfast.line(("application_id", "check", "result", "reason")).encode()
    for result in results:
        order = _order(result.application_id)
        for lo in range(0, len(order), chunk):
            yield _verification_chunk(result, order[lo : lo + chunk], lang).encode()


def _verification_chunk(result: EligibilityResult, rows: np.ndarray, lang: str) -> str:
    # Each line is the application's id plus a tail ",check,result,reason\r\n", rendered per
    # reason code: one shared string for a code without parameters (most rows).
    n_checks = len(Check)
    tails = np.empty(len(rows) * n_checks, dtype=object)
    for reason, at, values in reason_values(result, rows):
        template = TEMPLATES[reason]
        head = f",{csvfast.field(template.check.label)},{csvfast.field(str(template.result))},"
        text = getattr(template, lang)
        if csvfast.plain(text) and all(csvfast.plain(v) for v in values.values()):
            tails[at] = fill(text, values, before=head, after="\r\n")
        else:  # a quoted field: quote the rendered text, then frame it
            shown = fill(text, values)
            quoted = csvfast.field(shown) if isinstance(shown, str) else csvfast.fields(shown)
            tails[at] = head + quoted + "\r\n"
    parts = np.empty((len(rows), 2 * n_checks), dtype=object)
    parts[:, 0::2] = csvfast.fields(result.application_id[rows])[:, None]
    parts[:, 1::2] = tails.reshape(len(rows), n_checks)
    return "".join(parts.ravel().tolist())


def _allocation(
    outcome: SeasonOutcome, stages: Sequence[StageOutcome], lang: str
) -> Iterable[Sequence[Any]]:
    yield (
        "application_id",
        "stage",
        "school_id",
        "status",
        "tier",
        "lottery_number",
        "waitlist_position",
        "explanation",
    )
    for so in _sorted_stages(stages):
        d = decision_columns(outcome, so, langs=(lang,))
        stage = str(so.stage)
        for i in _order(so.eligibility.application_id).tolist():
            yield (
                d.application_id[i],
                stage,
                d.school_id[i],
                d.status[i],
                d.tier[i] or "",
                d.lottery_number[i],
                d.best_waitlist[i] or "",
                d.explanation[lang][i],
            )


def _priorities(stages: Sequence[StageOutcome]) -> Iterable[Sequence[Any]]:
    yield ("application_id", "school_id", "priority_rank", "priority_level", "waitlist_position")
    for so in _sorted_stages(stages):
        market = so.market
        ranks = priority_ranks(market).tolist()
        names = so.inputs.evidence.schools.school_id
        ptr = market.pref_ptr.tolist()
        school = names[market.pref_school].tolist()
        level = market.pref_priority.tolist()
        waitlist = so.allocation.waitlist_position.tolist()
        ids = so.eligibility.application_id
        for i in _order(ids).tolist():
            app_id = ids[i]
            for k in range(ptr[i], ptr[i + 1]):
                yield app_id, school[k], ranks[k], level[k], waitlist[k] or ""


def _classes(stages: Sequence[StageOutcome]) -> Iterable[Sequence[Any]]:
    yield ("school_id", "class_no", "application_id")
    rows: list[tuple[str, int, str]] = []
    for so in stages:
        names = so.inputs.evidence.schools.school_id
        school = names[so.allocation.school[so.placed]].tolist()
        ids = so.eligibility.application_id[so.placed].tolist()
        rows.extend(zip(school, so.classes.class_no.tolist(), ids, strict=True))
    rows.sort()
    yield from rows


def _sorted_stages(stages: Sequence[StageOutcome]) -> list[StageOutcome]:
    return sorted(stages, key=lambda so: str(so.stage))


def _csv(path: Path, rows: Iterable[Sequence[Any]]) -> None:
    # UTF-8 with a BOM, like the data package, so Chinese Excel opens it correctly.
    with replaced_atomically(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
