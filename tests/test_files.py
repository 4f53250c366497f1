from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sunshine.files import replaced_atomically, write_bytes_atomically

pytestmark = pytest.mark.no_postgres_rerun


def test_write_replaces_the_file_and_leaves_nothing_on_failure(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_bytes(b"old")
    write_bytes_atomically(path, iter([b"a,", b"b\r\n"]))
    assert path.read_bytes() == b"a,b\r\n"

    def failing() -> list[bytes]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_bytes_atomically(path, (chunk for chunk in failing()))
    assert path.read_bytes() == b"a,b\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_the_mode_is_private_unless_asked_otherwise(tmp_path: Path) -> None:
    write_bytes_atomically(tmp_path / "private", [b"x"])
    with replaced_atomically(tmp_path / "shared", mode=0o644) as tmp:
        tmp.write_text("y")
    assert stat.S_IMODE((tmp_path / "private").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "shared").stat().st_mode) == 0o644
