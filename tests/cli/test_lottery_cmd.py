from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sunshine import verify_lottery
from sunshine.cli import main
from sunshine.provenance import program_sha256

pytestmark = pytest.mark.no_postgres_rerun
POLICY_DIGEST = "ba4459ca47bff03dc292cf6b637c9674578f89b0a627a4c6b270db18516afa82"


def _draw(tmp_path: Path, *extra: str) -> tuple[Result, Path]:
    pool = tmp_path / "applications.csv"
    pool.write_text(
        "application_id,child_name,sibling_application_ids\n"
        "A-3,王一,\nA-1,王二,A-3\nA-2,李三,\nA-4,赵四,\n",
        encoding="utf-8",
    )
    out = tmp_path / "lottery.json"
    args = ["lottery", "draw", "--pool", str(pool), "--out", str(out)]
    args += ["--witness", "notary:张公证=314159", "--witness", "parent_representative:李=2"]
    result = CliRunner().invoke(main, [*args, "--policy-digest", POLICY_DIGEST, *extra])
    return result, out


def test_draw_then_verify(tmp_path: Path) -> None:
    drawn, out = _draw(
        tmp_path, "--beacon-source", "drand", "--beacon-round", "5", "--beacon-value", "ABCD"
    )
    assert drawn.exit_code == 0, drawn.output
    assert "drew 4 applications in 3 groups" in drawn.stdout
    transcript = json.loads(out.read_bytes())
    assert transcript["pool"] == {"ids": ["A-1", "A-2", "A-3", "A-4"], "groups": [["A-1", "A-3"]]}
    assert transcript["program_digest"] == program_sha256()
    assert transcript["beacon"] == {"source": "drand", "round": 5, "value": "abcd"}
    verified = CliRunner().invoke(main, ["lottery", "verify", str(out)])
    assert verified.exit_code == 0, verified.output
    assert verified.stdout == f"verified: 4 numbers match (seed {transcript['seed']})\n"
    # the standalone verifier agrees on the very same file
    alone = subprocess.run(
        [sys.executable, "-I", verify_lottery.__file__, str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert alone.returncode == 0
    assert alone.stdout == verified.stdout


def test_a_tampered_transcript_fails_with_one_line(tmp_path: Path) -> None:
    _, out = _draw(tmp_path)
    transcript = json.loads(out.read_bytes())
    transcript["numbers"][3] = "ffffffffffffffff"
    out.write_text(json.dumps(transcript, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["lottery", "verify", str(out)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: mismatch: number of A-4: recomputed ")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--witness", "notary-without-name"], "write ROLE:NAME=VALUE"),
        (["--beacon-round", "3"], "a beacon needs"),
        (["--policy", "also-a-file.toml"], "exactly one of --policy"),
    ],
)
def test_draw_refuses_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    result, out = _draw(tmp_path, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_verify_refuses_a_missing_or_malformed_file(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["lottery", "verify", str(tmp_path / "none.json")])
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    malformed = CliRunner().invoke(main, ["lottery", "verify", str(bad)])
    assert malformed.exit_code == 2
    assert "a transcript is an object with exactly the keys" in malformed.stderr
    assert len(malformed.stderr.splitlines()) == 1
