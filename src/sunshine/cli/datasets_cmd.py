"""`sunshine datasets ...`: generate and check data packages."""

from __future__ import annotations

import click


@click.group("datasets")
def datasets() -> None:
    """Data packages: generate a synthetic county, validate a package."""


COMMANDS = [datasets]
