"""Each imported application has its own logged event, and so its own receipt."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from pytest_django.fixtures import Settings

from sunshine.admissions.services import import_package
from sunshine.audit.checkpoints import (
    AuditError,
    publish_checkpoint,
    receipt_for_object,
)
from sunshine.audit.keys import public_key_bytes
from sunshine.cli import main
from sunshine.core.checkpoint import verify_receipt
from tests.admissions.packages import small_package

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_application_receipt_verifies_against_the_published_checkpoint() -> None:
    import_package(small_package(), actor="test")
    with pytest.raises(AuditError, match="not covered"):
        receipt_for_object("application", "2026-0001")
    publish_checkpoint(actor="test")
    receipt = receipt_for_object("application", "2026-0001")
    assert json.loads(receipt["event"])["object"] == {"type": "application", "id": "2026-0001"}
    assert verify_receipt(receipt, public_key_bytes())


def test_the_cli_prints_an_application_receipt_or_one_line(settings: Settings) -> None:
    import_package(small_package(), actor="test")
    publish_checkpoint(actor="test")
    runner = CliRunner()
    ok = runner.invoke(main, ["audit", "receipt", "--application", "2026-0001"])
    assert ok.exit_code == 0, ok.output
    assert verify_receipt(json.loads(ok.output), public_key_bytes())
    missing = runner.invoke(main, ["audit", "receipt", "--application", "nope"])
    assert missing.exit_code == 2
    assert "no audit event records application 'nope'" in missing.output
    neither = runner.invoke(main, ["audit", "receipt"])
    assert neither.exit_code == 2
