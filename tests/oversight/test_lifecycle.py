"""A complaint from intake to transfer to closure, with exact deadlines on the holiday
calendar, and the rules of each step (one extension, counted reassignments and reopenings)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.oversight import answers, casework, services
from sunshine.oversight.models import AnswerTemplate, Case, CaseClock
from tests.oversight.conftest import REGION, People, approved_template, at, new_case

D = dt.date


def _clock(case: Case, name: str, round: int = 1) -> CaseClock:
    return CaseClock.objects.get(case=case, name=name, round=round)


def _events(case: Case) -> list[tuple[str, dict[str, object]]]:
    rows = AuditEvent.objects.filter(object_type="case", object_id=case.code).order_by("seq")
    return [(e.action, json.loads(e.canonical)["detail"]) for e in rows]


def test_a_complaint_from_intake_through_transfer_to_closure_on_exact_deadlines(
    people: People,
) -> None:
    # A call on Saturday 2025-09-20 at 15:30, typed in later by the bureau's administrator.
    case = services.receive_case(
        actor=people.admin,
        kind="tip_off",
        category="admission_fees",
        summary="某小学以赞助费为条件录取",
        region_code=REGION,
        channel="hotline",
        anonymous=False,
        reporter_name="王某",
        reporter_contact="13800000001",
        received_at=at(2025, 9, 20, 15, 30),
    )
    assert case.handler == people.admin
    assert case.status == Case.Status.RECEIVED
    # Acceptance: 15 days from Sep 21 end on Oct 5, inside 国庆 (Oct 1-8): due Thu Oct 9.
    acceptance = _clock(case, "acceptance")
    assert acceptance.started_at == at(2025, 9, 20, 15, 30)
    assert acceptance.due_date == D(2025, 10, 9)
    assert acceptance.due_at == at(2025, 10, 10)
    assert "信访工作条例" in acceptance.source

    case = services.decide_case(case, actor=people.admin, accept=True, at=at(2025, 10, 9, 16))
    assert case.status == Case.Status.ACCEPTED
    assert _clock(case, "acceptance").met is True
    # Handling: 60 days from the decision (Oct 9): Oct 10 is day 1, Dec 8 (a Monday) day 60.
    handling = _clock(case, "handling")
    assert handling.started_at == at(2025, 10, 9, 16)
    assert handling.due_date == D(2025, 12, 8)

    # The one extension, approved by a second administrator before the deadline: 30 days
    # from Dec 8 = Wed 2026-01-07.
    case = services.extend_case(
        case, actor=people.admin2, days=30, reason="需调取学籍系统记录", at=at(2025, 12, 1, 9)
    )
    assert _clock(case, "handling").due_date == D(2026, 1, 7)
    assert case.extension_approver == people.admin2
    with pytest.raises(Conflict, match="only once"):
        services.extend_case(case, actor=people.admin2, days=1, reason="再次", at=at(2025, 12, 2))

    # Discipline inspection takes the clue over and records its disposition.
    case = casework.transfer_case(
        case, actor=people.inspector, disposition="verify", at=at(2025, 12, 10, 10)
    )
    assert case.status == Case.Status.TRANSFERRED
    assert case.handler == people.inspector
    assert case.get_disposition_display() == "初步核实"

    template = approved_template(people)
    case = casework.reply_case(
        case, actor=people.inspector, template=template, note="已责令退费。", at=at(2026, 1, 6, 10)
    )
    assert case.status == Case.Status.REPLIED
    assert case.reply_text.endswith("已责令退费。")
    assert _clock(case, "handling").met is True
    template.refresh_from_db()
    assert template.usage_count == 1

    case = casework.close_case(
        case, actor=people.inspector, satisfaction="basically", at=at(2026, 1, 6, 15)
    )
    assert case.status == Case.Status.CLOSED
    # Feedback to the named reporter: 15 working days after Jan 6 = Tue 2026-01-27.
    assert _clock(case, "feedback").due_date == D(2026, 1, 27)
    case = casework.give_feedback(
        case, actor=people.inspector, note="电话告知处理结果", at=at(2026, 1, 20, 9)
    )
    assert _clock(case, "feedback").met is True

    assert _events(case) == [
        (
            "case.received",
            {
                "region_code": REGION,
                "kind": "tip_off",
                "category": "admission_fees",
                "channel": "hotline",
            },
        ),
        ("case.accepted", {"region_code": REGION, "on_time": True}),
        ("case.extended", {"region_code": REGION, "days": 30}),
        ("case.transferred", {"region_code": REGION, "disposition": "verify"}),
        ("case.replied", {"region_code": REGION, "on_time": True, "template": template.pk}),
        (
            "case.closed",
            {"region_code": REGION, "on_time": True, "satisfaction": "basically"},
        ),
        ("case.feedback_given", {"region_code": REGION, "on_time": True}),
    ]


def test_a_late_decision_does_not_buy_handling_time(people: People) -> None:
    case = new_case(actor=people.admin, channel="hotline", received_at=at(2025, 3, 3, 9))
    # Acceptance due Tue Mar 18 (15 days from Mar 4); decided a week late, on Mar 25.
    assert _clock(case, "acceptance").due_date == D(2025, 3, 18)
    case = services.decide_case(case, actor=people.admin, accept=True, at=at(2025, 3, 25, 9))
    assert _clock(case, "acceptance").met is False
    handling = _clock(case, "handling")
    assert handling.started_at == at(2025, 3, 19)  # the acceptance deadline, not the decision
    assert handling.due_date == D(2025, 5, 19)  # Mar 19 + 60 = May 18, a Sunday
    assert _events(case)[-1] == ("case.accepted", {"region_code": REGION, "on_time": False})


def test_a_declined_named_case_owes_the_reporter_feedback_and_can_be_reopened(
    people: People,
) -> None:
    case = new_case(anonymous=False, reporter_name="李某", reporter_contact="13900000002")
    with pytest.raises(Invalid, match="why"):
        services.decide_case(case, actor=people.admin, accept=False)
    case = services.decide_case(case, actor=people.admin, accept=False, reason="不属于本部门职责")
    assert case.status == Case.Status.DECLINED
    assert case.clocks.filter(name="feedback", stopped_at__isnull=True).exists()
    case = casework.reopen_case(case, actor=people.admin2, reason="复查发现属于职责范围")
    assert case.status == Case.Status.RECEIVED
    assert case.reopen_count == 1
    assert _clock(case, "acceptance", round=2).stopped_at is None


def test_reopening_a_closed_case_starts_a_new_handling_round_and_is_counted(
    people: People, case: Case
) -> None:
    services.decide_case(case, actor=people.admin, accept=True)
    casework.reply_case(case, actor=people.admin, template=approved_template(people))
    casework.close_case(case, actor=people.admin, satisfaction=None)
    case = casework.reopen_case(case, actor=people.supervisor, reason="回头看发现仍在收费")
    assert (case.status, case.reopen_count, case.satisfaction) == (Case.Status.ACCEPTED, 1, "")
    assert _clock(case, "handling", round=2).stopped_at is None
    with pytest.raises(Conflict, match="still open"):
        casework.reopen_case(case, actor=people.supervisor, reason="again")


def test_reassignments_are_counted_and_the_clock_keeps_running_from_arrival(
    people: People, case: Case
) -> None:
    due = _clock(case, "acceptance").due_at
    case = casework.reassign_case(case, actor=people.admin2, handler=people.reviewer, reason="分工")
    case = casework.reassign_case(case, actor=people.admin2, handler=people.admin, reason="退回")
    assert case.reassign_count == 2
    assert _clock(case, "acceptance").due_at == due
    assert case.clocks.count() == 1
    with pytest.raises(Invalid, match="already with this handler"):
        casework.reassign_case(case, actor=people.admin2, handler=people.admin, reason="x")


def test_an_extension_is_refused_after_the_deadline_or_beyond_thirty_days(
    people: People,
) -> None:
    case = new_case(actor=people.admin, channel="hotline", received_at=at(2025, 3, 3, 9))
    case = services.decide_case(case, actor=people.admin, accept=True, at=at(2025, 3, 4, 9))
    with pytest.raises(Invalid, match="1 to 30"):
        services.extend_case(case, actor=people.admin2, days=31, reason="复杂", at=at(2025, 3, 5))
    with pytest.raises(NotAllowed, match="own extension"):
        services.extend_case(case, actor=people.admin, days=10, reason="复杂", at=at(2025, 3, 5))
    with pytest.raises(Conflict, match="has passed"):
        services.extend_case(case, actor=people.admin2, days=10, reason="复杂", at=at(2025, 6, 1))
    assert _clock(case, "handling").extended_by == 0


def test_replies_use_only_an_approved_template_of_the_cases_question_type(
    people: People, case: Case
) -> None:
    services.decide_case(case, actor=people.admin, accept=True)
    draft = answers.draft_template(
        actor=people.reviewer, region_prefix=REGION, category="admission_fees", title="t", body="b"
    )
    with pytest.raises(Invalid, match="approved"):
        casework.reply_case(case, actor=people.admin, template=draft)
    other_type = approved_template(people, category="key_classes")
    with pytest.raises(Invalid, match="another question type"):
        casework.reply_case(case, actor=people.admin, template=other_type)
    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    assert AnswerTemplate.objects.get(pk=other_type.pk).usage_count == 0


def test_the_reporter_may_rate_its_own_case_from_its_account(people: People) -> None:
    case = services.submit_case(
        actor=people.parent,
        kind="objection",
        category="admission_result",
        summary="我家孩子房户一致却被调剂",
        region_code=REGION,
        channel="family",
        application=people.parent.applications.get(),
        anonymous=False,
    )
    assert case.handler == people.reviewer  # objections go to the reviewers by default
    services.decide_case(case, actor=people.reviewer, accept=True)
    template = approved_template(people, category="admission_result")
    casework.reply_case(case, actor=people.reviewer, template=template)
    case = casework.close_case(case, actor=people.parent, satisfaction="unsatisfied")
    assert case.satisfaction == "unsatisfied"
    assert case.reporter.account == people.parent
