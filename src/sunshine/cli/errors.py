"""How the CLI reports a user's mistake: one readable line on stderr, exit status 2."""

from __future__ import annotations

import click


class CliError(click.ClickException):
    exit_code = 2
