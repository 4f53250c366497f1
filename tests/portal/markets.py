"""A hypothesis strategy for small sets of applications over a county's schools, and a helper
that writes one into the test database inside a transaction that is always rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from hypothesis import strategies as st
from tests.portal.factories import County, admit, make_application

from sunshine.admissions.models import Application, School

PUBLIC = ("east", "west")  # public primary schools of the county built by build_county()


@dataclass(frozen=True)
class Plan:
    preferences: tuple[str, ...]  # names among PUBLIC, best first
    private: bool  # chose the county's private school
    admitted: str | None  # a school name among PUBLIC + ("private",), or None


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    prefs = draw(st.permutations(PUBLIC).map(tuple))
    prefs = prefs[: draw(st.integers(0, len(prefs)))]
    return Plan(prefs, draw(st.booleans()), draw(st.none() | st.sampled_from((*PUBLIC, "private"))))


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run a hypothesis example against the database and leave nothing behind."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def school(county: County, name: str) -> School:
    return {"east": county.east, "west": county.west, "private": county.private}[name]


def apply_plans(county: County, plans: list[Plan], prefix: str) -> list[Application]:
    made = []
    for i, plan in enumerate(plans):
        app = make_application(
            county.season,
            f"{prefix}{i}",
            preferences=tuple(school(county, n) for n in plan.preferences),
            private_school=county.private if plan.private else None,
        )
        if plan.admitted:
            admit(app, school(county, plan.admitted))
        made.append(app)
    return made
