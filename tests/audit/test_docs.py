"""The outsider's procedure in docs/audit.md works on a real receipt, and fails on a forged one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sunshine.audit.checkpoints import publish_checkpoint, published_checkpoints, receipt_for

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit.md"


def _script() -> str:
    section = DOC.read_text(encoding="utf-8").split("## 6.", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None
    return match.group(1)


def _run_procedure(folder: Path, receipt: dict[str, object]) -> subprocess.CompletedProcess[str]:
    (folder / "checkpoints.json").write_text(json.dumps(published_checkpoints()), "utf-8")
    (folder / "receipt.json").write_text(json.dumps(receipt, ensure_ascii=False), "utf-8")
    return subprocess.run(
        [sys.executable, "-I", "-c", _script()],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_documented_procedure_verifies_a_receipt(
    tmp_path: Path, add_events: Callable[[int], None]
) -> None:
    add_events(7)
    publish_checkpoint(actor="cli:test")
    result = _run_procedure(tmp_path, receipt_for(4))
    assert result.returncode == 0, result.stderr
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed; the inclusion part was checked")
    command = DOC.read_text(encoding="utf-8").split("openssl pkeyutl", 1)[1].split("\n", 1)[0]
    signed = subprocess.run(
        [openssl, "pkeyutl", *command.split()], cwd=tmp_path, capture_output=True, check=False
    )
    assert signed.returncode == 0, signed.stderr
    (tmp_path / "note.txt").write_bytes((tmp_path / "note.txt").read_bytes().replace(b"7", b"8"))
    forged = subprocess.run(
        [openssl, "pkeyutl", *command.split()], cwd=tmp_path, capture_output=True, check=False
    )
    assert forged.returncode != 0


def test_the_documented_procedure_refuses_a_forged_event(
    tmp_path: Path, add_events: Callable[[int], None]
) -> None:
    add_events(7)
    publish_checkpoint(actor="cli:test")
    receipt = receipt_for(4)
    receipt["event"] = str(receipt["event"]).replace("demo.change", "demo.forged")
    result = _run_procedure(tmp_path, receipt)
    assert result.returncode != 0
    assert "proof does not reach the signed root" in result.stderr
