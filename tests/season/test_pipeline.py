"""The batch season over a synthetic county: every file, and the invariants across stages."""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sunshine.core.lottery_transcript import Transcript, verify_transcript
from sunshine.datasets.package import DataPackage, Table
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate
from sunshine.season import read_and_run, run, write_outputs
from sunshine.season.outputs import FILES

pytestmark = pytest.mark.no_postgres_rerun
PROGRAM = "ab" * 32


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> DataPackage:
    folder = tmp_path_factory.mktemp("county")
    generate(folder, children=1500, seed=11, progress=False)
    return read_package(folder)


def _outputs(pkg: DataPackage, out: Path) -> dict[str, bytes]:
    write_outputs(run(pkg, program_digest=PROGRAM), out)
    return {name: (out / name).read_bytes() for name in FILES if name != "report.json"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _shuffled(pkg: DataPackage, seed: int) -> DataPackage:
    rng = np.random.default_rng(seed)
    tables = {}
    for name, table in pkg.tables.items():
        order = rng.permutation(len(table))
        tables[name] = Table(
            table.spec,
            {c: v[order] for c, v in table.columns.items()},
            {c: [v[i] for i in order.tolist()] for c, v in table.extras.items()},
        )
    return replace(pkg, tables=tables)


def test_every_file_is_written_and_the_transcript_verifies(
    county: DataPackage, tmp_path: Path
) -> None:
    outcome = run(county, program_digest=PROGRAM)
    write_outputs(outcome, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    transcript = Transcript.from_json((tmp_path / "lottery.json").read_bytes())
    assert verify_transcript(transcript).ok
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert set(report["stages"]) == {"primary", "junior"}
    assert report["applications"] == len(county["applications"])
    assert {"read", "lottery", "allocate", "classes"} - set(report["timings_s"]) == {"read"}
    assert report["peak_memory_mb"] > 0


def test_no_school_exceeds_its_plan_and_classes_match_admissions(
    county: DataPackage, tmp_path: Path
) -> None:
    write_outputs(run(county, program_digest=PROGRAM), tmp_path)
    plan = dict(zip(county["schools"]["school_id"], county["schools"]["plan_seats"], strict=True))
    allocation = _rows(tmp_path / "allocation.csv")
    placed = Counter(r["school_id"] for r in allocation if r["school_id"])
    assert placed
    assert all(placed[s] <= plan[s] for s in placed)
    assert len(allocation) == len(county["applications"])
    classes = _rows(tmp_path / "classes.csv")
    assert Counter(r["school_id"] for r in classes) == placed
    statuses = Counter(r["status"] for r in allocation)
    assert statuses["admitted"] > 0
    assert statuses["private_admitted"] > 0


def test_every_check_is_reported_for_every_application(county: DataPackage, tmp_path: Path) -> None:
    write_outputs(run(county, program_digest=PROGRAM), tmp_path, lang="en")
    rows = _rows(tmp_path / "verification.csv")
    per_app = Counter(r["application_id"] for r in rows)
    assert len(per_app) == len(county["applications"])
    assert len(set(per_app.values())) == 1
    assert {r["result"] for r in rows} <= {"pass", "fail", "missing"}
    assert all(r["reason"].isascii() for r in rows)  # English asked for, English written


def test_outputs_do_not_depend_on_the_order_of_any_table(
    county: DataPackage, tmp_path: Path
) -> None:
    first = _outputs(county, tmp_path / "a")
    second = _outputs(_shuffled(county, 5), tmp_path / "b")
    for name in first:
        assert first[name] == second[name], name


def test_a_different_witness_input_gives_a_different_draw(county: DataPackage) -> None:
    from sunshine.core.lottery import Witness

    a = run(county, program_digest=PROGRAM)
    b = run(county, program_digest=PROGRAM, witnesses=(Witness("notary", "张", "271828"),))
    assert a.draw.seed != b.draw.seed
    assert not np.array_equal(a.draw.positions, b.draw.positions)


def test_an_unknown_language_is_refused(county: DataPackage, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="language"):
        write_outputs(run(county, program_digest=PROGRAM), tmp_path, lang="fr")


@pytest.mark.parametrize("processes", [1, 2])
def test_the_fast_read_decides_as_the_full_reader(tmp_path: Path, processes: int) -> None:
    """read_and_run reads straight into coded arrays (and with 2 processes forks for the
    registries, the classes and two files): the same bytes as run() over
    read_package, report aside."""
    folder = tmp_path / "county"
    generate(folder, children=800, seed=29, progress=False)
    fast = read_and_run(folder, program_digest=PROGRAM, processes=processes)
    assert set(fast.package.tables) == {"schools", "applications"}  # registries stay coded
    write_outputs(fast, tmp_path / "fast", processes=processes)
    full = _outputs(read_package(folder), tmp_path / "full")
    assert {name: (tmp_path / "fast" / name).read_bytes() for name in full} == full


@pytest.mark.parametrize("processes", [1, 2])
def test_a_lottery_error_is_raised_whichever_process_drew(tmp_path: Path, processes: int) -> None:
    from sunshine.core.lottery import LotteryError

    folder = tmp_path / "county"
    generate(folder, children=300, seed=31, progress=False)
    apps = folder / "applications.csv"
    text = apps.read_text(encoding="utf-8-sig")
    first_id = text.splitlines()[1].split(",")[0]
    apps.write_text(text.replace(first_id, first_id + "\x07", 1), encoding="utf-8")
    with pytest.raises(LotteryError, match="control character"):
        read_and_run(folder, program_digest=PROGRAM, processes=processes)


def test_an_error_in_the_stage_decided_beside_is_raised_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two processes the smaller stage (junior) is decided in a forked process; a failure
    there comes back as the same exception, not as a dead worker."""
    from sunshine.core.policy import Stage
    from sunshine.season import pipeline

    folder = tmp_path / "county"
    generate(folder, children=300, seed=37, progress=False)
    real = pipeline.assess

    def junior_fails(policy, stage, *args, **kwargs):  # type: ignore[no-untyped-def]
        if stage is Stage.JUNIOR:
            raise ValueError("the junior stage failed")
        return real(policy, stage, *args, **kwargs)

    monkeypatch.setattr(pipeline, "assess", junior_fails)
    with pytest.raises(ValueError, match="the junior stage failed"):
        read_and_run(folder, program_digest=PROGRAM, processes=2)
