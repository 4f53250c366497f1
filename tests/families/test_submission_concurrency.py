"""Racing submissions on PostgreSQL, from real threads with their own connections: a double
tap, a retry storm and two parents submitting the same child never make two applications."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sunshine.accounts.models import User
from sunshine.admissions.models import Application
from sunshine.errors import Conflict
from sunshine.families.models import Registration
from sunshine.families.submission import Submitted, new_token, submit_registration
from tests.concurrency import race
from tests.families.builders import (
    Family,
    make_family,
    make_parent,
    open_window,
    ready_registration,
)
from tests.portal.factories import County, build_county

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(requires_postgres: None) -> tuple[County, Family, User]:
    county = build_county()
    open_window(county.season)
    return county, make_family(county), make_parent("racer")


def test_a_retry_storm_makes_one_application(setting: tuple[County, Family, User]) -> None:
    county, family, parent = setting
    r = ready_registration(family, parent, [county.east.code])
    token = new_token()
    tokens = [token] * 4 + [new_token() for _ in range(4)]

    def submit(t: str) -> Callable[[], Submitted]:
        return lambda: submit_registration(
            actor=User.objects.get(pk=parent.pk),
            registration=Registration.objects.get(pk=r.pk),
            token=t,
        )

    results = race([submit(t) for t in tokens])
    assert all(isinstance(x, Submitted) for x in results), results
    assert len({x.application.pk for x in results}) == 1
    assert sum(x.created for x in results) == 1
    online = Application.objects.filter(source=Application.Source.ONLINE)
    assert online.count() == 1


def test_two_parents_racing_for_one_child_make_one_application(
    setting: tuple[County, Family, User],
) -> None:
    county, family, parent = setting
    other = make_parent("other-racer")
    mine = ready_registration(family, parent, [county.east.code])
    theirs = ready_registration(family, other, [county.east.code])

    def submit(user: User, r: Registration) -> Callable[[], Submitted]:
        return lambda: submit_registration(
            actor=User.objects.get(pk=user.pk),
            registration=Registration.objects.get(pk=r.pk),
            token=new_token(),
        )

    results = race([submit(parent, mine), submit(other, theirs)])
    assert sorted(type(x).__name__ for x in results) == ["Conflict", "Submitted"], results
    assert any(isinstance(x, Conflict) and x.field == "child_id_number" for x in results)
    assert Application.objects.filter(child_id_number=family.child_id).count() == 1
