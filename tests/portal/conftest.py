from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings
from tests.portal.factories import County, build_county


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # The real hasher is deliberately slow; these tests are about pages, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> County:
    return build_county()
