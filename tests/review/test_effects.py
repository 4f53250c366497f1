"""The season run honours final review outcomes and approved overrides, and nothing else."""

from __future__ import annotations

import json

import pytest

from sunshine.admissions.models import Admission, Application, Decision, SeasonRun
from sunshine.admissions.services import run_season
from sunshine.audit.models import AuditEvent
from sunshine.review import overrides, services
from sunshine.review.effects import review_effects
from sunshine.review.models import Override
from tests.review.world import World

pytestmark = pytest.mark.django_db


def outcome(run: SeasonRun) -> dict[str, tuple[str, str | None]]:
    return {
        d.application.code: (d.status, d.school.code if d.school else None)
        for d in Decision.objects.filter(run=run).select_related("application", "school")
    }


def decision(run: SeasonRun, code: str) -> Decision:
    return Decision.objects.get(run=run, application__code=code)


def p1_winner(run: SeasonRun) -> str:
    return next(code for code, (_, school) in outcome(run).items() if school == "P1")


def raise_to_first_tier(world: World, code: str) -> Override:
    return overrides.request_override(
        actor=world.officer,
        application_id=world.apps[code].pk,
        kind="tier",
        school="P1",
        to_tier=1,
        reason="户籍迁入材料晚到，已核实",
    )


def test_an_approved_tier_change_changes_the_outcome_and_says_so(world: World) -> None:
    baseline = run_season(world.season, actor="test")
    winner = p1_winner(baseline)
    loser = next(c for c in ("K1", "K2", "K3") if c != winner)
    o = raise_to_first_tier(world, loser)
    overrides.approve_override(actor=world.reviewer, override_id=o.pk, note="同意")
    after = run_season(world.season, actor="test")
    assert p1_winner(after) == loser
    assert outcome(after)[winner] == ("admitted", "P2")
    changed = decision(after, loser)
    assert changed.tier == 1
    assert f"override #{o.pk}" in changed.explanation["en"]
    assert "户籍迁入材料晚到" in changed.explanation["en"]
    assert f"更正申请 #{o.pk}" in changed.explanation["zh"]
    assert Admission.objects.get(application__code=loser).school == world.p1
    event = AuditEvent.objects.filter(action="season.run").order_by("-seq").first()
    assert event is not None
    assert json.loads(event.canonical)["detail"]["overrides"] == [o.pk]
    # the lottery is not touched: the same numbers either way
    assert after.lottery_seed == baseline.lottery_seed
    assert decision(after, loser).lottery_number == decision(baseline, loser).lottery_number


def test_pending_and_refused_overrides_change_nothing(world: World) -> None:
    baseline = outcome(run_season(world.season, actor="test"))
    loser = next(c for c in ("K1", "K2", "K3") if baseline[c][1] != "P1")
    o = raise_to_first_tier(world, loser)
    pending = run_season(world.season, actor="test")
    assert outcome(pending) == baseline
    assert "override" not in decision(pending, loser).explanation["en"]
    overrides.refuse_override(actor=world.reviewer, override_id=o.pk, note="材料不足")
    assert outcome(run_season(world.season, actor="test")) == baseline
    assert review_effects(world.season).overrides == ()


def test_a_final_rejection_makes_the_application_ineligible_with_the_reason(world: World) -> None:
    baseline = run_season(world.season, actor="test")
    winner = p1_winner(baseline)
    app = world.apps[winner]
    services.decide(
        actor=world.officer, application_id=app.pk, level=1, decision="reject", reason="虚假材料"
    )
    # a first-level rejection awaiting level 2 does not block anything
    assert outcome(run_season(world.season, actor="test")) == outcome(baseline)
    services.decide(
        actor=world.reviewer,
        application_id=app.pk,
        level=2,
        decision="reject",
        reason="复核确认房产证明系伪造",
    )
    after = run_season(world.season, actor="test")
    rejected = decision(after, winner)
    assert rejected.status == Application.Status.INELIGIBLE
    assert rejected.school is None
    assert "复核确认房产证明系伪造" in rejected.explanation["zh"]
    assert "Rejected at the second level of review" in rejected.explanation["en"]
    assert p1_winner(after) != winner
    assert Application.objects.get(pk=app.pk).status == Application.Status.INELIGIBLE


def test_a_second_level_pass_changes_nothing(world: World) -> None:
    baseline = outcome(run_season(world.season, actor="test"))
    app = world.apps["K4"]  # under age: ineligible
    services.decide(actor=world.officer2, application_id=app.pk, level=1, decision="pass")
    services.decide(actor=world.reviewer, application_id=app.pk, level=2, decision="pass")
    assert outcome(run_season(world.season, actor="test")) == baseline
    assert baseline["K4"] == ("ineligible", None)


def test_an_approved_exception_makes_the_check_count_as_passed(world: World) -> None:
    app = world.apps["K4"]
    o = overrides.request_override(
        actor=world.officer2,
        application_id=app.pk,
        kind="exception",
        check="age",
        reason="经批准提前入学",
    )
    assert outcome(run_season(world.season, actor="test"))["K4"] == ("ineligible", None)
    overrides.approve_override(actor=world.admin, override_id=o.pk)
    after = run_season(world.season, actor="test")
    assert outcome(after)["K4"] == ("admitted", "P2")
    assert f"counts as passed by override #{o.pk}" in decision(after, "K4").explanation["en"]
    assert "入学年龄" in decision(after, "K4").explanation["zh"]
