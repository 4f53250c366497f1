"""verify -> zone -> tier -> lottery -> allocate -> classes over one data package.

Every rule lives in :mod:`sunshine.core`; this module only wires the stages together, times
them, and keeps what the output writers and the database need.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from sunshine.core.adjustments import Adjustments
from sunshine.core.allocation import Allocation, allocate
from sunshine.core.classes import Classes, assign_classes, classes_seed
from sunshine.core.eligibility import EligibilityResult, assess
from sunshine.core.lottery import (
    Beacon,
    Draw,
    LotteryError,
    SeedInputs,
    Witness,
    derive_seed,
    draw,
    freeze_pool,
)
from sunshine.core.lottery_transcript import Transcript
from sunshine.core.market import Market
from sunshine.core.policy import Stage
from sunshine.core.zoning import ZoneIndex
from sunshine.datasets import forked
from sunshine.datasets.fastread import read_fast
from sunshine.datasets.package import DataPackage
from sunshine.datasets.reader import read_package
from sunshine.datasets.to_core import StageInputs, in_canonical_order, stage_inputs

# A batch run outside a ceremony still needs a witness input (docs/lottery.md); this one says
# plainly, in every transcript it enters, that the draw was a rehearsal.
REHEARSAL_WITNESS = Witness("bureau", "sunshine season run", "rehearsal")

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class StageOutcome:
    stage: Stage
    inputs: StageInputs
    eligibility: EligibilityResult
    market: Market
    allocation: Allocation
    classes: Classes  # over the placed children, in ascending application order
    placed: np.ndarray  # int64: market rows of the placed children (aligned with classes)


# A StageOutcome without its stage and inputs: what a forked process sends back.
Decided = tuple[EligibilityResult, Market, Allocation, Classes, np.ndarray]


@dataclass(slots=True)
class SeasonOutcome:
    package: DataPackage
    seed_inputs: SeedInputs
    draw: Draw
    lottery_rows: np.ndarray  # int64 [applications]: pool index of each package row
    stages: dict[Stage, StageOutcome] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def transcript(self) -> Transcript:
        return Transcript.from_draw(self.seed_inputs, self.draw)


@contextmanager
def timed(timings: dict[str, float], name: str, progress: Progress | None) -> Iterator[None]:
    if progress:
        progress(name)
    started = time.perf_counter()
    yield
    timings[name] = timings.get(name, 0.0) + time.perf_counter() - started


def run(
    package: DataPackage,
    *,
    program_digest: str,
    witnesses: tuple[Witness, ...] = (REHEARSAL_WITNESS,),
    beacon: Beacon | None = None,
    label: str | None = None,
    processes: int = 1,
    progress: Progress | None = None,
    adjustments: Adjustments | None = None,
) -> SeasonOutcome:
    """Decide every application of ``package``. ``processes=2`` lets the lottery and the
    classes hash on two cores (same result). ``adjustments``: review rejections and approved
    overrides the web path honours (they never touch the lottery's inputs)."""
    t: dict[str, float] = {}
    with timed(t, "prepare", progress):
        package = in_canonical_order(package)
        inputs = stage_inputs(package)
    return decide(
        package,
        inputs,
        program_digest=program_digest,
        witnesses=witnesses,
        beacon=beacon,
        label=label,
        processes=processes,
        progress=progress,
        adjustments=adjustments,
        timings=t,
    )


@dataclass(frozen=True, slots=True)
class Drawn:
    seed_inputs: SeedInputs
    draw: Draw
    rows: np.ndarray  # int64 [applications]: pool index of each package row


def draw_lottery(
    package: DataPackage,
    *,
    program_digest: str,
    witnesses: tuple[Witness, ...] = (REHEARSAL_WITNESS,),
    beacon: Beacon | None = None,
    label: str | None = None,
    processes: int = 1,
) -> Drawn:
    """The season's one lottery over every application of ``package`` (canonical order)."""
    policy = package.policy
    apps = package["applications"]
    ids = apps["application_id"].tolist()
    pool, rows = freeze_pool(ids, apps["sibling_application_ids"].tolist())
    seed_inputs = SeedInputs(
        label=f"{policy.region_code} {policy.school_year}" if label is None else label,
        pool_fingerprint=pool.fingerprint(),
        witnesses=witnesses,
        policy_digest=hashlib.sha256(package.policy_text.encode("utf-8")).hexdigest(),
        program_digest=program_digest,
        beacon=beacon,
    )
    the_draw = draw(pool, derive_seed(seed_inputs), processes=processes)
    return Drawn(seed_inputs, the_draw, rows)


def decide(
    package: DataPackage,
    inputs: dict[Stage, StageInputs],
    *,
    program_digest: str,
    witnesses: tuple[Witness, ...] = (REHEARSAL_WITNESS,),
    beacon: Beacon | None = None,
    label: str | None = None,
    processes: int = 1,
    progress: Progress | None = None,
    adjustments: Adjustments | None = None,
    timings: dict[str, float] | None = None,
    drawn: Drawn | None = None,
) -> SeasonOutcome:
    """:func:`run` after its first step: ``package`` in canonical order (its applications
    sorted by id) and ``inputs`` its :func:`stage_inputs`. Stage timings are added to
    ``timings``. ``drawn``: the lottery already drawn (by :func:`draw_lottery` with the same
    arguments), e.g. beside the preparation."""
    t = {} if timings is None else timings
    if drawn is None:
        with timed(t, "lottery", progress):
            drawn = draw_lottery(
                package,
                program_digest=program_digest,
                witnesses=witnesses,
                beacon=beacon,
                label=label,
                processes=processes,
            )
    elif progress:
        progress("lottery")
    lottery = drawn.draw.market_lottery(drawn.rows)
    outcome = SeasonOutcome(package, drawn.seed_inputs, drawn.draw, drawn.rows, timings=t)
    _run_stages(outcome, inputs, lottery, processes, progress, adjustments)
    return outcome


def _run_stages(
    outcome: SeasonOutcome,
    inputs: dict[Stage, StageInputs],
    lottery: np.ndarray,
    processes: int,
    progress: Progress | None,
    adjustments: Adjustments | None,
) -> None:
    """Each stage's verification, allocation and classes. Once the lottery is drawn the
    stages share nothing, so with two processes the largest stage is decided here and the
    others in a forked process meanwhile (its results come back without their inputs, which
    this process holds already)."""
    if processes < 2 or len(inputs) < 2:
        for stage, si in inputs.items():
            outcome.stages[stage] = _run_stage(
                outcome, si, lottery, processes, progress, adjustments
            )
        return
    largest = max(inputs, key=lambda stage: len(inputs[stage].application_rows))
    others = [stage for stage in inputs if stage != largest]

    def beside() -> tuple[list[Decided], dict[str, float]] | Exception:
        mine = replace(outcome, timings={})  # its stage timings go back to be added up
        try:
            decided = [
                _run_stage(mine, inputs[stage], lottery, 1, None, adjustments) for stage in others
            ]
        except Exception as exc:  # raised again here, as one process would raise it
            return exc
        return [(d.eligibility, d.market, d.allocation, d.classes, d.placed) for d in decided], (
            mine.timings
        )

    later = forked.start(beside)
    try:
        here = _run_stage(outcome, inputs[largest], lottery, processes, progress, adjustments)
    finally:
        result = later()
    if isinstance(result, Exception):
        raise result
    decided, times = result
    for stage, parts in zip(others, decided, strict=True):
        outcome.stages[stage] = StageOutcome(stage, inputs[stage], *parts)
    outcome.stages[largest] = here
    for name, seconds in times.items():  # stage timings add up over stages, as in one process
        outcome.timings[name] = outcome.timings.get(name, 0.0) + seconds
    outcome.stages = {stage: outcome.stages[stage] for stage in inputs}


def read_and_run(
    path: Path,
    *,
    program_digest: str,
    witnesses: tuple[Witness, ...] = (REHEARSAL_WITNESS,),
    beacon: Beacon | None = None,
    processes: int = 1,
    progress: Progress | None = None,
) -> SeasonOutcome:
    """Read a data package (raising PackageErrors with every error) and :func:`run` it; the
    read is timed like the other stages.

    A folder of CSV files is read by :func:`~sunshine.datasets.fastread.read_fast`, straight
    into the engine's coded arrays; then the outcome's ``package`` holds the policy, zones,
    schools and applications but not the registries (the engine has them coded). Anything
    that reader cannot vouch for, errors included, goes to ``read_package``."""
    timings: dict[str, float] = {}
    drawn: list[Drawn | LotteryError] = []

    def lottery(package: DataPackage) -> None:
        # Drawn here while the registries are read in the other process (it needs only the
        # applications' ids and sibling links); an error is raised after the read, so that
        # the full reader's errors come first if the package has any.
        with timed(timings, "lottery", None):
            try:
                drawn.append(
                    draw_lottery(
                        package, program_digest=program_digest, witnesses=witnesses, beacon=beacon
                    )
                )
            except LotteryError as exc:
                drawn.append(exc)

    with timed(timings, "read", progress):
        fast = read_fast(path, processes=processes, then=lottery)
    timings["read"] -= timings.get("lottery", 0.0)
    inputs = None
    if fast is not None:
        with timed(timings, "prepare", progress):
            inputs = fast.stage_inputs()
    if fast is None or inputs is None:  # the full reader, which names every problem
        with timed(timings, "read", progress):
            package = in_canonical_order(read_package(path))
        with timed(timings, "prepare", progress):
            inputs = stage_inputs(package)
        drawn.clear()
    else:
        package = fast.package
    done = drawn[0] if drawn else None
    if isinstance(done, LotteryError):
        raise done
    return decide(
        package,
        inputs,
        program_digest=program_digest,
        witnesses=witnesses,
        beacon=beacon,
        processes=processes,
        progress=progress,
        timings=timings,
        drawn=done,
    )


def _run_stage(
    outcome: SeasonOutcome,
    si: StageInputs,
    lottery: np.ndarray,
    processes: int,
    progress: Progress | None,
    adjustments: Adjustments | None = None,
) -> StageOutcome:
    pkg, t, stage = outcome.package, outcome.timings, si.stage
    policy = pkg.policy
    ev = si.evidence
    with timed(t, "zone", progress):
        index = ZoneIndex.build(ev.zones)
    with timed(t, "verify+tier", progress):
        result = assess(policy, stage, ev, index=index, adjustments=adjustments)
    with timed(t, "allocate", progress):
        market = result.market(lottery[si.application_rows])
        applicant_lonlat = np.column_stack(
            [ev.addresses.lon[ev.applicants.claimed_address],
             ev.addresses.lat[ev.applicants.claimed_address]]
        )  # fmt: skip
        alloc = allocate(
            market,
            policy.mechanism,
            overflow=policy.overflow,
            eligible=result.eligible,
            school_lonlat=np.column_stack([ev.schools.lon, ev.schools.lat]),
            applicant_lonlat=applicant_lonlat,
        )
    with timed(t, "classes", progress):
        placed, classes = _classes(outcome, si, alloc, processes)
    return StageOutcome(stage, si, result, market, alloc, classes, placed)


def _classes(
    outcome: SeasonOutcome, si: StageInputs, alloc: Allocation, processes: int
) -> tuple[np.ndarray, Classes]:
    pkg = outcome.package
    apps, schools = pkg["applications"], pkg["schools"]
    placed = np.flatnonzero(alloc.school >= 0)
    rows = si.application_rows[placed]
    # A migrant child (随迁子女) is one without a 户籍 in the county's registry: a person code
    # (one space for every table) among no household member's.
    ev = si.evidence
    child = ev.applicants.child[placed]
    local = np.zeros(
        max(int(child.max(initial=-1)), int(ev.households.person.max(initial=-1))) + 1, bool
    )
    local[ev.households.person] = True
    migrant = ~local[child]
    sizes = schools["class_size"][si.school_rows]
    default = pkg.policy.stage(si.stage).class_size
    classes = assign_classes(
        public_ids=apps["application_id"][rows].tolist(),
        school=alloc.school[placed],
        gender=apps["gender"][rows].tolist(),
        special_needs=apps["special_needs"][rows].tolist(),
        migrant=migrant,
        class_size=np.where(sizes > 0, sizes, default).astype(np.int64),
        seed=classes_seed(outcome.draw.seed, si.stage),
        processes=processes,
    )
    return placed, classes
