"""Where a local installation keeps its files (read before Django is set up)."""

from __future__ import annotations

import os
from pathlib import Path


def home_dir() -> Path:
    """SUNSHINE_HOME, or ./sunshine-data: the SQLite database, the secret key, generated data."""
    return Path(os.environ.get("SUNSHINE_HOME", Path.cwd() / "sunshine-data")).resolve()
