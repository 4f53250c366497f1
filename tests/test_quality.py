"""The house rules, checked on every test run: lint, format, types, layering, migrations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.no_postgres_rerun


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SUNSHINE_DEBUG": "1"}
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, check=False)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; install the [test] extra")
    return found


def test_ruff_lint() -> None:
    result = _run(_tool("ruff"), "check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run(_tool("ruff"), "format", "--check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = _run(_tool("mypy"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layering() -> None:
    result = _run(_tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


def test_migrations_match_models() -> None:
    result = _run(
        sys.executable,
        "-m",
        "django",
        "makemigrations",
        "--check",
        "--dry-run",
        "--settings=sunshine.config.settings",
    )
    assert result.returncode == 0, result.stdout + result.stderr
