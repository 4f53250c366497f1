"""Each ledger round-trips through .xlsx: export a county's ledger, import it into an empty
county, export again, and the two files hold the same cells (the unit line names each county)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.ledgers import services
from sunshine.ledgers.checklist import load_checklist
from sunshine.ledgers.checklist_services import fill_checklist_item
from sunshine.ledgers.queries import ledger_rows
from sunshine.ledgers.specs import CLUE, RECTIFICATION, SPECS, VIOLATION, VISIT, VISIT_PROBLEM
from sunshine.ledgers.specs import row_values as stored
from sunshine.ledgers.xlsx_services import (
    export_checklist,
    export_ledger,
    import_checklist,
    import_ledger,
)
from tests.ledgers.builders import HOME, OTHER, People, sheet_cells
from tests.ledgers.strategies import row_values, texts

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 7, 25)
EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _round_trip(kind: str, people: People) -> None:
    """Export HOME, import into the empty OTHER, export OTHER; compare files and rows."""
    first = export_ledger(kind, HOME, actor=people.supervisor, today=DAY).data
    import_ledger(kind, OTHER, first, actor=people.other_admin)
    second = export_ledger(kind, OTHER, actor=people.supervisor, today=DAY).data
    a, b = sheet_cells(first), sheet_cells(second)
    assert a[0] == b[0]
    assert a[2:] == b[2:]
    assert "示范县教育局" in a[1][0]
    assert "邻县教育局" in b[1][0]
    assert a[1][0].replace("示范县", "邻县") == b[1][0]
    home = [
        (r.number, stored(SPECS[kind], r)) for r in ledger_rows(kind, HOME, include_voided=False)
    ]
    other = [(r.number, stored(SPECS[kind], r)) for r in ledger_rows(kind, OTHER)]
    assert home == other


@pytest.mark.parametrize("spec", [CLUE, VIOLATION, VISIT], ids=lambda s: s.kind)
def test_a_ledger_round_trips(people: People, spec: Any) -> None:
    @EXAMPLES
    @given(
        rows=st.lists(row_values(spec), min_size=0, max_size=4), voided=st.sets(st.integers(1, 4))
    )
    def check(rows: list[dict[str, Any]], voided: set[int]) -> None:
        with transaction.atomic():
            actor = people.admin
            for values in rows:
                services.create_row(spec.kind, HOME, actor=actor, values=values)
            for number in sorted(voided):
                if number <= len(rows):
                    services.void_row(spec.kind, HOME, number, actor=actor, reason="作废")
            _round_trip(spec.kind, people)
            transaction.set_rollback(True)

    check()


FATES = st.sampled_from(["open", "done", "reopened", "confirmed"])


@EXAMPLES
@given(rows=st.lists(st.tuples(row_values(RECTIFICATION), FATES, texts(required=True)), max_size=4))
def test_the_rectification_ledger_round_trips_with_its_states(
    people: People, rows: list[tuple[dict[str, Any], str, str]]
) -> None:
    with transaction.atomic():
        for values, fate, note in rows:
            row = services.create_row("rectification", HOME, actor=people.admin, values=values)
            if fate == "open":
                continue
            services.complete_rectification(HOME, row.number, actor=people.admin, on=DAY)
            if fate != "done":
                reopen = fate == "reopened"
                services.follow_up_rectification(
                    HOME, row.number, actor=people.supervisor, reopen=reopen, note=note, on=DAY
                )
        _round_trip("rectification", people)
        transaction.set_rollback(True)


@EXAMPLES
@given(
    visits=st.lists(row_values(VISIT), min_size=1, max_size=3),
    problems=st.lists(st.tuples(st.integers(0, 2), row_values(VISIT_PROBLEM)), max_size=4),
)
def test_the_visit_and_problem_ledgers_round_trip_linked(
    people: People, visits: list[dict[str, Any]], problems: list[tuple[int, dict[str, Any]]]
) -> None:
    with transaction.atomic():
        for values in visits:
            services.create_row("visit", HOME, actor=people.inspector, values=values)
        for index, values in problems:
            number = index % len(visits) + 1
            services.create_row(
                "visit_problem", HOME, actor=people.inspector, values={**values, "visit": number}
            )
        _round_trip("visit", people)  # the visits first: the problems refer to them
        _round_trip("visit_problem", people)
        transaction.set_rollback(True)


@EXAMPLES
@given(answers=st.dictionaries(st.integers(1, 26), st.tuples(texts(), texts()), max_size=8))
def test_the_checklist_round_trips(people: People, answers: dict[int, tuple[str, str]]) -> None:
    with transaction.atomic():
        for item, (measures, conclusion) in answers.items():
            fill_checklist_item(
                HOME, item, actor=people.admin, measures=measures, conclusion=conclusion
            )
        first = export_checklist(HOME, actor=people.supervisor, today=DAY).data
        import_checklist(OTHER, first, actor=people.other_admin)
        second = export_checklist(OTHER, actor=people.supervisor, today=DAY).data
        a, b = sheet_cells(first), sheet_cells(second)
        assert (a[0], a[2:]) == (b[0], b[2:])
        assert len(a) == 3 + len(load_checklist().items)
        for item, (measures, conclusion) in answers.items():
            assert a[2 + item][3:] == [measures or None, conclusion or None]
        transaction.set_rollback(True)
