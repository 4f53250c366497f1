from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from sunshine.accounts import sms
from tests.portal.factories import County, build_county


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # The real hasher is deliberately slow; these tests are about pages, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> County:
    return build_county()


@pytest.fixture
def outbox(settings: Settings) -> Iterator[list[sms.Message]]:
    """SMS messages sent during the test (the test backend keeps them)."""
    settings.SUNSHINE_SMS_BACKEND = "sunshine.accounts.sms.OutboxBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
