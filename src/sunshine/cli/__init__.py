"""The `sunshine` command. Each command group lives in its own module of this package.

Errors a user can cause surface as one readable line on stderr and exit status 2
(click.ClickException subclasses); anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import os

import click

from sunshine import __version__


def setup_django() -> None:
    """Configure Django for commands that need the database (called lazily, so the batch
    commands like `season run` start fast and need no database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sunshine.config.settings")
    import django

    django.setup()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sunshine")
def main() -> None:
    """Sunshine (阳光招生): open, verifiable compulsory-education admissions."""


def _register() -> None:
    # Imported here so each module can import `main`/`setup_django` from this package.
    from sunshine.cli import audit_cmd, datasets_cmd, db_cmd, demo_cmd, lottery_cmd, season_cmd

    for module in (audit_cmd, datasets_cmd, db_cmd, demo_cmd, lottery_cmd, season_cmd):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
