"""The rectification ledger's status flow: 整改中 -> 已完成 -> 回头看 (confirmed or reopened)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.ledgers import services
from sunshine.ledgers.models import Rectification, RectificationReview
from tests.ledgers.builders import HOME, OTHER, People, add

pytestmark = pytest.mark.django_db
Status = Rectification.Status


def _row() -> Rectification:
    return Rectification.objects.get(region_code=HOME, number=1)


def test_complete_then_reopen_then_complete_again(people: People) -> None:
    add("rectification", people.admin)
    services.complete_rectification(HOME, 1, actor=people.admin, on=dt.date(2024, 7, 30))
    assert (_row().status, _row().completed_on) == (Status.DONE, dt.date(2024, 7, 30))
    review = services.follow_up_rectification(
        HOME,
        1,
        actor=people.supervisor,
        reopen=True,
        note="热线仍无人接听",
        on=dt.date(2024, 8, 20),
    )
    assert review.reopened
    assert review.by == people.supervisor
    row = _row()
    assert (row.status, row.completed_on) == (Status.REOPENED, None)
    assert row.review_note == "2024-08-20 回头看重开：热线仍无人接听"
    services.complete_rectification(HOME, 1, actor=people.reviewer, on=dt.date(2024, 8, 25))
    services.follow_up_rectification(
        HOME, 1, actor=people.inspector, reopen=False, note="已公布并接通", on=dt.date(2024, 9, 5)
    )
    row = _row()
    assert row.status == Status.DONE
    assert row.completed_on == dt.date(2024, 8, 25)
    assert row.review_note.splitlines() == [
        "2024-08-20 回头看重开：热线仍无人接听",
        "2024-09-05 回头看确认：已公布并接通",
    ]
    assert list(RectificationReview.objects.values_list("reopened", flat=True)) == [True, False]
    actions = list(
        AuditEvent.objects.filter(object_type="ledgers.rectification").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "ledgers.rectification.created",
        "ledgers.rectification.completed",
        "ledgers.rectification.reopened",
        "ledgers.rectification.completed",
        "ledgers.rectification.reviewed",
    ]
    reopened = AuditEvent.objects.get(action="ledgers.rectification.reopened")
    assert json.loads(reopened.canonical)["detail"]["reviewed_on"] == "2024-08-20"
    assert "热线" not in reopened.canonical


def test_only_a_completed_item_is_followed_up(people: People) -> None:
    add("rectification", people.admin)
    with pytest.raises(Conflict):
        services.follow_up_rectification(HOME, 1, actor=people.admin, reopen=True, note="x")
    services.complete_rectification(HOME, 1, actor=people.admin)
    with pytest.raises(Conflict):
        services.complete_rectification(HOME, 1, actor=people.admin)
    assert not RectificationReview.objects.exists()


def test_reopening_needs_a_reason(people: People) -> None:
    add("rectification", people.admin)
    services.complete_rectification(HOME, 1, actor=people.admin)
    with pytest.raises(Invalid) as caught:
        services.follow_up_rectification(HOME, 1, actor=people.admin, reopen=True, note="")
    assert caught.value.field == "note"
    assert _row().status == Status.DONE


def test_status_changes_only_through_its_services(people: People) -> None:
    add("rectification", people.admin)
    with pytest.raises(Invalid) as caught:
        services.update_row(
            "rectification", HOME, 1, actor=people.admin, changes={"status": "已完成"}
        )
    assert caught.value.field == "status"
    with pytest.raises(Invalid):
        services.update_row(
            "rectification", HOME, 1, actor=people.admin, changes={"completed_on": "2024-07-01"}
        )
    # Sending the current value back, as a full form would, is fine.
    services.update_row(
        "rectification", HOME, 1, actor=people.admin, changes={"status": "整改中", "owner": "李四"}
    )
    assert (_row().status, _row().owner) == (Status.IN_PROGRESS, "李四")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("inspector", True),
        ("supervisor", True),
        ("far_supervisor", False),
        ("other_admin", False),
        ("school_staff", False),
    ],
)
def test_who_may_follow_up(people: People, role: str, allowed: bool) -> None:
    add("rectification", people.admin)
    services.complete_rectification(HOME, 1, actor=people.admin)
    actor = getattr(people, role)
    if allowed:
        services.follow_up_rectification(HOME, 1, actor=actor, reopen=True, note="未整改到位")
        assert _row().status == Status.REOPENED
    else:
        with pytest.raises(NotAllowed):
            services.follow_up_rectification(HOME, 1, actor=actor, reopen=True, note="x")
        assert _row().status == Status.DONE


def test_only_the_bureau_completes(people: People) -> None:
    add("rectification", people.admin)
    for actor in (people.inspector, people.supervisor):
        with pytest.raises(NotAllowed):
            services.complete_rectification(HOME, 1, actor=actor)
    assert _row().status == Status.IN_PROGRESS
    assert OTHER != HOME
