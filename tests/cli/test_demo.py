"""`sunshine demo` from nothing, as a new user runs it (in a subprocess, on its own SQLite)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.no_postgres_rerun, pytest.mark.slow]


def _demo(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SUNSHINE_", "DJANGO_SETTINGS_MODULE"))
    }
    env["SUNSHINE_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "sunshine.cli", "demo", "--no-serve", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def _count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_demo_builds_a_county_twice_and_reset_starts_over(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = _demo(home, "--children", "600", "--seed", "7")
    assert first.returncode == 0, first.stderr
    assert "demo-parent" in first.stdout
    assert "sunshine-demo" in first.stdout
    db = home / "sunshine.sqlite3"
    applications = _count(db, "select count(*) from admissions_application")
    assert applications >= 600
    decided = _count(db, "select count(*) from admissions_decision")
    assert decided == applications
    admitted = _count(db, "select count(*) from admissions_admission")
    assert 0 < admitted <= applications
    assert _count(db, "select count(*) from audit_auditevent") >= 3
    assert (home / "secret-key").is_file()

    # Every public page has data: a witnessed, published ceremony, lists, a checkpoint.
    assert _count(db, "select count(*) from ceremony_ceremony where state = 'published'") == 1
    assert _count(db, "select count(*) from admissions_publishedversion") > 0
    assert _count(db, "select count(*) from audit_checkpoint") == 1

    # Running it again reuses the prepared county, and a different one needs --reset.
    second = _demo(home, "--children", "600", "--seed", "7")
    assert second.returncode == 0, second.stderr
    assert "already prepared" in second.stdout
    assert _count(db, "select count(*) from admissions_season") == 1
    assert _count(db, "select count(*) from admissions_application") == applications
    other = _demo(home, "--children", "700", "--seed", "7")
    assert other.returncode == 2
    assert "--reset" in other.stderr

    third = _demo(home, "--children", "300", "--seed", "8", "--reset")
    assert third.returncode == 0, third.stderr
    assert _count(db, "select count(*) from admissions_application") < applications
    assert _count(db, "select min(seq) from audit_auditevent") == 0  # a fresh log


def test_demo_rejects_a_bad_option_with_one_line(tmp_path: Path) -> None:
    result = _demo(tmp_path, "--children", "5")
    assert result.returncode == 2
    assert "--children" in result.stderr
