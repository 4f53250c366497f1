"""The format documents name everything the code accepts (as datasette's test_docs does)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sunshine.core.policy import PREDICATES
from sunshine.datasets.policy_toml import STAGE_KEYS, TIER_NAME_KEYS, TOP_KEYS
from sunshine.datasets.schema import TABLES, ZONE_PROPERTIES, TableSpec

pytestmark = pytest.mark.no_postgres_rerun

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    following = re.search(r"^#{2,3} ", text[start + len(heading) :], re.MULTILINE)
    return text[start : start + len(heading) + following.start()] if following else text[start:]


@pytest.mark.parametrize("spec", TABLES, ids=lambda t: t.name)
def test_every_column_is_documented_in_its_table_section(spec: TableSpec) -> None:
    section = _section((DOCS / "data-package.md").read_text(encoding="utf-8"), f"`{spec.filename}`")
    for column in spec.columns:
        assert f"| `{column.name}` |" in section, column.name
        for choice in column.choices:
            assert f"`{choice}`" in section, (column.name, choice)


def test_every_zone_property_is_documented() -> None:
    section = _section((DOCS / "data-package.md").read_text(encoding="utf-8"), "## `zones.geojson`")
    for name in ZONE_PROPERTIES:
        assert f"| `{name}` |" in section, name


def test_every_policy_key_and_predicate_is_documented() -> None:
    text = (DOCS / "policy.md").read_text(encoding="utf-8")
    for key in (*TOP_KEYS, *STAGE_KEYS, *TIER_NAME_KEYS, *PREDICATES):
        assert f"| `{key}` |" in text, key
    assert "## Predicate semantics" in text
