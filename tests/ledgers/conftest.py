from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings

from tests.ledgers.builders import People, make_people


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # The real hasher is deliberately slow; these tests are about ledgers, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media_root(settings: Settings, tmp_path: Path) -> Path:
    # Evidence files go to a fresh folder per test, never into the developer's SUNSHINE_HOME.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    # Messages are asserted in the source language; a page test that switched to English
    # must not leave the thread in English for the next test.
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def people(db: None) -> People:
    return make_people()
