"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when
SUNSHINE_TEST_DATABASE_URL is set (see sunshine.config.settings)."""

from __future__ import annotations

import os

import pytest
from django.db import connection

os.environ.setdefault("SUNSHINE_DEBUG", "1")


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def requires_postgres(on_postgres: bool) -> None:
    if not on_postgres:
        pytest.skip("needs PostgreSQL (set SUNSHINE_TEST_DATABASE_URL)")
