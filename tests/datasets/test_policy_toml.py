from __future__ import annotations

import datetime as dt

import pytest

from sunshine.core.policy import (
    Mechanism,
    Overflow,
    Predicate,
    PriorityGroup,
    PriorityGroupRule,
    Stage,
)
from sunshine.datasets.errors import PackageErrors
from sunshine.datasets.policy_toml import parse_policy
from tests.datasets.builders import POLICY_TOML

pytestmark = pytest.mark.no_postgres_rerun

MINIMAL = """\
region_code = "330199"
region_name = "示范县"
school_year = 2026
age_cutoff = "2026-08-31"
[stages.primary]
seat_lock_years = 6
class_size = 45
[[stages.primary.tiers]]
name = "户籍"
hukou_in_zone = true
"""


def problems(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(PackageErrors) as info:
        parse_policy(text)
    assert all(e.file == "policy.toml" for e in info.value.errors)
    return [(e.row, e.column, e.message) for e in info.value.errors]


def test_the_documented_example_parses_completely() -> None:
    policy = parse_policy(POLICY_TOML)
    assert policy.region_code == "330199"
    assert policy.age_cutoff == dt.date(2026, 8, 31)
    assert policy.mechanism is Mechanism.PRIORITY_FIRST
    assert policy.overflow is Overflow.NEAREST_WITH_SEATS
    assert policy.priority_group_rule is PriorityGroupRule.ABOVE_ALL_TIERS
    assert policy.priority_groups[0] is PriorityGroup.MARTYR
    primary = policy.stages[Stage.PRIMARY]
    assert (primary.min_age, primary.seat_lock_years, primary.class_size) == (6, 6, 45)
    assert primary.tiers[0].name == "房户一致"
    assert primary.tiers[0].predicates == (
        Predicate("hukou_home_same_address", True),
        Predicate("hukou_since_before", dt.date(2025, 8, 31)),
    )
    assert primary.tiers[1].predicates[1] == Predicate("social_security_months_at_least", 12)
    junior = policy.stages[Stage.JUNIOR]
    assert junior.min_age is None
    assert junior.use_feeders


def test_defaults_and_a_date_given_as_a_string() -> None:
    policy = parse_policy(MINIMAL)
    assert policy.age_cutoff == dt.date(2026, 8, 31)
    assert policy.preferences_allowed == 3
    assert list(policy.stages) == [Stage.PRIMARY]


@pytest.mark.parametrize(
    ("edit", "column", "message"),
    [
        (("", "colour = 1\n"), "colour", "unknown key"),
        (('region_code = "330199"', "region_code = 330199"), "region_code", "must be a string"),
        (('region_code = "330199"', 'region_code = "3301"'), "region_code", "six digits"),
        (('region_name = "示范县"\n', ""), "region_name", "this key is required"),
        (('"2026-08-31"', '"31/08/2026"'), "age_cutoff", "must be a date"),
        (('"2026-08-31"', "2026-08-31T00:00:00"), "age_cutoff", "must be a date"),
        (("school_year = 2026", "school_year = true"), "school_year", "whole number"),
        (("", 'mechanism = "lottery"\n'), "mechanism", "'lottery' is not one of"),
        (("", "preferences_allowed = 0\n"), "preferences_allowed", "at least 1"),
        (("", 'priority_groups = ["martyr", "vip"]\n'), "priority_groups[2]", "'vip'"),
        (("", 'priority_groups = ["police", "police"]\n'), "priority_groups[2]", "twice"),
        (("class_size = 45", "class_size = 0"), "stages.primary.class_size", "at least 1"),
        (("seat_lock_years = 6\n", ""), "stages.primary.seat_lock_years", "required"),
        (
            ("hukou_in_zone = true\n", "hukou_in_zone = true\n[stages.senior]\nclass_size = 1\n"),
            "stages.senior",
            "unknown stage",
        ),
        (("class_size = 45", "class_size = 45\nlottery = 1"), "stages.primary.lottery", "unknown"),
        (
            ("hukou_in_zone = true", "hukou_in_zone = false"),
            "stages.primary.tiers[1].hukou_in_zone",
            "can only be true",
        ),
        (
            ("hukou_in_zone = true", "hukou_in_zone = 1"),
            "stages.primary.tiers[1].hukou_in_zone",
            "must be a boolean",
        ),
        (
            ("hukou_in_zone = true", "owns_house = true"),
            "stages.primary.tiers[1].owns_house",
            "unknown key",
        ),
        (
            ('name = "户籍"\nhukou_in_zone = true', 'name = "户籍"'),
            "stages.primary.tiers[1]",
            "at least one predicate",
        ),
    ],
)
def test_each_problem_names_its_key_path(edit: tuple[str, str], column: str, message: str) -> None:
    old, new = edit
    text = new + MINIMAL if old == "" else MINIMAL.replace(old, new)
    assert text != MINIMAL
    found = problems(text)
    assert [c for _, c, _ in found] == [column], found
    assert message in found[0][2]


def test_a_stage_without_tiers_and_a_policy_without_stages() -> None:
    no_tiers = MINIMAL[: MINIMAL.index("[[stages.primary.tiers]]")]
    assert [c for _, c, _ in problems(no_tiers)] == ["stages.primary.tiers"]
    no_stages = MINIMAL[: MINIMAL.index("[stages.primary]")]
    assert [c for _, c, _ in problems(no_stages)] == ["stages"]


def test_all_problems_are_reported_together() -> None:
    text = MINIMAL.replace('"330199"', '"33"').replace("class_size = 45", "class_size = -1")
    assert [c for _, c, _ in problems("x = 1\n" + text)] == [
        "x",
        "region_code",
        "stages.primary.class_size",
    ]


def test_a_syntax_error_gives_the_line() -> None:
    found = problems(MINIMAL.replace("school_year = 2026", "school_year = = 2026"))
    assert len(found) == 1
    row, column, message = found[0]
    assert (row, column) == (3, None)
    assert message.startswith("not valid TOML")
