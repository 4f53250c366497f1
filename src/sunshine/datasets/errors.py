"""What is wrong with a data package, said so a county clerk can find and fix it.

Rows are counted as Excel shows them: the header is row 1, so the first data row is row 2.
For ``zones.geojson`` the row is the feature's 1-based position in ``features``; for
``policy.toml`` it is the line number when the TOML parser reports one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PackageError:
    file: str  # "households.csv", "package.xlsx:households", "policy.toml", ...
    row: int | None
    column: str | None  # a column name, a TOML key path, or a GeoJSON property
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column is not None:
            where += f" column {self.column}"
        return f"{where}: {self.message}"


class PackageErrors(Exception):
    """Every problem found in a package, across all its files. A package with any error
    loads nothing."""

    def __init__(self, errors: Iterable[PackageError]) -> None:
        self.errors: tuple[PackageError, ...] = tuple(errors)
        super().__init__(self.errors)

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{n} error{'s' if n != 1 else ''} in the data package:"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])


def raise_if_any(errors: list[PackageError]) -> None:
    if errors:
        raise PackageErrors(errors)
