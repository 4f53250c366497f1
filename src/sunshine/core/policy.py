"""A county's admission policy as frozen data.

Parsed from ``policy.toml`` by :mod:`sunshine.datasets.policy_toml`; see docs/policy.md.
Everything the engine decides that a county may set differently lives here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final


class Stage(StrEnum):
    PRIMARY = "primary"  # grade 1
    JUNIOR = "junior"  # grade 7 (小升初)


class Mechanism(StrEnum):
    PRIORITY_FIRST = "priority_first"  # 志愿优先: first preference first, lottery inside a tier
    DEFERRED_ACCEPTANCE = "deferred_acceptance"  # student-proposing DA


class Overflow(StrEnum):
    NEAREST_WITH_SEATS = "nearest_with_seats"  # 统筹: nearest school of the stage with free seats
    NONE = "none"  # leave unplaced; the bureau places by hand


class PriorityGroup(StrEnum):
    MILITARY = "military"
    POLICE = "police"
    MARTYR = "martyr"
    TALENT = "talent"


class SpecialNeed(StrEnum):
    DISABLED = "disabled"
    ORPHAN = "orphan"
    LEFT_BEHIND = "left_behind"
    UNSUPPORTED = "unsupported"  # 事实无人抚养
    POOR = "poor"


class PriorityGroupRule(StrEnum):
    ABOVE_ALL_TIERS = "above_all_tiers"  # ranked before every tier at the schools they list
    FIRST_WITHIN_TIER = "first_within_tier"  # ranked first inside the tier they earn
    AS_TIER_1 = "as_tier_1"  # treated as meeting the first tier


# The predicates a tier may be built from, and the type of argument each takes.
# ``bool`` predicates are written ``name = true``; the others carry their parameter.
PREDICATES: Final[dict[str, type]] = {
    "hukou_in_zone": bool,  # the child's 户籍 address lies in the school's zone
    "owns_home_in_zone": bool,  # a guardian owns a home in the zone
    "hukou_home_same_address": bool,  # 房户一致: hukou and owned home at the same address
    "hukou_since_before": dt.date,  # hukou registered at that address on or before this date
    "residence_permit_in_zone": bool,  # a guardian's valid 居住证 is at an address in the zone
    "social_security_months_at_least": int,  # a guardian has N continuous months of 社保
    "any_address_in_zone": bool,  # the claimed address lies in the zone (the weakest tier)
}


@dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    arg: bool | int | dt.date = True

    def __post_init__(self) -> None:
        if self.name not in PREDICATES:
            raise PolicyError(f"unknown predicate {self.name!r}; known: {', '.join(PREDICATES)}")
        want = PREDICATES[self.name]
        # bool is a subclass of int, so check it explicitly.
        ok = isinstance(self.arg, want) and not (want is int and isinstance(self.arg, bool))
        if not ok:
            raise PolicyError(f"predicate {self.name!r} takes a {want.__name__}, got {self.arg!r}")
        if want is bool and self.arg is not True:
            raise PolicyError(f"predicate {self.name!r} can only be set to true")


@dataclass(frozen=True, slots=True)
class Tier:
    """A priority tier: an application earns it at a school when all predicates hold."""

    name: str  # as published, e.g. "房户一致"
    predicates: tuple[Predicate, ...]
    name_en: str = ""


@dataclass(frozen=True, slots=True)
class StagePolicy:
    stage: Stage
    tiers: tuple[Tier, ...]  # best first; index 0 is tier 1
    seat_lock_years: int
    class_size: int
    min_age: int | None  # years reached on or before the age cut-off; None = no age check
    use_feeders: bool = False  # junior entry: a primary's graduates go to its feeder school

    def __post_init__(self) -> None:
        if not self.tiers:
            raise PolicyError(f"stage {self.stage}: at least one tier is required")
        if self.class_size < 1:
            raise PolicyError(f"stage {self.stage}: class_size must be positive")
        if self.seat_lock_years < 0:
            raise PolicyError(f"stage {self.stage}: seat_lock_years must not be negative")


@dataclass(frozen=True, slots=True)
class AdmissionPolicy:
    region_code: str  # GB/T 2260 six-digit code
    region_name: str
    school_year: int  # the autumn the children enter
    age_cutoff: dt.date  # e.g. 31 August of school_year
    stages: dict[Stage, StagePolicy]
    mechanism: Mechanism = Mechanism.PRIORITY_FIRST
    preferences_allowed: int = 3
    overflow: Overflow = Overflow.NEAREST_WITH_SEATS
    allow_grandparent_home: bool = False
    priority_group_rule: PriorityGroupRule = PriorityGroupRule.ABOVE_ALL_TIERS
    priority_groups: tuple[PriorityGroup, ...] = field(
        default=(
            PriorityGroup.MARTYR,
            PriorityGroup.MILITARY,
            PriorityGroup.POLICE,
            PriorityGroup.TALENT,
        )
    )

    def __post_init__(self) -> None:
        if len(self.region_code) != 6 or not self.region_code.isdigit():
            raise PolicyError(f"region_code must be six digits, got {self.region_code!r}")
        if self.preferences_allowed < 1:
            raise PolicyError("preferences_allowed must be at least 1")
        if not self.stages:
            raise PolicyError("at least one stage must be configured")

    def stage(self, stage: Stage | str) -> StagePolicy:
        try:
            return self.stages[Stage(stage)]
        except (KeyError, ValueError):
            raise PolicyError(f"stage {stage!r} is not configured in this policy") from None


class PolicyError(ValueError):
    """A policy that cannot be applied as written."""
