"""Racing wrong co-sign passwords on PostgreSQL, from real threads with their own connections:
a burst of parallel guesses gets no more tries than the limit allows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sunshine.accounts.models import RateLimitHit, Role, User
from sunshine.audit.models import AuditEvent
from sunshine.errors import Invalid, RateLimited
from sunshine.planning.cosign import cosigner
from tests.concurrency import race
from tests.portal.factories import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_burst_of_guesses_is_held_to_the_limit(requires_postgres: None) -> None:
    actor = make_user(Role.BUREAU_REVIEWER, "reviewer", region_code="330110")
    make_user(Role.BUREAU_ADMIN, "admin2", region_code="330110")

    def guess(password: str) -> Callable[[], User]:
        return lambda: cosigner(
            None,
            actor=User.objects.get(pk=actor.pk),
            username="admin2",
            password=password,
            roles={Role.BUREAU_ADMIN},
        )

    results = race([guess(f"guess-{i}") for i in range(12)])
    assert sum(isinstance(r, Invalid) for r in results) == 5, results
    assert sum(isinstance(r, RateLimited) for r in results) == 7, results
    assert RateLimitHit.objects.count() == 5
    assert AuditEvent.objects.filter(action="cosign.locked").count() == 1
