"""A ceremony's transcript verifies with the engine and with the standalone verifier, and the
season run over the same season gives every child the ceremony's number."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sunshine import verify_lottery
from sunshine.admissions.models import Application, Decision, Season
from sunshine.admissions.services import run_season
from sunshine.ceremony.errors import CeremonyError
from sunshine.core.lottery import draw
from sunshine.core.lottery_transcript import Transcript, verify_transcript
from tests.ceremony.conftest import People, announced, drawn, published

pytestmark = pytest.mark.django_db


def test_the_transcript_verifies_with_the_engine(season: Season, people: People) -> None:
    ceremony = published(season, people)
    transcript = Transcript.from_json(ceremony.transcript)
    report = verify_transcript(transcript)
    assert report.ok, report.summary()
    assert report.checked == len(ceremony.pool_ids)
    assert report.seed == ceremony.seed
    assert {w.role for w in transcript.inputs.witnesses} == {"notary", "parent_representative"}


def test_the_transcript_verifies_with_the_standalone_verifier(
    season: Season, people: People, tmp_path: Path
) -> None:
    ceremony = published(season, people)
    script = tmp_path / "verify_lottery.py"
    shutil.copy(verify_lottery.__file__, script)
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(ceremony.transcript, encoding="utf-8")
    bad.write_text(ceremony.transcript.replace("314159", "314158"), encoding="utf-8")

    def check(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-I", str(script), path.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    ok = check(good)
    assert ok.returncode == 0, ok.stderr
    assert ceremony.seed in ok.stdout
    assert check(bad).returncode != 0


def test_a_season_run_with_the_ceremony_uses_its_numbers(season: Season, people: People) -> None:
    ceremony = drawn(season, people)
    run = run_season(season, actor="test", ceremony=ceremony)
    assert run.lottery_seed == ceremony.seed
    transcript = Transcript.from_json(ceremony.transcript)
    positions = draw(transcript.pool, bytes.fromhex(transcript.seed)).positions
    expected = dict(zip(transcript.pool.ids, positions.tolist(), strict=True))
    decisions = list(
        Decision.objects.filter(run=run).values_list("application__code", "lottery_number")
    )
    assert len(decisions) == len(expected)
    assert {code: int(number) for code, number in decisions} == expected


def test_a_season_run_refuses_a_ceremony_whose_pool_changed(season: Season, people: People) -> None:
    ceremony = drawn(season, people)
    Application.objects.filter(season=season).order_by("code").last().delete()  # type: ignore[union-attr]
    with pytest.raises(CeremonyError, match="changed"):
        run_season(season, actor="test", ceremony=ceremony)


def test_a_season_run_refuses_an_undrawn_ceremony(season: Season, people: People) -> None:
    with pytest.raises(CeremonyError, match="not a drawn"):
        run_season(season, actor="test", ceremony=announced(season, people))
