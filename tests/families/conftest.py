from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from sunshine.accounts import sms
from sunshine.accounts.models import User
from tests.families.builders import Family, make_family, make_parent, open_window
from tests.portal.factories import County, build_county


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def outbox(settings: Settings) -> Iterator[list[sms.Message]]:
    settings.SUNSHINE_SMS_BACKEND = "sunshine.accounts.sms.OutboxBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def county(db: None) -> County:
    county = build_county()
    open_window(county.season)
    return county


@pytest.fixture
def family(county: County) -> Family:
    return make_family(county)


@pytest.fixture
def parent(db: None) -> User:
    return make_parent("parent-1")
