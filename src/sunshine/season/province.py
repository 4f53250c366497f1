"""A season over a province: one process per county (ARCHITECTURE.md, "Scaling out").

Counties decide their admissions independently, so a province folder (one package folder per
county, as ``sunshine datasets synth --counties`` writes) is run county by county, ``jobs``
counties at a time, each in a fresh worker process that exits when its county is written. Peak
memory is then bounded by the ``jobs`` largest counties, not by the province, and a failing
county stops nothing but itself. Largest counties go first, so that the small ones fill in at
the end.
"""

from __future__ import annotations

import json
import os
import pickle
import select
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sunshine.core.lottery import Beacon, LotteryError, Witness
from sunshine.datasets.errors import PackageErrors
from sunshine.datasets.forked import can_fork
from sunshine.datasets.schema import APPLICATIONS, POLICY_FILE
from sunshine.datasets.to_core import ToCoreError
from sunshine.season.outputs import peak_memory_mb, write_outputs
from sunshine.season.pipeline import read_and_run

PROVINCE_REPORT = "province.json"


@dataclass(frozen=True, slots=True)
class CountyRun:
    """What became of one county: decided (``errors`` empty) or refused."""

    county: str  # the folder name, e.g. its region code
    applications: int = 0
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SeasonInputs:
    """What every county's lottery takes besides its own package."""

    program_digest: str
    witnesses: tuple[Witness, ...]
    beacon: Beacon | None = None
    lang: str = "zh"
    processes: int = 1  # per county


@dataclass(slots=True)
class ProvinceRun:
    counties: list[CountyRun] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1

    @property
    def failed(self) -> list[str]:
        return sorted(c.county for c in self.counties if c.errors)

    @property
    def applications(self) -> int:
        return sum(c.applications for c in self.counties if not c.errors)

    def to_json_value(self) -> dict[str, object]:
        peaks = [c.peak_memory_mb for c in self.counties if not c.errors]
        return {
            "jobs": self.jobs,
            "seconds": round(self.seconds, 3),
            "counties": [asdict(c) for c in sorted(self.counties, key=lambda c: c.county)],
            "applications": self.applications,
            "failed": self.failed,
            "largest_county_peak_memory_mb": max(peaks, default=0.0),
        }


def county_folders(path: Path) -> list[Path] | None:
    """The county packages in a province folder, largest first (by the size of their
    applications file); None when ``path`` is a single package or not a folder."""
    path = Path(path)
    if not path.is_dir() or (path / POLICY_FILE).exists():
        return None
    found = [p for p in path.iterdir() if p.is_dir() and (p / POLICY_FILE).exists()]
    if not found:
        return None
    return sorted(found, key=lambda p: (-_size(p / APPLICATIONS.filename), p.name))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def run_province(
    counties: list[Path],
    out: Path,
    inputs: SeasonInputs,
    *,
    jobs: int,
    on_done: Callable[[CountyRun], None] | None = None,
) -> ProvinceRun:
    """Run every county into ``out/<county>/`` and write ``out/province.json``."""
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    report = ProvinceRun(jobs=jobs)
    for result in _results(counties, out, inputs, jobs):
        report.counties.append(result)
        if on_done:
            on_done(result)
    report.seconds = time.perf_counter() - started
    text = json.dumps(report.to_json_value(), ensure_ascii=False, indent=1) + "\n"
    (out / PROVINCE_REPORT).write_text(text, encoding="utf-8")
    return report


def _results(
    counties: list[Path], out: Path, inputs: SeasonInputs, jobs: int
) -> Iterator[CountyRun]:
    """Each county in a child forked from this (small, single-threaded) process, ``jobs`` at
    a time; results in the order the counties finish. The children are this process's own,
    so ``/usr/bin/time -v`` reports the largest of them."""
    if not can_fork():
        for folder in counties:
            yield run_county(folder, out / folder.name, inputs)
        return
    queue = list(counties)
    running: dict[int, tuple[str, int]] = {}  # pipe -> (county, pid)
    received: dict[int, bytearray] = {}
    while queue or running:
        while queue and len(running) < jobs:
            folder = queue.pop(0)
            fd, pid = _fork_county(folder, out / folder.name, inputs)
            running[fd], received[fd] = (folder.name, pid), bytearray()
        ready, _, _ = select.select(list(running), [], [])
        for fd in ready:
            chunk = os.read(fd, 1 << 20)
            if chunk:
                received[fd] += chunk
                continue
            os.close(fd)
            county, pid = running.pop(fd)
            data = bytes(received.pop(fd))
            _, status = os.waitpid(pid, 0)
            if status == 0 and data:
                yield pickle.loads(data)
            else:
                yield CountyRun(county, errors=("the county's process died",))


def _fork_county(folder: Path, out: Path, inputs: SeasonInputs) -> tuple[int, int]:
    """Start one county in a forked child; return the pipe its result comes through, and its
    process id. The child exits when its county is written, giving all its memory back."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_fd)
            try:
                result = run_county(folder, out, inputs)
            except Exception as exc:  # a bug, not a bad package: still this county's alone
                result = CountyRun(folder.name, errors=(f"{type(exc).__name__}: {exc}",))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(pickle.dumps(result))
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    return read_fd, pid


def run_county(folder: Path, out: Path, inputs: SeasonInputs) -> CountyRun:
    """Read, decide and write one county (in a worker process, or in this one)."""

    started = time.perf_counter()
    try:
        outcome = read_and_run(
            folder,
            program_digest=inputs.program_digest,
            witnesses=inputs.witnesses,
            beacon=inputs.beacon,
            processes=inputs.processes,
        )
        write_outputs(outcome, out, lang=inputs.lang, started=started, processes=inputs.processes)
    except PackageErrors as e:
        return CountyRun(folder.name, errors=tuple(str(error) for error in e.errors))
    except (ToCoreError, LotteryError) as e:
        return CountyRun(folder.name, errors=(str(e),))
    return CountyRun(
        folder.name,
        applications=len(outcome.package["applications"]),
        seconds=round(time.perf_counter() - started, 3),
        peak_memory_mb=peak_memory_mb(),
    )
