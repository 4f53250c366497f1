"""Database commands: `sunshine import`, `sunshine export`, `sunshine migrate`, `sunshine serve`."""

from __future__ import annotations

import click

from sunshine.cli import setup_django


@click.command("migrate")
def migrate() -> None:
    """Create or upgrade the database schema."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    click.echo("database is up to date")


COMMANDS = [migrate]
