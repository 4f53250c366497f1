from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import transaction
from pytest_django.fixtures import Settings

from sunshine.audit.keys import raw_private_key
from sunshine.audit.services import record_event


@pytest.fixture(autouse=True)
def audit_key(settings: Settings) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    settings.SUNSHINE_AUDIT_SIGNING_KEY = base64.b64encode(raw_private_key(key)).decode()
    settings.SUNSHINE_AUDIT_ORIGIN = "测试县教育局"
    return key


@pytest.fixture
def add_events() -> Callable[[int], None]:
    def add(count: int) -> None:
        with transaction.atomic():
            for i in range(count):
                record_event(
                    actor="cli:test", action="demo.change", object_type="x", object_id=str(i)
                )

    return add
