"""What program produced a result: the digest published with every lottery transcript."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sunshine


def program_sha256() -> str:
    """docs/lottery.md §9: the digest of every .py file of the installed package."""
    root = Path(sunshine.__file__).resolve().parent
    lines = ["sunshine/program/v1"]
    for path in sorted(root.rglob("*.py"), key=lambda p: p.relative_to(root).as_posix()):
        lines.append(path.relative_to(root).as_posix())
        lines.append(hashlib.sha256(path.read_bytes()).hexdigest())
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()
