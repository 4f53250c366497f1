"""The ceremony's state machine, its refusals, and its audit trail, on a real database."""

from __future__ import annotations

import pytest

from sunshine.admissions.models import Application, Season
from sunshine.audit.models import AuditEvent
from sunshine.ceremony import services
from sunshine.ceremony.errors import InvalidInput, MissingInputs, NotPermitted, WrongState
from sunshine.ceremony.models import Ceremony, Redraw
from sunshine.core.lottery import freeze_pool
from tests.ceremony.conftest import People, announced, drawn, published

pytestmark = pytest.mark.django_db
State = Ceremony.State


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_the_happy_path_goes_through_every_state_and_logs_every_step(
    season: Season, people: People
) -> None:
    ceremony = services.freeze_pool(season, actor=people.admin, label="实验小学 2025")
    assert ceremony.state == State.FROZEN
    codes = sorted(Application.objects.filter(season=season).values_list("code", flat=True))
    assert ceremony.pool_ids == codes
    assert ceremony.pool().fingerprint() == ceremony.pool_fingerprint
    services.announce(
        ceremony,
        actor=people.admin,
        witness_roles=["notary", "discipline_inspector"],
        beacon_source="drand quicknet",
        beacon_round=99,
    )
    assert ceremony.state == State.ANNOUNCED
    services.add_witness_input(ceremony, actor=people.notary, role="notary", name="张", value="1")
    services.add_witness_input(
        ceremony, actor=people.inspector, role="discipline_inspector", name="赵", value="2"
    )
    services.enter_beacon(ceremony, actor=people.admin, value="00ff")
    services.draw(ceremony, actor=people.admin)
    assert ceremony.state == State.DRAWN
    assert len(ceremony.seed) == 64
    assert ceremony.seed_inputs().beacon is not None
    services.publish(ceremony, actor=people.admin)
    assert ceremony.state == State.PUBLISHED
    assert ceremony.published_at is not None
    assert actions()[-7:] == [
        "ceremony.frozen",
        "ceremony.announced",
        "ceremony.witness_input",
        "ceremony.witness_input",
        "ceremony.beacon",
        "ceremony.drawn",
        "ceremony.published",
    ]
    drawn_event = AuditEvent.objects.get(action="ceremony.drawn")
    assert ceremony.seed in drawn_event.canonical


def test_a_witness_value_stays_out_of_the_log_until_the_transcript(
    season: Season, people: People
) -> None:
    ceremony = announced(season, people)
    services.add_witness_input(
        ceremony, actor=people.notary, role="notary", name="张", value="secret-271828"
    )
    event = AuditEvent.objects.get(action="ceremony.witness_input")
    assert "secret-271828" not in event.canonical
    assert '"role":"notary"' in event.canonical


def test_the_pool_does_not_follow_later_changes_to_the_applications(
    season: Season, people: People
) -> None:
    ceremony = services.freeze_pool(season, actor=people.admin, label="x")
    frozen = ceremony.pool_fingerprint
    Application.objects.filter(season=season).order_by("code").first().delete()  # type: ignore[union-attr]
    ceremony.refresh_from_db()
    assert ceremony.pool_fingerprint == frozen
    assert ceremony.pool().fingerprint() == frozen
    codes = list(Application.objects.filter(season=season).values_list("code", flat=True))
    assert freeze_pool(codes)[0].fingerprint() != frozen


def test_draw_is_refused_before_the_announcement(season: Season, people: People) -> None:
    ceremony = services.freeze_pool(season, actor=people.admin, label="x")
    with pytest.raises(WrongState, match="frozen"):
        services.draw(ceremony, actor=people.admin)
    assert not AuditEvent.objects.filter(action="ceremony.drawn").exists()


def test_draw_is_refused_while_an_announced_input_is_missing(
    season: Season, people: People
) -> None:
    ceremony = announced(season, people, beacon=True)
    services.add_witness_input(ceremony, actor=people.notary, role="notary", name="张", value="1")
    with pytest.raises(MissingInputs) as refused:
        services.draw(ceremony, actor=people.admin)
    assert refused.value.missing == [
        "witness parent_representative",
        "beacon drand quicknet round 1234",
    ]
    ceremony.refresh_from_db()
    assert ceremony.state == State.ANNOUNCED
    assert not ceremony.seed


def test_witness_input_is_refused_after_the_draw(season: Season, people: People) -> None:
    ceremony = drawn(season, people)
    with pytest.raises(WrongState, match="drawn"):
        services.add_witness_input(
            ceremony, actor=people.inspector, role="notary", name="赵", value="9"
        )


@pytest.mark.parametrize("who", ["parent", "admin"])
def test_only_notaries_witnesses_and_inspectors_type_inputs(
    season: Season, people: People, who: str
) -> None:
    ceremony = announced(season, people)
    with pytest.raises(NotPermitted):
        services.add_witness_input(
            ceremony, actor=getattr(people, who), role="notary", name="x", value="1"
        )
    assert not ceremony.inputs.exists()


def test_an_unannounced_or_repeated_role_is_refused(season: Season, people: People) -> None:
    ceremony = announced(season, people)
    with pytest.raises(InvalidInput, match="not announced"):
        services.add_witness_input(
            ceremony, actor=people.notary, role="bureau", name="x", value="1"
        )
    services.add_witness_input(ceremony, actor=people.notary, role="notary", name="x", value="1")
    with pytest.raises(InvalidInput, match="already"):
        services.add_witness_input(
            ceremony, actor=people.notary, role="notary", name="y", value="2"
        )


def test_a_parent_account_cannot_run_the_ceremony(season: Season, people: People) -> None:
    with pytest.raises(NotPermitted):
        services.freeze_pool(season, actor=people.parent, label="x")
    assert not Ceremony.objects.exists()


def test_a_redraw_needs_a_reason_and_a_second_person(season: Season, people: People) -> None:
    ceremony = drawn(season, people)
    with pytest.raises(InvalidInput, match="reason"):
        services.redraw(ceremony, actor=people.admin, reason="  ", approver=people.second_admin)
    with pytest.raises(NotPermitted, match="second person"):
        services.redraw(ceremony, actor=people.admin, reason="断电", approver=people.admin)
    with pytest.raises(NotPermitted):
        services.redraw(ceremony, actor=people.admin, reason="断电", approver=people.parent)
    assert not Redraw.objects.exists()


def test_a_redraw_keeps_the_old_draw_and_gives_a_new_seed(season: Season, people: People) -> None:
    ceremony = drawn(season, people)
    first_seed, first_transcript = ceremony.seed, ceremony.transcript
    entry = services.redraw(
        ceremony, actor=people.admin, reason="现场投影故障", approver=people.second_admin
    )
    assert ceremony.state == State.ANNOUNCED
    assert not ceremony.inputs.exists()
    assert (entry.previous_seed, entry.previous_transcript) == (first_seed, first_transcript)
    assert entry.approver == f"user:{people.second_admin.pk}"
    event = AuditEvent.objects.get(action="ceremony.redraw")
    assert "现场投影故障" in event.canonical
    assert entry.approver in event.canonical
    # The same witnesses typing the same values still give a new seed: the label names the redraw.
    services.add_witness_input(
        ceremony, actor=people.notary, role="notary", name="张公证", value="314159"
    )
    services.add_witness_input(
        ceremony, actor=people.parent_rep, role="parent_representative", name="李家长", value="27"
    )
    services.draw(ceremony, actor=people.admin)
    assert ceremony.seed != first_seed
    assert ceremony.label.endswith("redraw 1")


def test_a_published_draw_cannot_be_redrawn_or_published_again(
    season: Season, people: People
) -> None:
    ceremony = published(season, people)
    with pytest.raises(WrongState):
        services.redraw(ceremony, actor=people.admin, reason="r", approver=people.second_admin)
    with pytest.raises(WrongState):
        services.publish(ceremony, actor=people.admin)


def test_announce_refuses_a_half_named_beacon_and_duplicate_roles(
    season: Season, people: People
) -> None:
    ceremony = services.freeze_pool(season, actor=people.admin, label="x")
    with pytest.raises(InvalidInput, match="beacon"):
        services.announce(ceremony, actor=people.admin, witness_roles=["a"], beacon_source="drand")
    with pytest.raises(InvalidInput, match="twice"):
        services.announce(ceremony, actor=people.admin, witness_roles=["a", "a"])
    with pytest.raises(InvalidInput):
        services.announce(ceremony, actor=people.admin, witness_roles=[])
    assert Ceremony.objects.get(pk=ceremony.pk).state == State.FROZEN


def test_a_malformed_beacon_value_is_refused(season: Season, people: People) -> None:
    ceremony = announced(season, people, beacon=True)
    with pytest.raises(InvalidInput, match="hex"):
        services.enter_beacon(ceremony, actor=people.admin, value="XYZ")
    assert Ceremony.objects.get(pk=ceremony.pk).beacon_value == ""
