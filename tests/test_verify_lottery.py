"""The standalone verifier (one file, standard library only) against the engine's transcripts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from sunshine import verify_lottery
from sunshine.core.lottery import Beacon, Witness
from tests.core.lottery_strategies import applications, make_transcript

pytestmark = pytest.mark.no_postgres_rerun
VERIFIER = Path(verify_lottery.__file__)
Runner = Callable[[Any], subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Runner:
    """Run a copy of the verifier alone in an empty directory, in isolated mode (-I): no
    site-packages, no PYTHONPATH, no current directory on the path — as on a notary's laptop."""
    script = tmp_path / "verify_lottery.py"
    shutil.copy(VERIFIER, script)

    def go(transcript: dict[str, Any] | bytes) -> subprocess.CompletedProcess[str]:
        data = transcript if isinstance(transcript, bytes) else json.dumps(transcript).encode()
        (tmp_path / "t.json").write_bytes(data)
        return subprocess.run(
            [sys.executable, "-I", str(script), "t.json"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    return go


def _transcript() -> dict[str, Any]:
    t = make_transcript(
        ["王-001", "王-002", "李 003", "b"],
        [("王-002",), (), (), ()],
        (Witness("notary", "张公证", '31"41\\59'), Witness("discipline_inspector", "赵", "x")),
        Beacon("drand quicknet", 7, "00ff"),
    )
    value: dict[str, Any] = json.loads(t.to_json())
    return value


def test_the_verifier_imports_only_the_standard_library() -> None:
    source = VERIFIER.read_text(encoding="utf-8")
    imports = {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }
    assert imports <= {"__future__", "hashlib", "json", "re", "sys", "typing"}


def test_it_verifies_an_engine_transcript(run: Runner) -> None:
    transcript = _transcript()
    result = run(transcript)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"verified: 4 numbers match (seed {transcript['seed']})\n"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda t: t["numbers"].__setitem__(1, "0123456789abcdef"), "mismatch: number of 李 003"),
        (lambda t: t["witnesses"][1].__setitem__("value", "3"), "mismatch: seed"),
        (lambda t: t["pool"]["groups"].clear(), "mismatch: pool_fingerprint"),
        (
            lambda t: t["pool"]["ids"].remove("b") or t["numbers"].pop(),
            "mismatch: pool_fingerprint",
        ),
        (lambda t: t.__setitem__("label", "another draw"), "mismatch: seed"),
        (lambda t: t["beacon"].__setitem__("round", 8), "mismatch: seed"),
        (lambda t: t["numbers"].pop(), "mismatch: numbers: 3 numbers for 4"),
    ],
)
def test_it_catches_tampering(run: Runner, tamper: Callable[[Any], None], message: str) -> None:
    transcript = _transcript()
    tamper(transcript)
    result = run(transcript)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "data", [b"{", b"[]", b'{"spec": "sunshine/lottery/v2"}', b'{"a": 1, "a": 1}']
)
def test_it_refuses_malformed_input_in_one_line(run: Runner, data: bytes) -> None:
    result = run(data)
    assert result.returncode == 2
    assert result.stderr.startswith("error: malformed transcript")
    assert len(result.stderr.splitlines()) == 1


@settings(max_examples=40, deadline=None)
@given(applications())
def test_both_implementations_agree(apps: tuple[list[str], list[tuple[str, ...]]]) -> None:
    transcript = json.loads(make_transcript(*apps).to_json())
    assert verify_lottery.verify(transcript) == (
        True,
        f"verified: {len(apps[0])} numbers match (seed {transcript['seed']})",
    )
    # and each number the verifier recomputes on its own is the engine's
    seed = bytes.fromhex(transcript["seed"])
    key_of = {m: g[0] for g in transcript["pool"]["groups"] for m in g}
    for public_id, number in zip(transcript["pool"]["ids"], transcript["numbers"], strict=True):
        assert verify_lottery.number_of(seed, key_of.get(public_id, public_id)) == number
