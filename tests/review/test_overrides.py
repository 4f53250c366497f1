"""Override requests and their approval by a second person, at the service layer."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed, NotFound
from sunshine.review import overrides
from sunshine.review.models import Override
from sunshine.review.queues import overrides_visible_to
from tests.review.world import World

pytestmark = pytest.mark.django_db


def tier_change(
    world: World, who: str = "officer", code: str = "K1", school: str = "P1", to: int | None = 1
) -> Override:
    return overrides.request_override(
        actor=getattr(world, who),
        application_id=world.apps[code].pk,
        kind="tier",
        school=school,
        to_tier=to,
        reason="户籍迁入材料晚到，已核实",
    )


def test_a_request_records_the_current_tier_and_waits_for_a_second_person(world: World) -> None:
    o = tier_change(world)
    assert (o.state, o.from_tier, o.to_tier, o.school) == ("requested", 2, 1, world.p1)
    approved = overrides.approve_override(actor=world.reviewer, override_id=o.pk, note="同意")
    assert approved.state == "approved"
    assert approved.decided_by == world.reviewer
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["override.requested", "override.approved"]
    event = AuditEvent.objects.get(action="override.approved")
    body = json.loads(event.canonical)
    assert body["object"] == {"type": "application", "id": "K1"}
    assert body["before"] != body["after"]  # both are recorded, as digests
    assert body["detail"]["override"] == o.pk
    assert "户籍迁入材料" not in event.canonical


def test_the_requester_cannot_approve_their_own_override(world: World) -> None:
    o = tier_change(world, who="reviewer")
    with pytest.raises(NotAllowed, match="不能审批本人提出的更正申请"):
        overrides.approve_override(actor=world.reviewer, override_id=o.pk)
    with pytest.raises(NotAllowed):
        overrides.refuse_override(actor=world.reviewer, override_id=o.pk, note="撤回")
    o.refresh_from_db()
    assert o.state == "requested"
    assert not AuditEvent.objects.filter(action__in=["override.approved", "override.refused"])
    # and the database refuses it too, whatever a service might do
    with pytest.raises(IntegrityError), transaction.atomic():
        Override.objects.filter(pk=o.pk).update(
            state="approved", decided_by=world.reviewer, decided_at=timezone.now()
        )


def test_a_refusal_needs_a_reason_and_closes_the_request(world: World) -> None:
    o = tier_change(world)
    with pytest.raises(Invalid) as empty:
        overrides.refuse_override(actor=world.admin, override_id=o.pk, note=" ")
    assert empty.value.field == "note"
    refused = overrides.refuse_override(actor=world.admin, override_id=o.pk, note="材料不足")
    assert refused.state == "refused"
    with pytest.raises(Conflict):
        overrides.approve_override(actor=world.reviewer, override_id=o.pk)


@pytest.mark.parametrize(
    "who", ["officer", "officer2", "inspector", "supervisor", "parent", "witness", "notary"]
)
def test_only_county_bureau_staff_approve(world: World, who: str) -> None:
    o = tier_change(world, who="reviewer")
    with pytest.raises(NotAllowed):
        overrides.approve_override(actor=getattr(world, who), override_id=o.pk)


def test_another_countys_bureau_cannot_see_or_approve(world: World) -> None:
    o = tier_change(world)
    with pytest.raises(NotFound):
        overrides.approve_override(actor=world.foreign, override_id=o.pk)
    assert not overrides_visible_to(actor=world.foreign).exists()
    assert list(overrides_visible_to(actor=world.inspector)) == [o]


@pytest.mark.parametrize("who", ["inspector", "supervisor", "parent", "witness", "notary"])
def test_readers_and_outsiders_cannot_request(world: World, who: str) -> None:
    with pytest.raises(NotAllowed):
        tier_change(world, who=who)


def test_scope_of_requests(world: World) -> None:
    with pytest.raises(NotFound):
        tier_change(world, who="stranger")  # P3 is not in K1's list
    with pytest.raises(NotFound):
        tier_change(world, who="foreign")
    with pytest.raises(NotAllowed, match="本校"):
        tier_change(world, who="officer2", school="P1")  # P2's officer, a tier at P1
    assert tier_change(world, who="officer2", school="P2").school == world.p2
    assert tier_change(world, who="reviewer", school="P1").school == world.p1


def test_a_request_is_checked_against_the_application(world: World) -> None:
    with pytest.raises(Invalid) as school:
        tier_change(world, school="P3")  # not in K1's list
    assert school.value.field == "school"
    with pytest.raises(Invalid) as same:
        tier_change(world, to=2)  # K1 already has tier 2 at P1
    assert same.value.field == "to_tier"
    with pytest.raises(Invalid) as beyond:
        tier_change(world, to=9)
    assert beyond.value.field == "to_tier"
    with pytest.raises(Invalid) as reason:
        overrides.request_override(
            actor=world.officer, application_id=world.apps["K1"].pk, kind="tier", reason=" "
        )
    assert reason.value.field == "reason"
    with pytest.raises(Invalid) as kind:
        overrides.request_override(
            actor=world.officer, application_id=world.apps["K1"].pk, kind="bribe", reason="x"
        )
    assert kind.value.field == "kind"
    assert not Override.objects.exists()


def test_one_open_request_per_change(world: World) -> None:
    tier_change(world)
    with pytest.raises(Conflict):
        tier_change(world, who="reviewer", to=None)


def exception(world: World, code: str, check: str, who: str = "officer2") -> Override:
    return overrides.request_override(
        actor=getattr(world, who),
        application_id=world.apps[code].pk,
        kind="exception",
        check=check,
        reason="补交材料已核验",
    )


def test_exceptions_are_for_failed_or_missing_waivable_checks(world: World) -> None:
    o = exception(world, "K5", "home")
    assert (o.check_name, o.check_result, o.school) == ("home", "fail", None)
    with pytest.raises(Invalid) as passed:
        exception(world, "K5", "age")  # K5 is of age
    assert passed.value.field == "check"
    with pytest.raises(Invalid) as zone:
        exception(world, "K5", "zone")  # not waivable
    assert zone.value.field == "check"
    overrides.approve_override(actor=world.reviewer, override_id=o.pk)
    with pytest.raises(Conflict):
        exception(world, "K5", "home")  # already approved


def test_a_request_is_all_or_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    o = tier_change(world)
    monkeypatch.setattr(overrides, "record_event", broken)
    with pytest.raises(RuntimeError):
        tier_change(world, code="K2")
    with pytest.raises(RuntimeError):
        overrides.approve_override(actor=world.reviewer, override_id=o.pk)
    assert list(Override.objects.values_list("pk", "state")) == [(o.pk, "requested")]
