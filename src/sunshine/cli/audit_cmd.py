"""Audit log commands: `sunshine audit verify`, `sunshine audit checkpoint`,
`sunshine audit receipt`."""

from __future__ import annotations

import json

import click

from sunshine.cli.db_cmd import default_actor, open_database
from sunshine.cli.errors import CliError


@click.group("audit")
def audit() -> None:
    """Check and checkpoint the tamper-evident audit log (docs/audit.md)."""


@audit.command("verify")
def verify() -> None:
    """Recompute the Merkle tree from the stored events and check every signed checkpoint.
    Exits 2 with one line per finding, the earliest event first."""
    open_database()
    from sunshine.audit.verify import verify_log

    report = verify_log()
    if not report.ok:
        for line in report.lines():
            click.echo(line, err=True)
        raise SystemExit(2)
    tail = f"; {report.uncovered} newer events not yet checkpointed" if report.uncovered else ""
    click.echo(f"audit log ok: {report.events} events, {report.checkpoints} checkpoints{tail}")


@audit.command("checkpoint")
@click.option("--actor", default=None, help="Name recorded in the audit log [cli:<os user>].")
def checkpoint(actor: str | None) -> None:
    """Sign and publish a checkpoint of the log as it stands."""
    open_database()
    from sunshine.audit.checkpoints import AuditError, publish_checkpoint

    try:
        made = publish_checkpoint(actor=actor or default_actor())
    except AuditError as exc:
        raise CliError(str(exc)) from exc
    click.echo(f"checkpoint {made.tree_size} root {made.root_hash}")


@audit.command("receipt")
@click.argument("seq", type=click.IntRange(min=0), required=False)
@click.option("--application", metavar="CODE", help="The receipt of this application instead.")
def receipt(seq: int | None, application: str | None) -> None:
    """Print the receipt (JSON) of event SEQ, or of an application's registration, against the
    latest checkpoint."""
    if (seq is None) == (application is None):
        raise CliError("give an event SEQ or --application CODE")
    open_database()
    from sunshine.audit.checkpoints import AuditError, receipt_for, receipt_for_object

    try:
        if application is not None:
            data = receipt_for_object("application", application)
        else:
            assert seq is not None
            data = receipt_for(seq)
    except AuditError as exc:
        raise CliError(str(exc)) from exc
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


COMMANDS = (audit,)
