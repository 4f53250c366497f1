from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from tests.review.world import World, build_world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # The real hasher is deliberately slow; these tests are about review, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> World:
    return build_world()
