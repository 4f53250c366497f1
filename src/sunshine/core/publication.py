"""Published lists (公示): masked rows, the k-anonymity check, digests and row-level diffs.

A published row shows a child only through :func:`~sunshine.core.ids.mask_name` and
:func:`~sunshine.core.ids.mask_id`, next to the outcome (school, class, status, lottery number,
waitlist position) and the application code, the pseudonym the lottery transcript already
publishes and the key by which two versions of a list are compared.

The k-check works on equivalence classes: rows that agree on every *quasi-identifier* column
the list shows. A class with fewer than ``k`` rows singles a child out by an attribute (for
instance the only child placed by the bureau at a school), so the list is refused. The masked
name and ID are the family's own verification token and are near-unique by design (the
official practice publishes them so that a family finds its row), so they are not
quasi-identifiers by default; a stricter :class:`ListSpec` may add them. docs/publication.md
explains the choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from sunshine.core.canonical import digest
from sunshine.core.ids import mask_id, mask_name

Value = str | int | None
Row = dict[str, Value]

KEY: Final = "code"


@dataclass(frozen=True)
class Entry:
    """One child's plain data as the database holds it; never published as is."""

    code: str
    name: str
    id_number: str
    status: str
    school_code: str = ""
    school_name: str = ""
    class_no: int | None = None
    lottery_number: str = ""
    waitlist_position: int | None = None


@dataclass(frozen=True)
class ListSpec:
    """Which columns a kind of list shows, and which of them count as quasi-identifiers."""

    kind: str
    columns: tuple[str, ...]
    quasi_identifiers: tuple[str, ...]

    def __post_init__(self) -> None:
        if KEY not in self.columns:
            raise ValueError(f"a list must show the row key {KEY!r}")
        unknown = set(self.quasi_identifiers) - set(self.columns)
        if unknown:
            raise ValueError(f"quasi-identifiers not shown: {sorted(unknown)}")


_IDENTITY: Final = ("code", "name", "id_number")
SPECS: Final[Mapping[str, ListSpec]] = {
    "admitted": ListSpec(
        "admitted",
        (*_IDENTITY, "school_code", "school_name", "status"),
        ("school_code", "status"),
    ),
    "waitlist": ListSpec(
        "waitlist",
        (*_IDENTITY, "status", "lottery_number", "waitlist_position"),
        ("status",),
    ),
    "classes": ListSpec(
        "classes",
        (*_IDENTITY, "school_code", "school_name", "class_no"),
        ("school_code", "class_no"),
    ),
}


def build_rows(entries: Iterable[Entry], spec: ListSpec) -> list[Row]:
    """The published rows: masked, only the spec's columns, sorted by the row key."""
    rows: list[Row] = []
    for e in entries:
        full: Row = {
            "code": e.code,
            "name": mask_name(e.name),
            "id_number": mask_id(e.id_number),
            "status": e.status,
            "school_code": e.school_code,
            "school_name": e.school_name,
            "class_no": e.class_no,
            "lottery_number": e.lottery_number,
            "waitlist_position": e.waitlist_position,
        }
        rows.append({c: full[c] for c in spec.columns})
    rows.sort(key=lambda r: str(r[KEY]))
    keys = [r[KEY] for r in rows]
    if len(set(keys)) != len(keys):
        raise ValueError("two entries share one application code")
    return rows


def list_digest(rows: Sequence[Row]) -> str:
    """SHA-256 of the canonical JSON of the rows: anyone can recompute it from the page."""
    return digest(list(rows))


# --- k-anonymity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SmallClass:
    """An equivalence class below k: the shared values and the rows (by key) in it."""

    values: tuple[Value, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class KReport:
    k: int
    quasi_identifiers: tuple[str, ...]
    classes: int
    small: tuple[SmallClass, ...]

    @property
    def ok(self) -> bool:
        return not self.small

    @property
    def rows_at_risk(self) -> int:
        return sum(len(c.keys) for c in self.small)


class KAnonymityError(ValueError):
    """A list in which some equivalence class is smaller than k."""

    def __init__(self, report: KReport) -> None:
        self.report = report
        shown = "; ".join(
            f"{dict(zip(report.quasi_identifiers, c.values, strict=True))}: {len(c.keys)} row(s)"
            for c in report.small[:5]
        )
        more = f" (and {len(report.small) - 5} more)" if len(report.small) > 5 else ""
        super().__init__(
            f"{len(report.small)} class(es) below k={report.k} over "
            f"{', '.join(report.quasi_identifiers) or '(no columns)'}, "
            f"{report.rows_at_risk} row(s): {shown}{more}"
        )


def k_report(rows: Sequence[Row], quasi_identifiers: Sequence[str], k: int) -> KReport:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    qi = tuple(quasi_identifiers)
    members: dict[tuple[Value, ...], list[str]] = {}
    for row in rows:
        members.setdefault(tuple(row[c] for c in qi), []).append(str(row[KEY]))
    small = tuple(
        SmallClass(values, tuple(sorted(keys)))
        for values, keys in sorted(members.items(), key=lambda item: repr(item[0]))
        if len(keys) < k
    )
    return KReport(k=k, quasi_identifiers=qi, classes=len(members), small=small)


def check_k_anonymity(rows: Sequence[Row], quasi_identifiers: Sequence[str], k: int) -> KReport:
    """The report when every class holds at least ``k`` rows; raise KAnonymityError if not."""
    report = k_report(rows, quasi_identifiers, k)
    if not report.ok:
        raise KAnonymityError(report)
    return report


# --- diffs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowDiff:
    """What changed between two versions, by row key: rows added, removed, and changed
    (old, new)."""

    added: tuple[Row, ...]
    removed: tuple[Row, ...]
    changed: tuple[tuple[Row, Row], ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self) -> dict[str, int]:
        """Counts only: safe for the audit log."""
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }


def _by_key(rows: Iterable[Row]) -> dict[str, Row]:
    index: dict[str, Row] = {}
    for row in rows:
        key = str(row[KEY])
        if key in index:
            raise ValueError(f"row key {key!r} appears twice")
        index[key] = row
    return index


def diff_rows(old: Iterable[Row], new: Iterable[Row]) -> RowDiff:
    before, after = _by_key(old), _by_key(new)
    return RowDiff(
        added=tuple(after[k] for k in sorted(after.keys() - before.keys())),
        removed=tuple(before[k] for k in sorted(before.keys() - after.keys())),
        changed=tuple(
            (before[k], after[k])
            for k in sorted(before.keys() & after.keys())
            if before[k] != after[k]
        ),
    )


def apply_diff(old: Iterable[Row], diff: RowDiff) -> list[Row]:
    """The new version from the old one and the diff (rows sorted by key)."""
    index = _by_key(old)
    for row in diff.removed:
        if index.pop(str(row[KEY]), None) != row:
            raise ValueError(f"removed row {row[KEY]!r} is not in the old version")
    for was, now in diff.changed:
        if index.get(str(was[KEY])) != was:
            raise ValueError(f"changed row {was[KEY]!r} does not match the old version")
        index[str(was[KEY])] = now
    for row in diff.added:
        if str(row[KEY]) in index:
            raise ValueError(f"added row {row[KEY]!r} is already in the old version")
        index[str(row[KEY])] = row
    return [index[k] for k in sorted(index)]
