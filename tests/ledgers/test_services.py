"""Adding, changing and voiding ledger rows: numbering per county, scope, audit, atomicity."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed, NotFound
from sunshine.ledgers import services
from sunshine.ledgers.models import (
    InspectionVisit,
    ProblemClue,
    Rectification,
    Violation,
    VisitProblem,
)
from tests.ledgers.builders import HOME, OTHER, SAMPLE, People, add, add_problem

pytestmark = pytest.mark.django_db
KINDS = ("clue", "violation", "rectification", "visit")


def test_numbers_run_per_county_and_ledger(people: People) -> None:
    assert [add("clue", people.admin).number for _ in range(3)] == [1, 2, 3]
    assert add("violation", people.admin).number == 1
    assert add("clue", people.other_admin, region=OTHER).number == 1
    assert ProblemClue.objects.filter(region_code=HOME).count() == 3


def test_a_voided_number_is_never_given_again(people: People) -> None:
    add("clue", people.admin)
    add("clue", people.admin)
    services.void_row("clue", HOME, 2, actor=people.admin, reason="重复登记")
    assert add("clue", people.admin).number == 3


def test_created_row_holds_the_values_and_who_made_it(people: People) -> None:
    row = add("rectification", people.reviewer)
    assert isinstance(row, Rectification)
    assert (row.issue, row.deadline) == (SAMPLE["rectification"]["issue"], dt.date(2024, 7, 31))
    assert row.status == Rectification.Status.IN_PROGRESS
    assert row.created_by == people.reviewer == row.updated_by
    assert row.created_at is not None


@pytest.mark.parametrize("kind", KINDS)
def test_every_change_is_audited_without_the_text(people: People, kind: str) -> None:
    actor = people.inspector if kind == "visit" else people.admin
    row = add(kind, actor)
    first = next(iter(services.ledger_spec(kind).editable))
    services.update_row(
        kind,
        HOME,
        row.number,
        actor=actor,
        changes={first.field: "2024-07-11" if first.kind == "date" else "改过的内容"},
    )
    services.void_row(kind, HOME, row.number, actor=actor, reason="录入错误")
    events = list(AuditEvent.objects.filter(object_type=f"ledgers.{kind}").order_by("seq"))
    assert [e.action for e in events] == [
        f"ledgers.{kind}.created",
        f"ledgers.{kind}.updated",
        f"ledgers.{kind}.voided",
    ]
    assert {e.object_id for e in events} == {f"{HOME}:{row.number}"}
    body = json.loads(events[1].canonical)
    assert body["detail"]["fields"] == [first.field]
    assert body["before"]
    assert body["after"]
    assert body["before"] != body["after"]
    for event in events:
        for value in SAMPLE[kind].values():
            if isinstance(value, str) and len(value) > 2:
                assert value not in event.canonical  # clue text may name a person
        assert "录入错误" not in event.canonical


def test_an_unchanged_save_records_nothing(people: People) -> None:
    row = add("clue", people.admin)
    before = AuditEvent.objects.count()
    services.update_row("clue", HOME, row.number, actor=people.admin, changes=SAMPLE["clue"])
    assert AuditEvent.objects.count() == before


def test_update_keeps_the_columns_not_given(people: People) -> None:
    row = add("clue", people.admin)
    services.update_row(
        "clue", HOME, row.number, actor=people.admin, changes={"result": "属实，已处理"}
    )
    row.refresh_from_db()
    assert isinstance(row, ProblemClue)
    assert (row.summary, row.result) == (SAMPLE["clue"]["summary"], "属实，已处理")


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("clue", {"summary": ""}, "summary"),
        ("clue", {"summary": "x" * 2001}, "summary"),
        ("clue", {"summary": "含\x07控制字符"}, "summary"),
        ("violation", {"violator": "  "}, "violator"),
        ("rectification", {"deadline": "明天"}, "deadline"),
        ("rectification", {"deadline": None}, "deadline"),
        ("visit", {"method": "夜访"}, "method"),
        ("visit", {"visit_date": "2024-02-30"}, "visit_date"),
    ],
)
def test_bad_values_are_refused_with_their_field(
    people: People, kind: str, values: dict[str, object], field: str
) -> None:
    actor = people.inspector if kind == "visit" else people.admin
    with pytest.raises(Invalid) as caught:
        add(kind, actor, **values)
    assert caught.value.field == field
    assert not services.ledger_spec(kind).manager().exists()
    assert not AuditEvent.objects.exists()


def test_text_is_normalised_once(people: People) -> None:
    row = add("clue", people.admin, summary="  第一行\r\n第二行\r  ")
    assert isinstance(row, ProblemClue)
    assert row.summary == "第一行\n第二行"


def test_choice_accepts_label_or_code(people: People) -> None:
    by_label = add("visit", people.inspector, method="明察")
    by_code = add("visit", people.inspector, method="covert")
    assert isinstance(by_label, InspectionVisit)
    assert isinstance(by_code, InspectionVisit)
    assert (by_label.method, by_code.method) == ("open", "covert")


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        ("admin", "clue", True),
        ("reviewer", "rectification", True),
        ("inspector", "clue", True),
        ("inspector", "violation", True),
        ("inspector", "visit", True),
        ("inspector", "rectification", False),
        ("supervisor", "clue", False),
        ("other_admin", "clue", False),
        ("school_staff", "clue", False),
        ("parent", "visit", False),
    ],
)
def test_who_may_write_which_ledger(people: People, role: str, kind: str, allowed: bool) -> None:
    actor = getattr(people, role)
    if allowed:
        assert add(kind, actor).number == 1
    else:
        with pytest.raises(NotAllowed):
            add(kind, actor)
        assert not services.ledger_spec(kind).manager().exists()


def test_a_row_of_another_county_cannot_be_changed(people: People) -> None:
    add("clue", people.admin)
    with pytest.raises(NotAllowed):
        services.update_row("clue", HOME, 1, actor=people.other_admin, changes={"result": "x"})
    with pytest.raises(NotAllowed):
        services.void_row("clue", HOME, 1, actor=people.other_admin, reason="x")


def test_unknown_ledger_row_and_county(people: People) -> None:
    with pytest.raises(NotFound):
        services.update_row("clue", HOME, 9, actor=people.admin, changes={})
    with pytest.raises(NotFound):
        services.create_row("blacklist", HOME, actor=people.admin, values={})
    with pytest.raises(Invalid):
        services.create_row("clue", "3301", actor="system", values=SAMPLE["clue"])


def test_void_needs_a_reason_and_happens_once(people: People) -> None:
    add("clue", people.admin)
    with pytest.raises(Invalid):
        services.void_row("clue", HOME, 1, actor=people.admin, reason=" ")
    services.void_row("clue", HOME, 1, actor=people.admin, reason="重复")
    with pytest.raises(Conflict):
        services.void_row("clue", HOME, 1, actor=people.admin, reason="重复")
    with pytest.raises(Conflict):
        services.update_row("clue", HOME, 1, actor=people.admin, changes={"result": "x"})


def test_violation_links_to_a_clue_of_its_own_county(people: People) -> None:
    clue = add("clue", people.inspector)
    row = services.create_row(
        "violation",
        HOME,
        actor=people.inspector,
        values=SAMPLE["violation"],
        extras={"clue": clue.number},
    )
    assert isinstance(row, Violation)
    assert row.clue == clue
    add("clue", people.other_admin, region=OTHER)
    add("clue", people.other_admin, region=OTHER)
    with pytest.raises(Invalid) as caught:
        services.update_row(
            "violation", HOME, 1, actor=people.admin, changes={}, extras={"clue": 2}
        )
    assert caught.value.field == "clue"
    services.update_row("violation", HOME, 1, actor=people.admin, changes={}, extras={"clue": None})
    row.refresh_from_db()
    assert row.clue is None


def test_clue_keeps_an_oversight_case_code(people: People) -> None:
    row = services.create_row(
        "clue",
        HOME,
        actor=people.admin,
        values=SAMPLE["clue"],
        extras={"case_code": "TS-2024-0012"},
    )
    assert isinstance(row, ProblemClue)
    assert row.case_code == "TS-2024-0012"
    with pytest.raises(Invalid):
        services.create_row(
            "violation",
            HOME,
            actor=people.admin,
            values=SAMPLE["violation"],
            extras={"case_code": "x"},
        )


def test_problems_hang_on_an_active_visit(people: People) -> None:
    visit = add("visit", people.inspector)
    problem = add_problem(people.inspector, visit.number)
    assert isinstance(problem, VisitProblem)
    assert problem.visit == visit
    assert problem.status == VisitProblem.Status.IN_PROGRESS
    assert list(visit.problems.all()) == [problem]  # type: ignore[attr-defined]
    with pytest.raises(Invalid) as caught:
        add_problem(people.inspector, 7)
    assert caught.value.field == "visit"
    with pytest.raises(Conflict):
        services.void_row("visit", HOME, visit.number, actor=people.inspector, reason="x")
    services.void_row("visit_problem", HOME, problem.number, actor=people.inspector, reason="误报")
    services.void_row("visit", HOME, visit.number, actor=people.inspector, reason="重复")
    with pytest.raises(Invalid):
        add_problem(people.inspector, visit.number)


def test_a_problem_moves_to_another_visit(people: People) -> None:
    first, second = add("visit", people.inspector), add("visit", people.inspector)
    add_problem(people.inspector, first.number)
    row = services.update_row(
        "visit_problem",
        HOME,
        1,
        actor=people.inspector,
        changes={"visit": second.number, "status": "已完成"},
    )
    assert isinstance(row, VisitProblem)
    assert (row.visit, row.status) == (second, "done")
