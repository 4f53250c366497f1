"""Each service against every role: who may, and who is refused (with nothing written)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sunshine.audit.models import AuditEvent
from sunshine.errors import NotAllowed
from sunshine.oversight import answers, casework, exports, services, sweep
from sunshine.oversight.models import AnswerTemplate, Case
from tests.oversight.conftest import REGION, People, approved_template, at, new_case

EVERYONE = (
    "admin",
    "admin2",
    "reviewer",
    "inspector",
    "supervisor",
    "other_admin",
    "other_supervisor",
    "school_staff",
    "parent",
    "notary",
    "witness",
)


def _accepted(people: People) -> Case:
    case = new_case()
    return services.decide_case(case, actor=people.admin, accept=True)


def _replied(people: People) -> Case:
    case = _accepted(people)
    return casework.reply_case(case, actor=people.admin, template=approved_template(people))


def _closed(people: People) -> Case:
    return casework.close_case(_replied(people), actor=people.admin, satisfaction="satisfied")


Step = Callable[[People, Any], object]

# service -> (how to prepare its case, how to call it as ``user``, roles allowed)
MATRIX: dict[str, tuple[Callable[[People], Any], Step, set[str]]] = {
    "decide": (
        lambda p: new_case(),
        lambda p, u, c=None: services.decide_case(c, actor=u, accept=True),
        {"admin", "admin2", "supervisor"},  # admin is the handler; admin2 its colleague
    ),
    "extend": (
        _accepted,
        lambda p, u, c=None: services.extend_case(c, actor=u, days=5, reason="复杂"),
        {"admin2", "supervisor"},  # never the handler (admin) itself
    ),
    "reply": (
        _accepted,
        lambda p, u, c=None: casework.reply_case(
            c, actor=u, template=AnswerTemplate.objects.get(status="approved")
        ),
        {"admin"},  # 谁承办、谁答复
    ),
    "close": (
        _replied,
        lambda p, u, c=None: casework.close_case(c, actor=u, satisfaction=None),
        {"admin", "admin2", "supervisor"},
    ),
    "transfer": (
        _accepted,
        lambda p, u, c=None: casework.transfer_case(c, actor=u, disposition="talk"),
        {"admin", "admin2", "inspector", "supervisor"},
    ),
    "reassign": (
        lambda p: new_case(),
        lambda p, u, c=None: casework.reassign_case(c, actor=u, handler=p.inspector, reason="改派"),
        {"admin", "admin2", "supervisor"},
    ),
    "reopen": (
        _closed,
        lambda p, u, c=None: casework.reopen_case(c, actor=u, reason="回头看"),
        {"admin", "admin2", "supervisor"},
    ),
}


def _prepare(name: str, people: People) -> Case:
    prepare = MATRIX[name][0]
    case = prepare(people)
    if name == "reply":
        approved_template(people)
    return case


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_lifecycle_services_by_role(people: People, name: str, role: str) -> None:
    case = _prepare(name, people)
    user = getattr(people, role)
    call = MATRIX[name][1]
    allowed = role in MATRIX[name][2]
    before = AuditEvent.objects.count()
    if allowed:
        call(people, user, case)
        assert AuditEvent.objects.count() > before
    else:
        with pytest.raises(NotAllowed):
            call(people, user, case)
        assert AuditEvent.objects.count() == before
        assert Case.objects.get(pk=case.pk).status == case.status


@pytest.mark.parametrize("role", EVERYONE)
def test_drafting_approving_and_retiring_answers_by_role(people: People, role: str) -> None:
    user = getattr(people, role)
    drafts = {"admin", "admin2", "reviewer", "inspector", "supervisor"}
    approves = {"admin", "admin2", "supervisor"}

    def draft() -> AnswerTemplate:
        return answers.draft_template(
            actor=user, region_prefix=REGION, category="other", title="t", body="b"
        )

    if role in drafts:
        assert draft().status == "draft"
    else:
        with pytest.raises(NotAllowed):
            draft()
    mine = answers.draft_template(
        actor=people.reviewer, region_prefix=REGION, category="other", title="r", body="b"
    )
    if role in approves:
        assert answers.approve_template(mine, actor=user).status == "approved"
        assert answers.retire_template(mine, actor=user).status == "retired"
    else:
        with pytest.raises(NotAllowed):
            answers.approve_template(mine, actor=user)


def test_a_supervisor_drafts_and_approves_for_its_city(people: People) -> None:
    t = answers.draft_template(
        actor=people.supervisor, region_prefix="3301", category="other", title="t", body="b"
    )
    with pytest.raises(NotAllowed, match="second person"):
        answers.approve_template(t, actor=people.supervisor)
    with pytest.raises(NotAllowed):
        answers.approve_template(t, actor=people.admin)  # a county may not approve for the city
    with pytest.raises(NotAllowed):
        answers.approve_template(t, actor=people.other_supervisor)


@pytest.mark.parametrize("role", EVERYONE)
def test_sweeping_and_exporting_by_role(people: People, role: str) -> None:
    user = getattr(people, role)
    if role in {"admin", "admin2", "supervisor", "other_admin", "other_supervisor"}:
        sweep.sweep_clocks(at(2030, 1, 1), actor=user)
    else:
        with pytest.raises(NotAllowed):
            sweep.sweep_clocks(at(2030, 1, 1), actor=user)
    if role in {"school_staff", "parent", "notary", "witness"}:
        with pytest.raises(NotAllowed):
            exports.export_cases(actor=user)
    else:
        assert exports.export_cases(actor=user).startswith(b"PK")


@pytest.mark.parametrize("role", EVERYONE)
def test_who_may_enter_a_hotline_call_for_this_county(people: People, role: str) -> None:
    user = getattr(people, role)
    enter = {"admin", "admin2", "reviewer", "inspector", "supervisor"}

    def call() -> Case:
        return new_case(actor=user, channel="hotline", received_at=at(2025, 6, 3, 10))

    if role in enter:
        assert call().channel == "hotline"
    else:
        with pytest.raises(NotAllowed):
            call()


def test_a_parent_objects_only_to_its_own_childs_application(people: People, county: Any) -> None:
    def objection(application: Any) -> Case:
        return services.submit_case(
            actor=people.parent,
            kind="objection",
            category="admission_result",
            summary="异议",
            region_code=REGION,
            channel="family",
            application=application,
            anonymous=False,
        )

    assert objection(county.applications["a1"]).application == county.applications["a1"]
    with pytest.raises(NotAllowed, match="own child"):
        objection(county.applications["a2"])
    assert Case.objects.count() == 1
