"""Checks across tables: foreign keys (schema ``foreign_keys``) and the stage rules that tie
schools, applications and the policy together. Set operations decide whether anything is
wrong at all; only then are the rows walked to name each bad cell."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain, repeat

import numpy as np

from sunshine.core.policy import AdmissionPolicy
from sunshine.datasets.errors import PackageError
from sunshine.datasets.schema import TABLES, TABLES_BY_NAME, ForeignKey
from sunshine.datasets.tables import Loaded


def check_foreign_keys(loaded: Mapping[str, Loaded], errors: list[PackageError]) -> None:
    for spec in TABLES:
        source = loaded.get(spec.name)
        if source is None:
            continue
        for fk in spec.foreign_keys:
            target = loaded.get(fk.table)
            if target is not None:
                _check_foreign_key(source, fk, target, errors)


def _check_foreign_key(
    source: Loaded, fk: ForeignKey, target: Loaded, errors: list[PackageError]
) -> None:
    table = source.usable(fk.column)
    known = target.values_of(fk.target)
    if table is None or known is None:
        return
    is_list = table.spec.column(fk.column).kind == "list"
    values = table[fk.column].tolist()
    used = set(chain.from_iterable(values)) if is_list else set(values) - {""}
    if used <= known:
        return
    target_file = TABLES_BY_NAME[fk.table].filename
    for i, value in enumerate(values):
        items = value if is_list else ((value,) if value else ())
        unknown = [item for item in items if item not in known]
        if unknown:
            message = f"{', '.join(unknown)}: no such {fk.target} in {target_file}"
            errors.append(PackageError(source.file, source.row_numbers[i], fk.column, message))


def school_stages(loaded: Mapping[str, Loaded]) -> dict[str, str] | None:
    schools = loaded.get("schools")
    table = schools.usable("school_id", "stage") if schools else None
    if table is None:
        return None
    return dict(zip(table["school_id"].tolist(), table["stage"].tolist(), strict=True))


def check_feeders(loaded: Mapping[str, Loaded], errors: list[PackageError]) -> None:
    """A feeder (对口) link runs from a primary school to a junior school."""
    schools = loaded.get("schools")
    table = schools.usable("school_id", "stage", "feeds_school_id") if schools else None
    if schools is None or table is None:
        return
    stage_of = dict(zip(table["school_id"].tolist(), table["stage"].tolist(), strict=True))
    feeds = table["feeds_school_id"].tolist()
    for i, (stage, target) in enumerate(zip(table["stage"].tolist(), feeds, strict=True)):
        if not target:
            continue
        row = schools.row_numbers[i]
        if stage != "primary":
            message = "only a primary school feeds a junior school"
            errors.append(PackageError(schools.file, row, "feeds_school_id", message))
        elif stage_of.get(target, "junior") != "junior":
            message = f"{target} is a {stage_of[target]} school, not a junior school"
            errors.append(PackageError(schools.file, row, "feeds_school_id", message))


def check_applications(
    loaded: Mapping[str, Loaded], policy: AdmissionPolicy | None, errors: list[PackageError]
) -> None:
    apps = loaded.get("applications")
    if apps is None or apps.usable("stage") is None:
        return
    if policy is not None:
        _check_configured_stages(apps, policy, errors)
    stage_of = school_stages(loaded)
    if stage_of is None:
        return
    _check_preferences(apps, stage_of, policy, errors)
    _check_school_column(apps, "private_school_id", stage_of, loaded, errors)
    _check_school_column(apps, "current_school_id", stage_of, loaded, errors)


def _check_configured_stages(
    apps: Loaded, policy: AdmissionPolicy, errors: list[PackageError]
) -> None:
    assert apps.table is not None
    configured = {str(s) for s in policy.stages}
    stages = apps.table["stage"]
    for i in np.flatnonzero(~np.isin(stages, list(configured))).tolist():
        message = f"stage {stages[i]} is not configured in policy.toml"
        errors.append(PackageError(apps.file, apps.row_numbers[i], "stage", message))


def _check_preferences(
    apps: Loaded,
    stage_of: dict[str, str],
    policy: AdmissionPolicy | None,
    errors: list[PackageError],
) -> None:
    table = apps.usable("stage", "preferences")
    if table is None:
        return
    prefs = table["preferences"].tolist()
    counts = np.fromiter(map(len, prefs), np.int64, len(prefs))
    if policy is not None:
        allowed = policy.preferences_allowed
        for i in np.flatnonzero(counts > allowed).tolist():
            message = f"{counts[i]} preferences listed; the policy allows {allowed}"
            errors.append(PackageError(apps.file, apps.row_numbers[i], "preferences", message))
    # Unknown schools map to "" and are left to the foreign-key check.
    total = int(counts.sum())
    listed = np.fromiter(
        map(stage_of.get, chain.from_iterable(prefs), repeat("")), dtype=object, count=total
    )
    expected = np.repeat(table["stage"], counts)
    wrong = (listed != expected) & (listed != "")
    if not wrong.any():
        return
    owners = np.repeat(np.arange(len(prefs)), counts)
    for i in np.unique(owners[wrong]).tolist():
        others = [s for s in prefs[i] if stage_of.get(s, table["stage"][i]) != table["stage"][i]]
        message = f"{', '.join(others)}: not a {table['stage'][i]} school"
        errors.append(PackageError(apps.file, apps.row_numbers[i], "preferences", message))


def _check_school_column(
    apps: Loaded,
    column: str,
    stage_of: dict[str, str],
    loaded: Mapping[str, Loaded],
    errors: list[PackageError],
) -> None:
    """``private_school_id``: a private school of the application's stage.
    ``current_school_id``: the primary school a junior applicant attends."""
    table = apps.usable("stage", column)
    if table is None:
        return
    kind_of: dict[str, str] = {}
    schools = loaded["schools"].usable("school_id", "kind")
    if schools is not None:
        kind_of = dict(zip(schools["school_id"].tolist(), schools["kind"].tolist(), strict=True))
    filled = np.flatnonzero(table[column] != "")
    if len(filled) == 0:
        return
    pairs = list(zip(table[column][filled].tolist(), table["stage"][filled].tolist(), strict=True))
    # A few schools and two stages: judge each distinct (school, stage) once.
    message_of = {pair: _school_problem(column, *pair, stage_of, kind_of) for pair in set(pairs)}
    if not any(message_of.values()):
        return
    for i, pair in zip(filled.tolist(), pairs, strict=True):
        message = message_of[pair]
        if message:
            errors.append(PackageError(apps.file, apps.row_numbers[i], column, message))


def _school_problem(
    column: str, school: str, stage: str, stage_of: dict[str, str], kind_of: dict[str, str]
) -> str | None:
    if school not in stage_of:
        return None  # an unknown school: the foreign-key check names it
    if column == "private_school_id":
        if stage_of[school] != stage or kind_of.get(school, "private") != "private":
            return f"{school} is not a private {stage} school"
        return None
    if stage != "junior":
        return "only a junior applicant has a current (primary) school"
    if stage_of[school] != "primary":
        return f"{school} is not a primary school"
    return None
