"""The files of a season run (docs/season.md): verification, allocation, priorities, the
lottery transcript, classes and a report. Rows are sorted by public ids, so the files do not
depend on the order of the package's rows."""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from sunshine.core.allocation import priority_ranks
from sunshine.core.eligibility import EligibilityResult, fill, reason_values
from sunshine.core.reasons import TEMPLATES, Check
from sunshine.core.utf8sort import is_ascending
from sunshine.datasets import forked
from sunshine.files import write_bytes_atomically
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
    outcome: SeasonOutcome,
    out: Path,
    *,
    lang: str = "zh",
    started: float | None = None,
    processes: int = 1,
) -> None:
    """Write every file into ``out`` (created if needed), with reasons and explanations in
    ``lang`` (zh or en). Each file is written beside its final name and renamed into place,
    so a reader never sees half a file. ``processes=2`` writes verification.csv and
    lottery.json in a forked process beside the other three (the same bytes)."""
    if lang not in LANGS:
        raise ValueError(f"no texts in language {lang!r}; have {', '.join(LANGS)}")
    out.mkdir(parents=True, exist_ok=True)
    t = outcome.timings
    stages = list(outcome.stages.values())

    def verification_and_lottery() -> dict[str, float]:
        times: dict[str, float] = {}
        with timed(times, "write verification", None):
            results = [so.eligibility for so in _sorted_stages(stages)]
            write_bytes_atomically(out / "verification.csv", verification_chunks(results, lang))
        with timed(times, "write lottery", None):
            write_bytes_atomically(out / "lottery.json", [outcome.transcript().to_json()])
        return times

    # About half the writing each (measured): verification.csv is the largest file by far.
    beside = forked.start(verification_and_lottery, fork=processes > 1)
    try:
        with timed(t, "write allocation", None):
            columns = _allocation(outcome, stages, lang)
            chunks = csvfast.chunks(ALLOCATION_HEADER, columns)
            write_bytes_atomically(out / "allocation.csv", chunks)
        with timed(t, "write priorities", None):
            columns = _priorities(stages)
            chunks = csvfast.chunks(PRIORITIES_HEADER, columns)
            write_bytes_atomically(out / "priorities.csv", chunks)
        with timed(t, "write classes", None):
            columns = _classes(outcome, stages)
            write_bytes_atomically(out / "classes.csv", csvfast.chunks(CLASSES_HEADER, columns))
    finally:
        t.update(beside())
    report = build_report(outcome)
    report["timings_s"] = {k: round(v, 4) for k, v in t.items()}
    if started is not None:
        report["timings_s"]["total"] = round(time.perf_counter() - started, 4)
    report["peak_memory_mb"] = peak_memory_mb()
    text = json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_bytes_atomically(out / "report.json", [text.encode("utf-8")])


def peak_memory_mb() -> float:
    """The largest resident set of this process or of any child it has waited for (the
    forked writers and hashers)."""
    rss = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )  # KiB on Linux, bytes on macOS
    return round(rss / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def _order(ids: np.ndarray) -> np.ndarray:
    """Rows in order of their ids. A stage's rows come in canonical order already (the season
    sorts its applications by id first), which one pass confirms without a sort."""
    if is_ascending(ids.tolist()):
        return np.arange(len(ids), dtype=np.int64)
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


ALLOCATION_HEADER = (
    "application_id",
    "stage",
    "school_id",
    "status",
    "tier",
    "lottery_number",
    "waitlist_position",
    "explanation",
)
PRIORITIES_HEADER = (
    "application_id",
    "school_id",
    "priority_rank",
    "priority_level",
    "waitlist_position",
)
CLASSES_HEADER = ("school_id", "class_no", "application_id")


def _objects(values: Sequence[object]) -> np.ndarray:
    return np.fromiter(values, dtype=object, count=len(values))


def _counts(values: np.ndarray) -> np.ndarray:
    """Numbers as csv.writer writes ``value or ""``: 0 is an empty field."""
    shown = csvfast.integers(values)
    shown[values == 0] = ""
    return shown


def _allocation(
    outcome: SeasonOutcome, stages: Sequence[StageOutcome], lang: str
) -> list[np.ndarray]:
    parts: list[list[np.ndarray]] = []
    for so in _sorted_stages(stages):
        d = decision_columns(outcome, so, langs=(lang,))
        order = _order(so.eligibility.application_id)
        parts.append(
            [
                _objects(d.application_id)[order],
                np.full(len(order), str(so.stage), dtype=object),
                _objects(d.school_id)[order],
                _objects(d.status)[order],
                _counts(np.asarray(d.tier, dtype=np.int64)[order]),
                csvfast.integers(np.asarray(d.lottery_number, dtype=np.int64)[order]),
                _counts(np.asarray(d.best_waitlist, dtype=np.int64)[order]),
                _objects(d.explanation[lang])[order],
            ]
        )
    return _stacked(parts, len(ALLOCATION_HEADER))


def _priorities(stages: Sequence[StageOutcome]) -> list[np.ndarray]:
    parts: list[list[np.ndarray]] = []
    for so in _sorted_stages(stages):
        market = so.market
        ids = so.eligibility.application_id
        order = _order(ids)
        # every entry of every application, applications in id order, entries in list order
        lengths = np.diff(market.pref_ptr)[order]
        starts = market.pref_ptr[:-1][order]
        offsets = np.cumsum(lengths) - lengths
        entry = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(starts - offsets, lengths)
        names = so.inputs.evidence.schools.school_id
        parts.append(
            [
                np.asarray(ids, dtype=object)[np.repeat(order, lengths)],
                np.asarray(names, dtype=object)[market.pref_school[entry]],
                csvfast.integers(priority_ranks(market)[entry]),
                csvfast.integers(market.pref_priority[entry]),
                _counts(so.allocation.waitlist_position[entry]),
            ]
        )
    return _stacked(parts, len(PRIORITIES_HEADER))


def _classes(outcome: SeasonOutcome, stages: Sequence[StageOutcome]) -> list[np.ndarray]:
    """Rows sorted by (school_id, class_no, application_id). The package is in canonical
    order (sorted by application id), so a child's package row ranks its id."""
    school, class_no, app_id, app_rank = [], [], [], []
    for so in stages:
        names = np.asarray(so.inputs.evidence.schools.school_id, dtype=object)
        school.append(names[so.allocation.school[so.placed]])
        class_no.append(np.asarray(so.classes.class_no, dtype=np.int64))
        app_id.append(np.asarray(so.eligibility.application_id, dtype=object)[so.placed])
        app_rank.append(so.inputs.application_rows[so.placed])
    if not school:
        return [np.empty(0, dtype=object)] * len(CLASSES_HEADER)
    schools = np.concatenate(school)
    distinct = sorted(set(schools.tolist()))
    rank = dict(zip(distinct, range(len(distinct)), strict=True))
    school_rank = np.fromiter(map(rank.__getitem__, schools.tolist()), np.int64, len(schools))
    classes = np.concatenate(class_no)
    order = np.lexsort((np.concatenate(app_rank), classes, school_rank))
    return [schools[order], csvfast.integers(classes[order]), np.concatenate(app_id)[order]]


def _stacked(parts: list[list[np.ndarray]], width: int) -> list[np.ndarray]:
    if not parts:
        return [np.empty(0, dtype=object) for _ in range(width)]
    return [np.concatenate([p[j] for p in parts]) for j in range(width)]


def _sorted_stages(stages: Sequence[StageOutcome]) -> list[StageOutcome]:
    return sorted(stages, key=lambda so: str(so.stage))
