from __future__ import annotations

import hashlib
import json

import pytest
from django.db import transaction

from sunshine.audit.models import AuditEvent
from sunshine.audit.services import personal_ref, record_event

pytestmark = pytest.mark.django_db


def test_events_are_numbered_in_order_and_hashed_as_rfc6962_leaves() -> None:
    with transaction.atomic():
        first = record_event(actor="cli:test", action="demo.a", object_type="x", object_id="1")
        second = record_event(
            actor="cli:test", action="demo.b", object_type="x", object_id="2", after={"k": 1}
        )
    assert (first.seq, second.seq) == (0, 1)
    body = second.canonical.encode("utf-8")
    assert second.leaf_hash == hashlib.sha256(b"\x00" + body).hexdigest()
    parsed = json.loads(body)
    assert parsed["after"] == hashlib.sha256(b'{"k":1}').hexdigest()
    assert parsed["before"] is None


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        record_event(actor="cli:test", action="demo", object_type="x", object_id="1")
    assert not AuditEvent.objects.exists()


def test_a_rolled_back_change_leaves_no_event_and_no_gap() -> None:
    def failing_service() -> None:
        with transaction.atomic():
            record_event(actor="cli:test", action="demo", object_type="x", object_id="1")
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        failing_service()
    with transaction.atomic():
        event = record_event(actor="cli:test", action="demo", object_type="x", object_id="2")
    assert event.seq == 0


def test_personal_data_is_referenced_by_salted_digest_only() -> None:
    ref = personal_ref("110101201901011234")
    assert ref.startswith("sha256:")
    assert "110101" not in ref
