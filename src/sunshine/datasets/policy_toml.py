"""``policy.toml`` to :class:`AdmissionPolicy` (the format is in docs/policy.md).

Every problem becomes a :class:`PackageError` on ``policy.toml`` whose ``column`` is the key
path (``stages.primary.tiers[2].hukou_since_before``), and all of them are reported at once.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from enum import StrEnum
from typing import Any, TypeVar

from sunshine.core.policy import (
    PREDICATES,
    AdmissionPolicy,
    Mechanism,
    Overflow,
    PolicyError,
    Predicate,
    PriorityGroup,
    PriorityGroupRule,
    Stage,
    StagePolicy,
    Tier,
)
from sunshine.datasets.errors import PackageError, PackageErrors
from sunshine.datasets.schema import POLICY_FILE

E = TypeVar("E", bound=StrEnum)
_MISSING: Any = object()
TOP_KEYS = (
    "region_code",
    "region_name",
    "school_year",
    "age_cutoff",
    "mechanism",
    "preferences_allowed",
    "overflow",
    "allow_grandparent_home",
    "priority_group_rule",
    "priority_groups",
    "stages",
)
STAGE_KEYS = ("min_age", "seat_lock_years", "class_size", "use_feeders", "tiers")
TIER_NAME_KEYS = ("name", "name_en")
_LINE = re.compile(r"at line (\d+)")


def parse_policy(text: str) -> AdmissionPolicy:
    """The policy ``text`` describes; raises :class:`PackageErrors` listing every problem."""
    errors: list[PackageError] = []
    policy = read_policy(text, errors)
    if errors or policy is None:
        raise PackageErrors(errors)
    return policy


def read_policy(text: str, errors: list[PackageError]) -> AdmissionPolicy | None:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _LINE.search(str(exc))
        row = int(line.group(1)) if line else None
        errors.append(PackageError(POLICY_FILE, row, None, f"not valid TOML: {exc}"))
        return None
    return _Reader(errors).policy(doc)


class _Reader:
    def __init__(self, errors: list[PackageError]) -> None:
        self.errors = errors

    def error(self, path: str, message: str) -> None:
        self.errors.append(PackageError(POLICY_FILE, None, path or None, message))

    def unknown_keys(self, table: dict[str, Any], known: tuple[str, ...], prefix: str) -> None:
        for key in table:
            if key not in known:
                self.error(prefix + key, f"unknown key; expected one of: {', '.join(known)}")

    def value(self, table: dict[str, Any], key: str, want: type, path: str, default: Any) -> Any:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is _MISSING:
                self.error(path, "this key is required")
            return default
        if want is dt.date and isinstance(value, str) and len(value) == 10:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        # bool is an int and datetime is a date in Python; neither is accepted for the other.
        exact = (want is int and isinstance(value, bool)) or (
            want is dt.date and isinstance(value, dt.datetime)
        )
        if not isinstance(value, want) or exact:
            shown = "a date YYYY-MM-DD" if want is dt.date else f"a {_TOML_TYPES[want]}"
            self.error(path, f"must be {shown}, got {value!r}")
            return default
        return value

    def choice(self, table: dict[str, Any], key: str, enum: type[E], path: str) -> E | None:
        value = self.value(table, key, str, path, None)
        if value is None:
            return None
        try:
            return enum(value)
        except ValueError:
            self.error(path, f"{value!r} is not one of: {', '.join(e.value for e in enum)}")
            return None

    def policy(self, doc: dict[str, Any]) -> AdmissionPolicy | None:
        self.unknown_keys(doc, TOP_KEYS, "")
        region_code = self.value(doc, "region_code", str, "region_code", _MISSING)
        if isinstance(region_code, str) and not (len(region_code) == 6 and region_code.isdigit()):
            self.error("region_code", f"must be six digits in quotes, got {region_code!r}")
        fields: dict[str, Any] = {
            "region_code": region_code,
            "region_name": self.value(doc, "region_name", str, "region_name", _MISSING),
            "school_year": self.value(doc, "school_year", int, "school_year", _MISSING),
            "age_cutoff": self.value(doc, "age_cutoff", dt.date, "age_cutoff", _MISSING),
            "stages": self.stages(doc),
        }
        for key, enum in (
            ("mechanism", Mechanism),
            ("overflow", Overflow),
            ("priority_group_rule", PriorityGroupRule),
        ):
            if key in doc:
                fields[key] = self.choice(doc, key, enum, key)
        if "preferences_allowed" in doc:
            path = "preferences_allowed"
            fields[path] = self.value(doc, path, int, path, None)
            if isinstance(fields[path], int) and fields[path] < 1:
                self.error(path, "must be at least 1")
        if "allow_grandparent_home" in doc:
            path = "allow_grandparent_home"
            fields[path] = self.value(doc, path, bool, path, False)
        if "priority_groups" in doc:
            fields["priority_groups"] = self.priority_groups(doc["priority_groups"])
        if self.errors:
            return None
        try:
            return AdmissionPolicy(**fields)
        except PolicyError as exc:
            self.error("", str(exc))
            return None

    def priority_groups(self, value: Any) -> tuple[PriorityGroup, ...]:
        path = "priority_groups"
        if not isinstance(value, list):
            self.error(path, f"must be a list of strings, got {value!r}")
            return ()
        groups: list[PriorityGroup] = []
        for i, item in enumerate(value):
            try:
                group = PriorityGroup(item)
            except ValueError:
                known = ", ".join(g.value for g in PriorityGroup)
                self.error(f"{path}[{i + 1}]", f"{item!r} is not one of: {known}")
                continue
            if group in groups:
                self.error(f"{path}[{i + 1}]", f"{item!r} is listed twice")
            groups.append(group)
        return tuple(groups)

    def stages(self, doc: dict[str, Any]) -> dict[Stage, StagePolicy]:
        raw = self.value(doc, "stages", dict, "stages", _MISSING)
        stages: dict[Stage, StagePolicy] = {}
        if raw is _MISSING:
            return stages
        for name, body in raw.items():
            path = f"stages.{name}"
            if name not in {s.value for s in Stage}:
                self.error(path, f"unknown stage; expected one of: {', '.join(Stage)}")
            elif not isinstance(body, dict):
                self.error(path, "must be a table")
            else:
                stage = self.stage(Stage(name), body, path)
                if stage is not None:
                    stages[Stage(name)] = stage
        if doc.get("stages") == {}:
            self.error("stages", "at least one stage ([stages.primary] or [stages.junior])")
        return stages

    def stage(self, stage: Stage, body: dict[str, Any], path: str) -> StagePolicy | None:
        before = len(self.errors)
        self.unknown_keys(body, STAGE_KEYS, path + ".")
        min_age = self.value(body, "min_age", int, path + ".min_age", None)
        lock = self.value(body, "seat_lock_years", int, path + ".seat_lock_years", _MISSING)
        class_size = self.value(body, "class_size", int, path + ".class_size", _MISSING)
        feeders = self.value(body, "use_feeders", bool, path + ".use_feeders", False)
        if isinstance(lock, int) and lock < 0:
            self.error(path + ".seat_lock_years", "must not be negative")
        if isinstance(class_size, int) and class_size < 1:
            self.error(path + ".class_size", "must be at least 1")
        if isinstance(min_age, int) and not 0 <= min_age <= 18:
            self.error(path + ".min_age", "must be an age in years, 0 to 18")
        tiers = self.tiers(body.get("tiers", _MISSING), path + ".tiers")
        if len(self.errors) > before:
            return None  # the reason is already reported above
        try:
            return StagePolicy(stage, tiers, lock, class_size, min_age, feeders)
        except PolicyError as exc:
            self.error(path, str(exc))
            return None

    def tiers(self, value: Any, path: str) -> tuple[Tier, ...]:
        if value is _MISSING or value == []:
            self.error(path, "at least one tier is required ([[...tiers]] tables)")
            return ()
        if not isinstance(value, list) or not all(isinstance(t, dict) for t in value):
            self.error(path, "must be an array of tables ([[...tiers]])")
            return ()
        return tuple(self.tier(t, f"{path}[{i + 1}]") for i, t in enumerate(value))

    def tier(self, body: dict[str, Any], path: str) -> Tier:
        name = self.value(body, "name", str, path + ".name", _MISSING)
        name = "" if name is _MISSING else name
        name_en = self.value(body, "name_en", str, path + ".name_en", "")
        predicates: list[Predicate] = []
        for key in body:
            if key in TIER_NAME_KEYS:
                continue
            if key not in PREDICATES:
                known = ", ".join([*TIER_NAME_KEYS, *PREDICATES])
                self.error(f"{path}.{key}", f"unknown key; expected one of: {known}")
                continue
            want = PREDICATES[key]
            value = self.value(body, key, want, f"{path}.{key}", None)
            if want is bool and value is False:
                self.error(f"{path}.{key}", "can only be true; leave the key out instead")
            elif value is not None:
                try:
                    predicates.append(Predicate(key, value))
                except PolicyError as exc:
                    self.error(f"{path}.{key}", str(exc))
        if all(key in TIER_NAME_KEYS for key in body):
            self.error(path, "a tier needs at least one predicate")
        return Tier(name=name, predicates=tuple(predicates), name_en=name_en)


_TOML_TYPES: dict[type, str] = {
    str: "string in quotes",
    int: "whole number",
    bool: "boolean (true or false)",
    dict: "table",
}
