"""Two-level review at the service layer: the flow, who may act, and what the database refuses."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed, NotFound
from sunshine.review import services
from sunshine.review.models import CaseState, ReviewCase, ReviewRecord
from sunshine.review.queues import pending_first, pending_second
from tests.review.world import World

pytestmark = pytest.mark.django_db


def decide(
    world: World, who: str, code: str, level: int, decision: str, reason: str = ""
) -> ReviewRecord:
    return services.decide(
        actor=getattr(world, who),
        application_id=world.apps[code].pk,
        level=level,
        decision=decision,
        reason=reason,
    )


def state(world: World, code: str) -> str:
    return ReviewCase.objects.get(application=world.apps[code]).state


def test_the_full_two_level_flow_with_a_return_for_correction(world: World) -> None:
    season = world.season
    assert [a.code for a in pending_first(world.officer, season)] == ["K1", "K2", "K3"]
    decide(world, "officer", "K1", 1, "pass")
    assert state(world, "K1") == CaseState.PENDING_SECOND
    assert "K1" not in [a.code for a in pending_first(world.officer, season)]
    assert [a.code for a in pending_second(world.reviewer, season)] == ["K1"]
    final = decide(world, "reviewer", "K1", 2, "pass")
    assert state(world, "K1") == CaseState.PASSED
    assert final.first_level is not None
    assert final.first_level.reviewer == world.officer
    assert final.first_reviewer == world.officer

    # a return ends the round; the family submits again; a new round starts at level 1
    decide(world, "officer", "K2", 1, "return", "请补充房产证明")
    assert state(world, "K2") == CaseState.RETURNED
    assert "K2" not in [a.code for a in pending_first(world.officer, season)]
    world.apps["K2"].submitted_at = timezone.now() + dt.timedelta(minutes=1)
    world.apps["K2"].save(update_fields=["submitted_at"])
    assert "K2" in [a.code for a in pending_first(world.officer, season)]
    second_round = decide(world, "officer", "K2", 1, "reject", "房产不属于监护人")
    assert second_round.round == 2
    rejected = decide(world, "admin", "K2", 2, "reject", "复核确认：房产不属于监护人")
    assert rejected.round == 2
    assert state(world, "K2") == CaseState.REJECTED
    assert list(ReviewRecord.objects.filter(application=world.apps["K2"]).values_list(
        "round", "level", "decision"
    )) == [(1, 1, "return"), (2, 1, "reject"), (2, 2, "reject")]  # fmt: skip


def test_every_decision_is_audited_without_personal_data_in_the_clear(world: World) -> None:
    decide(world, "officer", "K3", 1, "reject", "户籍不在片区，孩子K3的监护人说明不实")
    event = AuditEvent.objects.get(action="review.decided")
    assert event.object_type == "application"
    assert event.object_id == "K3"
    body = json.loads(event.canonical)
    assert body["detail"]["level"] == 1
    assert body["detail"]["decision"] == "reject"
    assert body["detail"]["reason"].startswith("sha256:")
    assert "户籍不在片区" not in event.canonical
    assert body["before"] is None
    assert body["after"] is not None


def test_level_two_cannot_precede_level_one(world: World) -> None:
    with pytest.raises(Conflict):
        decide(world, "reviewer", "K1", 2, "pass")
    assert not ReviewRecord.objects.exists()
    # nor can the database be made to hold one
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRecord.objects.create(
            application=world.apps["K1"],
            level=2,
            decision="pass",
            reviewer=world.reviewer,
            decided_at=timezone.now(),
        )


def test_the_database_refuses_a_second_level_by_the_first_reviewer(world: World) -> None:
    first = decide(world, "officer", "K1", 1, "pass")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRecord.objects.create(
            application=world.apps["K1"],
            level=2,
            decision="pass",
            reviewer=world.officer,
            decided_at=timezone.now(),
            first_level=first,
            first_reviewer=world.officer,
        )


def test_the_database_wants_a_reason_for_a_rejection(world: World) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRecord.objects.create(
            application=world.apps["K1"],
            level=1,
            decision="reject",
            reviewer=world.officer,
            decided_at=timezone.now(),
        )


def test_a_school_officer_cannot_take_level_two(world: World) -> None:
    decide(world, "officer", "K1", 1, "pass")
    with pytest.raises(NotAllowed, match="第二级审核须由本县教育局审核人员进行"):
        decide(world, "officer2", "K1", 2, "pass")
    assert state(world, "K1") == CaseState.PENDING_SECOND


def test_bureau_staff_do_not_take_level_one(world: World) -> None:
    with pytest.raises(NotAllowed):
        decide(world, "reviewer", "K1", 1, "pass")


@pytest.mark.parametrize("who", ["parent", "witness", "notary", "inspector", "supervisor"])
@pytest.mark.parametrize("level", [1, 2])
def test_roles_that_do_not_review_are_refused(world: World, who: str, level: int) -> None:
    with pytest.raises(NotAllowed):
        decide(world, who, "K1", level, "pass")


def test_out_of_scope_staff_get_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        decide(world, "stranger", "K1", 1, "pass")  # P3's officer: K1 lists P1 and P2
    decide(world, "officer", "K1", 1, "pass")
    with pytest.raises(NotFound):
        decide(world, "foreign", "K1", 2, "pass")  # another county's bureau
    with pytest.raises(NotFound):
        decide(world, "officer", "K4", 1, "pass")  # K4 lists only P2


def test_a_decision_is_taken_once_per_level_and_round(world: World) -> None:
    decide(world, "officer", "K1", 1, "pass")
    with pytest.raises(Conflict):
        decide(world, "officer2", "K1", 1, "pass")
    decide(world, "reviewer", "K1", 2, "pass")
    with pytest.raises(Conflict):
        decide(world, "reviewer2", "K1", 2, "reject", "again")


def test_bad_input_is_refused_with_its_field(world: World) -> None:
    with pytest.raises(Invalid) as missing:
        decide(world, "officer", "K1", 1, "reject", "   ")
    assert missing.value.field == "reason"
    with pytest.raises(Invalid) as bad:
        decide(world, "officer", "K1", 1, "maybe")
    assert bad.value.field == "decision"
    with pytest.raises(Invalid) as level:
        decide(world, "officer", "K1", 3, "pass")
    assert level.value.field == "level"
    assert not ReviewRecord.objects.exists()


def test_a_decision_is_all_or_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure at the last step (the audit append) leaves no record and no case behind."""

    def broken(**kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "record_event", broken)
    with pytest.raises(RuntimeError):
        decide(world, "officer", "K1", 1, "pass")
    assert not ReviewRecord.objects.exists()
    assert not ReviewCase.objects.exists()


def test_a_withdrawn_application_is_not_reviewed(world: World) -> None:
    app = world.apps["K1"]
    app.status = app.Status.WITHDRAWN
    app.save(update_fields=["status"])
    assert "K1" not in [a.code for a in pending_first(world.officer, world.season)]
    with pytest.raises(Conflict):
        decide(world, "officer", "K1", 1, "pass")


def test_queues_are_oldest_first_and_say_how_long_they_waited(world: World) -> None:
    from sunshine.review.queues import review_queue

    now = timezone.now()
    for code, days in (("K1", 2), ("K2", 9), ("K3", 5)):
        app = world.apps[code]
        app.submitted_at = now - dt.timedelta(days=days)
        app.save(update_fields=["submitted_at"])
    first = review_queue(actor=world.officer, now=now)
    assert (first.level, first.count, first.oldest_days) == (1, 3, 9)
    assert [(r.application.code, r.age_days) for r in first.rows] == [
        ("K2", 9),
        ("K3", 5),
        ("K1", 2),
    ]
    for code, days in (("K1", 1), ("K3", 4)):
        services.decide(
            actor=world.officer,
            application_id=world.apps[code].pk,
            level=1,
            decision="pass",
            now=now - dt.timedelta(days=days),
        )
    second = review_queue(actor=world.reviewer, now=now)
    assert (second.level, second.count, second.oldest_days) == (2, 2, 4)
    assert [r.application.code for r in second.rows] == ["K3", "K1"]
    assert all(
        r.case is not None and r.case.last_record.reviewer == world.officer for r in second.rows
    )
    county_backlog = review_queue(actor=world.reviewer, level=1, now=now)
    assert [r.application.code for r in county_backlog.rows] == ["K2", "K4", "K5"]


def test_a_reviewed_season_cannot_be_replaced_by_a_new_import(world: World) -> None:
    from sunshine.admissions.errors import SeasonInUse
    from sunshine.admissions.services import import_package
    from tests.review.world import contest_package

    decide(world, "officer", "K1", 1, "pass")
    with pytest.raises(SeasonInUse):
        import_package(contest_package(), actor="test", replace=True)
    assert ReviewRecord.objects.count() == 1
