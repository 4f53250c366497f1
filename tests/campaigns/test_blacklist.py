"""The blacklist's lifecycle: notice, objection window, four-eyes publication, exit after the
repair period; each step audited, each role and county checked, nothing half-written."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import IntegrityError, transaction

from sunshine.audit.models import AuditEvent
from sunshine.campaigns import blacklist
from sunshine.campaigns.models import BlacklistEntry
from sunshine.campaigns.publication import public_entries
from sunshine.errors import Conflict, Invalid, NotAllowed
from tests.campaigns.conftest import COUNTY, NEIGHBOUR, NOW, People
from tests.portal.factories import make_school, make_season

pytestmark = pytest.mark.django_db
Status = BlacklistEntry.Status
DAY = dt.timedelta(days=1)


def actions(entry: BlacklistEntry) -> list[str]:
    events = AuditEvent.objects.filter(object_type="blacklist_entry", object_id=str(entry.pk))
    return list(events.order_by("seq").values_list("action", flat=True))


def propose(people: People, **overrides: object) -> BlacklistEntry:
    fields: dict[str, object] = {
        "actor": people.admin,
        "subject": "principal",
        "school_name": "城东小学",
        "school_code": "330110-P1",
        "principal_name": "欧阳明辉",
        "violation": "欧阳明辉校长组织超计划招生 37 人，并收取择校费。",
        "legal_basis": "《义务教育法》第十二条；本县招生黑名单制度第三条",
        "objection_days": 7,
        "repair_days": 365,
        "now": NOW,
    }
    fields.update(overrides)
    return blacklist.propose_entry(**fields)  # type: ignore[arg-type]


def published(people: People) -> BlacklistEntry:
    entry = propose(people)
    blacklist.request_publication(entry, actor=people.admin, now=NOW + 8 * DAY)
    return blacklist.decide_publication(entry, actor=people.admin2, approve=True, now=NOW + 9 * DAY)


def test_the_whole_lifecycle_is_audited_step_by_step(people: People) -> None:
    entry = propose(people)
    assert entry.status == Status.NOTIFIED
    assert entry.objection_deadline == NOW + 7 * DAY
    blacklist.record_objection(
        entry, actor=people.admin, text="招生人数系上级追加计划。", now=NOW + 2 * DAY
    )
    assert entry.status == Status.OBJECTED
    blacklist.decide_objection(
        entry, actor=people.admin, upheld=False, reason="未见追加计划的批复。", now=NOW + 3 * DAY
    )
    assert entry.status == Status.NOTIFIED
    # The party has been heard: publication may be asked before the window's end.
    blacklist.request_publication(entry, actor=people.admin, now=NOW + 4 * DAY)
    assert entry.status == Status.PENDING
    blacklist.decide_publication(entry, actor=people.admin2, approve=True, now=NOW + 5 * DAY)
    assert entry.status == Status.PUBLISHED
    assert entry.approved_by == people.admin2
    assert entry.exit_eligible_at == NOW + 370 * DAY
    blacklist.review_exit(
        entry, actor=people.admin, passed=True, review="整改到位，复核合格。", now=NOW + 371 * DAY
    )
    assert entry.status == Status.REMOVED
    assert entry.removed_at == NOW + 371 * DAY
    assert actions(entry) == [
        "blacklist.notified",
        "blacklist.objection_recorded",
        "blacklist.objection_decided",
        "blacklist.publication_requested",
        "blacklist.published",
        "blacklist.removed",
    ]
    first = AuditEvent.objects.get(action="blacklist.notified")
    assert first.created_at == NOW
    assert json.loads(first.canonical)["detail"]["region_code"] == COUNTY


def test_the_principals_name_never_enters_the_log_in_the_clear(people: People) -> None:
    published(people)
    canonical = "".join(AuditEvent.objects.values_list("canonical", flat=True))
    assert "欧阳明辉" not in canonical
    notified = json.loads(AuditEvent.objects.get(action="blacklist.notified").canonical)
    assert notified["detail"]["principal"].startswith("sha256:")


def test_an_upheld_objection_withdraws_the_entry(people: People) -> None:
    entry = propose(people)
    blacklist.record_objection(entry, actor=people.admin, text="不是本人所为。", now=NOW + DAY)
    blacklist.decide_objection(
        entry, actor=people.admin, upheld=True, reason="查无实据。", now=NOW + 2 * DAY
    )
    assert entry.status == Status.WITHDRAWN
    assert entry.withdrawn_reason == "查无实据。"
    with pytest.raises(Conflict):
        blacklist.request_publication(entry, actor=people.admin, now=NOW + 9 * DAY)


def test_the_objection_window_is_enforced_both_ways(people: People) -> None:
    entry = propose(people, objection_days=3)
    with pytest.raises(Conflict, match="届满前不能提请公示"):
        blacklist.request_publication(entry, actor=people.admin, now=NOW + 3 * DAY)
    with pytest.raises(Conflict, match="届满"):
        blacklist.record_objection(
            entry,
            actor=people.admin,
            text="迟到的异议",
            now=NOW + 3 * DAY + dt.timedelta(seconds=1),
        )
    blacklist.request_publication(
        entry, actor=people.admin, now=NOW + 3 * DAY + dt.timedelta(seconds=1)
    )
    assert entry.status == Status.PENDING


def test_one_objection_per_entry(people: People) -> None:
    entry = propose(people)
    blacklist.record_objection(entry, actor=people.admin, text="异议一", now=NOW + DAY)
    blacklist.decide_objection(
        entry, actor=people.admin, upheld=False, reason="不成立", now=NOW + DAY
    )
    with pytest.raises(Conflict):
        blacklist.record_objection(entry, actor=people.admin, text="异议二", now=NOW + 2 * DAY)


def test_publication_needs_a_second_administrator(people: People) -> None:
    entry = propose(people)
    blacklist.request_publication(entry, actor=people.admin2, now=NOW + 8 * DAY)
    for same in (people.admin, people.admin2):  # the proposer, the requester
        with pytest.raises(NotAllowed):
            blacklist.decide_publication(entry, actor=same, approve=True, now=NOW + 9 * DAY)
    with pytest.raises(NotAllowed):
        blacklist.decide_publication(entry, actor="system", approve=True, now=NOW + 9 * DAY)
    third = type(people.admin).objects.create_user(
        "admin3", password="x-unused-x", role="bureau_admin", region_code=COUNTY
    )
    blacklist.decide_publication(entry, actor=third, approve=True, now=NOW + 9 * DAY)
    assert entry.status == Status.PUBLISHED


def test_the_database_refuses_a_self_approved_publication(people: People) -> None:
    entry = propose(people)
    entry.approved_by = people.admin
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_a_refused_publication_goes_back_with_a_reason(people: People) -> None:
    entry = propose(people)
    blacklist.request_publication(entry, actor=people.admin, now=NOW + 8 * DAY)
    with pytest.raises(Invalid) as error:
        blacklist.decide_publication(entry, actor=people.admin2, approve=False, now=NOW + 9 * DAY)
    assert error.value.field == "reason"
    blacklist.decide_publication(
        entry, actor=people.admin2, approve=False, reason="证据不足", now=NOW + 9 * DAY
    )
    assert entry.status == Status.NOTIFIED
    assert entry.publication_requested_by is None
    assert actions(entry)[-1] == "blacklist.publication_refused"


def test_exit_only_after_the_repair_period_and_a_passed_review(people: People) -> None:
    entry = published(people)
    eligible = entry.exit_eligible_at
    assert eligible is not None
    with pytest.raises(Conflict, match="整改期"):
        blacklist.review_exit(
            entry, actor=people.admin, passed=True, review="已整改", now=eligible - DAY
        )
    blacklist.review_exit(entry, actor=people.admin, passed=False, review="仍有超额", now=eligible)
    assert entry.status == Status.PUBLISHED
    assert entry.exit_review == "仍有超额"
    blacklist.review_exit(
        entry, actor=people.admin, passed=True, review="整改到位", now=eligible + DAY
    )
    assert entry.status == Status.REMOVED
    assert actions(entry)[-2:] == ["blacklist.exit_refused", "blacklist.removed"]


def test_withdrawal_only_before_publication(people: People) -> None:
    entry = propose(people)
    blacklist.withdraw_entry(entry, actor=people.admin, reason="事实认定有误", now=NOW + DAY)
    assert entry.status == Status.WITHDRAWN
    with pytest.raises(Conflict):
        blacklist.withdraw_entry(
            published(people), actor=people.admin, reason="x", now=NOW + 20 * DAY
        )


@pytest.mark.parametrize("who", ["reviewer", "inspector", "supervisor", "parent", "school_staff"])
def test_only_a_bureau_administrator_proposes_and_decides(people: People, who: str) -> None:
    actor = getattr(people, who)
    with pytest.raises(NotAllowed):
        propose(people, actor=actor)
    entry = propose(people)
    with pytest.raises(NotAllowed):
        blacklist.record_objection(entry, actor=actor, text="x", now=NOW + DAY)
    with pytest.raises(NotAllowed):
        blacklist.withdraw_entry(entry, actor=actor, reason="x", now=NOW + DAY)
    assert actions(entry) == ["blacklist.notified"]


def test_another_countys_administrator_cannot_touch_the_entry(people: People) -> None:
    entry = propose(people)
    with pytest.raises(NotAllowed):
        blacklist.request_publication(entry, actor=people.neighbour_admin, now=NOW + 9 * DAY)
    with pytest.raises(NotAllowed):
        propose(people, actor=people.neighbour_admin, region_code=COUNTY)


def test_a_school_from_the_register_or_from_another_county(people: People) -> None:
    season = make_season(COUNTY)
    school = make_school(season, "330110-P1", "城东小学")
    entry = propose(people, subject="school", school=school, school_name="", principal_name="某某")
    assert (entry.school_name, entry.school_code, entry.principal_name) == (
        "城东小学",
        "330110-P1",
        "",
    )
    other = make_school(make_season(NEIGHBOUR, "邻县"), "330122-P1", "邻县小学")
    with pytest.raises(NotAllowed):
        propose(people, subject="school", school=other)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": "teacher"}, "subject"),
        ({"principal_name": ""}, "principal_name"),
        ({"school_name": " "}, "school_name"),
        ({"violation": ""}, "violation"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"objection_days": 0}, "objection_days"),
        ({"objection_days": 31}, "objection_days"),
        ({"repair_days": 5000}, "repair_days"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(
    people: People, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as error:
        propose(people, **overrides)
    assert error.value.field == field
    assert not BlacklistEntry.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_system_proposes_only_with_an_explicit_county(people: People) -> None:
    with pytest.raises(Invalid):
        propose(people, actor="cli:root", region_code="")
    entry = propose(people, actor="cli:root", region_code=NEIGHBOUR)
    assert entry.region_code == NEIGHBOUR
    assert entry.proposed_by is None


def test_the_public_sees_published_entries_only_with_names_masked(people: People) -> None:
    propose(people, principal_name="张三丰")  # still in its objection window
    shown = published(people)
    rows = public_entries()
    assert [r.pk for r in rows] == [shown.pk]
    row = rows[0]
    assert row.principal == "欧**辉"
    assert "欧阳明辉" not in row.violation
    assert row.violation.startswith("欧**辉校长")
    assert public_entries("3302") == []
    blacklist.review_exit(
        shown, actor=people.admin, passed=True, review="合格", now=NOW + 400 * DAY
    )
    assert public_entries() == []
