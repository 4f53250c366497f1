"""Racing clerks on PostgreSQL, each thread with its own connection: rows added at the same
moment to one county's ledger still get distinct numbers with no gap."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sunshine.accounts.models import User
from sunshine.ledgers import services
from sunshine.ledgers.models import ProblemClue
from tests.concurrency import race
from tests.ledgers.builders import HOME, SAMPLE, People, make_people

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def racing_people(requires_postgres: None) -> People:
    return make_people()


def test_racing_adds_get_distinct_numbers(racing_people: People) -> None:
    def add(user: User) -> Callable[[], Any]:
        fresh = User.objects.get(pk=user.pk)
        return lambda: services.create_row("clue", HOME, actor=fresh, values=SAMPLE["clue"]).number

    people = racing_people
    results = race([add(people.admin), add(people.inspector), add(people.reviewer)] * 3)
    assert sorted(results) == list(range(1, 10)), results
    assert sorted(ProblemClue.objects.values_list("number", flat=True)) == list(range(1, 10))
