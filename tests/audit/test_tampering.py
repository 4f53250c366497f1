"""`sunshine audit verify` against direct database tampering that bypasses the services
(the signing key comes from tests/audit/conftest.py)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result
from django.db import connection, transaction

from sunshine.audit.checkpoints import publish_checkpoint
from sunshine.audit.models import AuditEvent, Checkpoint
from sunshine.audit.services import record_event
from sunshine.cli import main
from sunshine.core.canonical import canonical_json
from sunshine.core.merkle import leaf_hash

pytestmark = pytest.mark.django_db


def _add(count: int) -> None:
    with transaction.atomic():
        for i in range(count):
            record_event(actor="cli:test", action="demo.change", object_type="x", object_id=str(i))


@pytest.fixture
def checkpointed_log() -> None:
    """Events #0..#9, a checkpoint of size 10 (its own event is #10), then #11..#12 unchecked."""
    _add(10)
    publish_checkpoint(actor="cli:test")
    _add(2)


def _verify() -> Result:
    return CliRunner().invoke(main, ["audit", "verify"])


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _forged(seq: int, object_id: str) -> str:
    body = {
        "seq": seq,
        "time": "2026-05-01T08:00:00Z",
        "actor": "user:99",
        "action": "demo.change",
        "object": {"type": "x", "id": object_id},
        "before": None,
        "after": None,
        "detail": {},
    }
    return canonical_json(body).decode("utf-8")


def _insert_row(seq: int, canonical: str) -> None:
    _sql(
        "INSERT INTO audit_auditevent (seq, created_at, actor, action, object_type, object_id,"
        " canonical, leaf_hash) VALUES (%s, '2026-05-01 08:00:00', 'user:99', 'demo.change',"
        " 'x', 'late', %s, %s)",
        [seq, canonical, leaf_hash(canonical.encode()).hex()],
    )


def _shift_up_from(seq: int) -> None:
    # One row at a time from the top, so the unique seq constraint never trips.
    top = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True)
    for s in [s for s in top if s >= seq]:
        _sql("UPDATE audit_auditevent SET seq = seq + 1 WHERE seq = %s", [s])
    _sql("UPDATE audit_audithead SET next_seq = next_seq + 1")


def test_an_untouched_log_verifies(checkpointed_log: None) -> None:
    result = _verify()
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "audit log ok: 13 events, 1 checkpoints; 3 newer events not yet checkpointed\n"
    )


def test_an_edited_event_is_named(checkpointed_log: None) -> None:
    _sql(
        "UPDATE audit_auditevent SET canonical = REPLACE(canonical, 'demo.change', 'demo.forged')"
        " WHERE seq = 4"
    )
    result = _verify()
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "event #4: its canonical JSON does not hash to its stored leaf hash"
    assert "checkpoint 10: events #0..#9 no longer give its signed root" in lines[1]


def test_an_edit_with_a_recomputed_hash_breaks_the_checkpoint_root(
    checkpointed_log: None,
) -> None:
    forged = _forged(4, "4")
    _sql(
        "UPDATE audit_auditevent SET canonical = %s, leaf_hash = %s WHERE seq = 4",
        [forged, leaf_hash(forged.encode()).hex()],
    )
    result = _verify()
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(
        "checkpoint 10: events #0..#9 no longer give its signed root"
    )


def test_a_deleted_event_is_named(checkpointed_log: None) -> None:
    _sql("DELETE FROM audit_auditevent WHERE seq = 6")
    result = _verify()
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "event #6 is missing (the next stored event is #7)"
    assert any(line.startswith("checkpoint 10:") for line in lines)


def test_a_deletion_with_renumbering_is_named(checkpointed_log: None) -> None:
    _sql("DELETE FROM audit_auditevent WHERE seq = 6")
    for s in range(7, 13):
        _sql("UPDATE audit_auditevent SET seq = seq - 1 WHERE seq = %s", [s])
    _sql("UPDATE audit_audithead SET next_seq = next_seq - 1")
    result = _verify()
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "event #6: its canonical JSON records seq 7"


def test_a_late_insertion_in_the_middle_is_named(checkpointed_log: None) -> None:
    """加塞: a row slipped in at #5, the later rows moved up to make room."""
    _shift_up_from(5)
    _insert_row(5, _forged(5, "late"))
    result = _verify()
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "events #5 and #6 both record seq 5: one was inserted"
    assert "event #6: its canonical JSON records seq 5" in lines
    assert any(line.startswith("checkpoint 10: events #0..#9 no longer") for line in lines)


def test_an_insertion_before_a_checkpoint_is_caught_even_when_renumbered_cleanly(
    checkpointed_log: None,
) -> None:
    """The forger rewrites every later event's seq and hash too; only the signed root stands."""
    _shift_up_from(5)
    for s in range(6, 14):
        row = AuditEvent.objects.get(seq=s)
        forged = row.canonical.replace(f'"seq":{s - 1}', f'"seq":{s}')
        _sql(
            "UPDATE audit_auditevent SET canonical = %s, leaf_hash = %s WHERE seq = %s",
            [forged, leaf_hash(forged.encode()).hex(), s],
        )
    _insert_row(5, _forged(5, "late"))
    result = _verify()
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "checkpoint 10: events #0..#9 no longer give its signed root "
        "(an event from #0 on was edited, inserted or deleted)"
    ]


def test_an_insertion_after_the_last_checkpoint_is_not_detectable(
    checkpointed_log: None,
) -> None:
    """Nothing signed covers the tail yet: a well-formed appended row looks genuine until the
    next checkpoint signs it (documented in docs/audit.md)."""
    _insert_row(13, _forged(13, "late"))
    _sql("UPDATE audit_audithead SET next_seq = 14")
    result = _verify()
    assert result.exit_code == 0
    assert "4 newer events not yet checkpointed" in result.stdout


def test_an_appended_row_without_moving_the_head_is_named(checkpointed_log: None) -> None:
    _insert_row(13, _forged(13, "late"))
    result = _verify()
    assert result.exit_code == 2
    assert result.stderr.splitlines() == ["the log head expects 13 events, the log ends at #13"]


def test_a_forged_or_truncated_checkpoint_is_reported(checkpointed_log: None) -> None:
    _sql("UPDATE audit_checkpoint SET tree_size = 11")
    result = _verify()
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert "checkpoint 11: its signature does not verify with the audit key" in lines
    _sql("UPDATE audit_checkpoint SET tree_size = 40")
    assert "checkpoint 40: signed for 40 events, the log has 13" in _verify().stderr


def test_inconsistent_consecutive_checkpoints_are_reported(checkpointed_log: None) -> None:
    publish_checkpoint(actor="cli:test")  # size 13
    _sql("UPDATE audit_checkpoint SET root_hash = %s WHERE tree_size = 10", ["ab" * 32])
    lines = _verify().stderr.splitlines()
    assert "checkpoints 10 and 13 are not consistent over the stored events" in lines


def test_checkpoint_command_publishes_and_refuses_without_new_events() -> None:
    _add(3)
    runner = CliRunner()
    first = runner.invoke(main, ["audit", "checkpoint", "--actor", "clerk"])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("checkpoint 3 root ")
    assert Checkpoint.objects.get().tree_size == 3
    AuditEvent.objects.filter(seq=3).delete()
    _sql("UPDATE audit_audithead SET next_seq = 3")
    again = runner.invoke(main, ["audit", "checkpoint"])
    assert again.exit_code == 2
    assert again.stderr == "Error: no new events since the checkpoint of size 3\n"


def test_receipt_command_prints_a_verifiable_receipt(checkpointed_log: None) -> None:
    result = CliRunner().invoke(main, ["audit", "receipt", "3"])
    assert result.exit_code == 0, result.output
    assert '"seq": 3' in result.stdout
    missing = CliRunner().invoke(main, ["audit", "receipt", "12"])
    assert missing.exit_code == 2
    assert "not covered by a published checkpoint" in missing.stderr
