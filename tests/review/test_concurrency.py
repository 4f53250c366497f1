"""Racing reviewers on PostgreSQL, from real threads with their own connections: two clicks,
two officers or two approvers at once still make one decision."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sunshine.accounts.models import User
from sunshine.errors import Conflict
from sunshine.review import overrides, services
from sunshine.review.models import Override, ReviewRecord
from tests.concurrency import race
from tests.review.world import World, build_world

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def racing_world(requires_postgres: None) -> World:
    return build_world()


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_racing_first_level_decisions_make_one(racing_world: World) -> None:
    w = racing_world
    k1 = w.apps["K1"].pk

    def decide(user: User, verdict: str) -> Callable[[], Any]:
        return lambda: services.decide(
            actor=fresh(user), application_id=k1, level=1, decision=verdict, reason="x"
        )

    results = race([decide(w.officer, "pass"), decide(w.officer2, "reject")] * 3)
    made = [r for r in results if isinstance(r, ReviewRecord)]
    assert len(made) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in made), results
    assert ReviewRecord.objects.filter(application_id=k1).count() == 1


def test_racing_approvers_decide_an_override_once(racing_world: World) -> None:
    w = racing_world
    o = overrides.request_override(
        actor=w.officer,
        application_id=w.apps["K1"].pk,
        kind="tier",
        school="P1",
        to_tier=1,
        reason="材料晚到",
    )
    results = race(
        [
            lambda: overrides.approve_override(actor=fresh(w.reviewer), override_id=o.pk),
            lambda: overrides.refuse_override(actor=fresh(w.admin), override_id=o.pk, note="不符"),
            lambda: overrides.approve_override(actor=fresh(w.reviewer2), override_id=o.pk),
        ]
    )
    decided = [r for r in results if isinstance(r, Override)]
    assert len(decided) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in decided), results
    o.refresh_from_db()
    assert o.state == decided[0].state
