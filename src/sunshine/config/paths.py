"""Where a local installation keeps its files (read before Django is set up)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def home_dir() -> Path:
    """SUNSHINE_HOME, or ./sunshine-data: the SQLite database, the secret key, generated data."""
    return Path(os.environ.get("SUNSHINE_HOME", Path.cwd() / "sunshine-data")).resolve()


def ensure_secret_key(home: Path) -> None:
    """Give a local installation its own random secret key (read by the settings), once."""
    key_file = home / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
