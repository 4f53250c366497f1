"""Plan changes: co-signed when requested, applied when due, refused with a field message."""

from __future__ import annotations

import pytest

from sunshine.admissions.models import School
from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.planning.models import PlanChange
from sunshine.planning.services import (
    apply_due_changes,
    request_plan_change,
    withdraw_plan_change,
)
from tests.planning.conftest import People, at
from tests.portal.factories import County, admit

pytestmark = pytest.mark.django_db


def _request(county: County, people: People, **kw: object) -> PlanChange:
    args: dict[str, object] = {
        "actor": people.reviewer,
        "approver": people.admin,
        "plan_seats": 120,
        "effective_from": at(10),
        "reason": "新建教学楼投入使用",
        "now": at(1),
    }
    args.update(kw)
    return request_plan_change(county.east, **args)  # type: ignore[arg-type]


def test_a_cosigned_change_waits_for_its_date_then_applies_once(
    county: County, people: People
) -> None:
    change = _request(county, people)
    assert change.state == PlanChange.State.SCHEDULED
    assert (change.requested_by, change.approved_by) == (people.reviewer, people.admin)

    early = apply_due_changes(county.season, at(10, hour=8), actor=people.admin)
    assert early.count == 0
    assert School.objects.get(pk=county.east.pk).plan_seats == 90

    due = apply_due_changes(county.season, at(10), actor=people.admin)
    assert [c.pk for c in due.plans] == [change.pk]
    assert School.objects.get(pk=county.east.pk).plan_seats == 120
    change.refresh_from_db()
    assert (change.state, change.previous_seats) == (PlanChange.State.APPLIED, 90)

    again = apply_due_changes(county.season, at(20), actor=people.admin)
    assert again.count == 0
    events = AuditEvent.objects.filter(action="plan.change_applied")
    assert events.count() == 1
    assert events.get().object_id == county.east.code


def test_the_requester_cannot_cosign_their_own_change(county: County, people: People) -> None:
    with pytest.raises(NotAllowed) as refused:
        _request(county, people, actor=people.admin, approver=people.admin)
    assert refused.value.field == "cosigner_username"
    assert not PlanChange.objects.exists()


@pytest.mark.parametrize("approver", ["reviewer", "other_admin", "school", None])
def test_the_cosigner_must_be_an_administrator_of_the_county(
    county: County, people: People, approver: str | None
) -> None:
    second = getattr(people, approver) if approver else None
    actor = people.admin2 if approver == "reviewer" else people.reviewer
    with pytest.raises(NotAllowed):
        _request(county, people, actor=actor, approver=second)
    assert not PlanChange.objects.exists()


@pytest.mark.parametrize("role", ["school", "inspector", "parent", "witness", "other_admin"])
def test_only_bureau_staff_of_the_county_may_request(
    county: County, people: People, role: str
) -> None:
    with pytest.raises(NotAllowed):
        _request(county, people, actor=getattr(people, role), approver=people.admin2)
    assert not AuditEvent.objects.filter(action="plan.change_requested").exists()


def test_fewer_seats_than_already_admitted_is_refused_beside_the_field(
    county: County, people: People
) -> None:
    # build_county admitted one child at the west school.
    with pytest.raises(Invalid) as refused:
        request_plan_change(
            county.west,
            actor=people.reviewer,
            approver=people.admin,
            plan_seats=0,
            effective_from=at(10),
            reason="缩减",
            now=at(1),
        )
    assert refused.value.field == "plan_seats"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"effective_from": at(1, hour=8)}, "effective_from"),
        ({"reason": "  "}, "reason"),
        ({"plan_seats": -1}, "plan_seats"),
    ],
)
def test_bad_input_is_refused_with_its_field(
    county: County, people: People, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        _request(county, people, **changes)
    assert refused.value.field == field


def test_a_change_that_no_longer_fits_is_refused_and_nothing_is_applied(
    county: County, people: People
) -> None:
    # Two changes are due; the second school has admitted more than its new plan since.
    first = _request(county, people)
    second = request_plan_change(
        county.west,
        actor=people.reviewer,
        approver=people.admin,
        plan_seats=1,
        effective_from=at(11),
        reason="调整",
        now=at(1),
    )
    admit(county.applications["a1"], county.west)
    with pytest.raises(Conflict):
        apply_due_changes(county.season, at(12), actor=people.admin)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == PlanChange.State.SCHEDULED
    assert School.objects.get(pk=county.east.pk).plan_seats == 90  # the first was rolled back
    assert not AuditEvent.objects.filter(action="plan.change_applied").exists()


def test_a_withdrawn_change_never_applies(county: County, people: People) -> None:
    change = _request(county, people)
    withdraw_plan_change(change, actor=people.admin, reason="计划有误")
    assert apply_due_changes(county.season, at(20), actor=people.admin).count == 0
    assert School.objects.get(pk=county.east.pk).plan_seats == 90
    with pytest.raises(Conflict):
        withdraw_plan_change(change, actor=people.admin, reason="again")


def test_changes_are_not_applied_ahead_of_time(county: County, people: People) -> None:
    import datetime as dt

    from django.utils import timezone

    with pytest.raises(Invalid) as refused:
        apply_due_changes(county.season, timezone.now() + dt.timedelta(days=1), actor=people.admin)
    assert refused.value.field == "as_of"


@pytest.mark.parametrize("role", ["reviewer", "school", "inspector", "parent", "other_admin"])
def test_only_an_administrator_of_the_county_applies_due_changes(
    county: County, people: People, role: str
) -> None:
    _request(county, people)
    with pytest.raises(NotAllowed):
        apply_due_changes(county.season, at(20), actor=getattr(people, role))
    assert School.objects.get(pk=county.east.pk).plan_seats == 90


def test_a_system_job_may_apply_due_changes(county: County, people: People) -> None:
    _request(county, people)
    assert apply_due_changes(county.season, at(20), actor="system:scheduler").count == 1
