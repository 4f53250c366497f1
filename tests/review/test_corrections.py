"""Correcting mistakes: withdrawing an approved override and reopening a final (level-2)
decision, at the service layer, through the pages and the API, and through the season run."""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Application, Decision, SeasonRun
from sunshine.admissions.services import run_season
from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed, NotFound
from sunshine.review import overrides, services
from sunshine.review.effects import review_effects
from sunshine.review.models import CaseState, Override, ReviewCase, ReviewRecord
from tests.portal.factories import make_user
from tests.review.world import OTHER_REGION, World

pytestmark = pytest.mark.django_db


def outcome(run: SeasonRun) -> dict[str, tuple[str, str | None]]:
    return {
        d.application.code: (d.status, d.school.code if d.school else None)
        for d in Decision.objects.filter(run=run).select_related("application", "school")
    }


def p1_winner(run: SeasonRun) -> str:
    return next(code for code, (_, school) in outcome(run).items() if school == "P1")


def approved_tier_change(world: World, code: str) -> Override:
    o = overrides.request_override(
        actor=world.officer,
        application_id=world.apps[code].pk,
        kind="tier",
        school="P1",
        to_tier=1,
        reason="户籍迁入材料晚到，已核实",
    )
    return overrides.approve_override(actor=world.reviewer, override_id=o.pk, note="同意")


def rejected_at_level_two(world: World, code: str) -> ReviewRecord:
    app = world.apps[code]
    services.decide(
        actor=world.officer, application_id=app.pk, level=1, decision="reject", reason="虚假材料"
    )
    return services.decide(
        actor=world.reviewer, application_id=app.pk, level=2, decision="reject", reason="伪造"
    )


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- withdrawing an approved override -----------------------------------------------------------


def test_a_withdrawn_override_stays_in_the_history_and_no_longer_applies(world: World) -> None:
    baseline = run_season(world.season, actor="test")
    winner = p1_winner(baseline)
    loser = next(c for c in ("K1", "K2", "K3") if c != winner)
    o = approved_tier_change(world, loser)
    assert p1_winner(run_season(world.season, actor="test")) == loser
    withdrawn = overrides.withdraw_override(
        actor=world.reviewer2, override_id=o.pk, reason="  迁入材料核实有误  "
    )
    assert withdrawn.state == Override.State.WITHDRAWN
    assert (withdrawn.withdrawn_by, withdrawn.withdrawal_reason) == (
        world.reviewer2,
        "迁入材料核实有误",
    )
    assert withdrawn.withdrawn_at is not None
    assert withdrawn.decided_by == world.reviewer  # the approval stays in the history
    assert actions()[-1] == "override.withdrawn"
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    detail = json.loads(event.canonical)["detail"]
    assert detail["override"] == o.pk
    assert "迁入材料核实有误" not in event.canonical  # the reason only as a digest
    # the next run no longer applies it
    assert review_effects(world.season).overrides == ()
    after = run_season(world.season, actor="test")
    assert outcome(after) == outcome(baseline)
    assert (
        "override" not in Decision.objects.get(run=after, application__code=loser).explanation["en"]
    )


def test_an_administrator_may_withdraw_too(world: World) -> None:
    o = approved_tier_change(world, "K1")
    assert overrides.withdraw_override(
        actor=world.admin, override_id=o.pk, reason="有误"
    ).state == ("withdrawn")


def test_withdrawing_twice_or_an_unapproved_override_is_a_conflict(world: World) -> None:
    o = approved_tier_change(world, "K1")
    overrides.withdraw_override(actor=world.reviewer2, override_id=o.pk, reason="有误")
    with pytest.raises(Conflict, match="已经撤销"):
        overrides.withdraw_override(actor=world.reviewer2, override_id=o.pk, reason="再撤一次")
    pending = overrides.request_override(
        actor=world.officer,
        application_id=world.apps["K2"].pk,
        kind="tier",
        school="P1",
        to_tier=1,
        reason="材料",
    )
    with pytest.raises(Conflict, match="只能撤销已批准"):
        overrides.withdraw_override(actor=world.reviewer, override_id=pending.pk, reason="有误")
    overrides.refuse_override(actor=world.reviewer, override_id=pending.pk, note="材料不足")
    with pytest.raises(Conflict, match="只能撤销已批准"):
        overrides.withdraw_override(actor=world.reviewer, override_id=pending.pk, reason="有误")
    assert actions().count("override.withdrawn") == 1


def test_a_withdrawal_needs_a_reason(world: World) -> None:
    o = approved_tier_change(world, "K1")
    with pytest.raises(Invalid) as refused:
        overrides.withdraw_override(actor=world.reviewer2, override_id=o.pk, reason="  ")
    assert refused.value.field == "reason"
    assert Override.objects.get(pk=o.pk).state == Override.State.APPROVED


@pytest.mark.parametrize("who", ["officer", "inspector", "supervisor", "parent"])
def test_only_county_bureau_staff_withdraw(world: World, who: str) -> None:
    o = approved_tier_change(world, "K1")
    with pytest.raises(NotAllowed):
        overrides.withdraw_override(actor=getattr(world, who), override_id=o.pk, reason="有误")
    assert Override.objects.get(pk=o.pk).state == Override.State.APPROVED


def test_another_countys_bureau_cannot_withdraw(world: World) -> None:
    o = approved_tier_change(world, "K1")
    with pytest.raises(NotFound):
        overrides.withdraw_override(actor=world.foreign, override_id=o.pk, reason="有误")
    with pytest.raises(NotFound):
        overrides.withdraw_override(actor=world.reviewer, override_id=999_999, reason="有误")
    assert Override.objects.get(pk=o.pk).state == Override.State.APPROVED


def test_the_database_holds_a_withdrawal_to_its_record(world: World) -> None:
    o = approved_tier_change(world, "K1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Override.objects.filter(pk=o.pk).update(state="withdrawn")
    with pytest.raises(IntegrityError), transaction.atomic():
        Override.objects.filter(pk=o.pk).update(
            state="withdrawn", withdrawn_by=world.admin, withdrawn_at=timezone.now()
        )


def test_a_withdrawn_exception_may_be_requested_again(world: World) -> None:
    o = overrides.request_override(
        actor=world.reviewer,
        application_id=world.apps["K4"].pk,
        kind="exception",
        check="age",
        reason="出生日期登记有误",
    )
    overrides.approve_override(actor=world.reviewer2, override_id=o.pk)
    overrides.withdraw_override(actor=world.reviewer, override_id=o.pk, reason="登记无误")
    again = overrides.request_override(
        actor=world.reviewer,
        application_id=world.apps["K4"].pk,
        kind="exception",
        check="age",
        reason="新的出生证明",
    )
    assert again.state == Override.State.REQUESTED


# --- reopening a final decision -----------------------------------------------------------------


def test_a_reopened_rejection_no_longer_applies_and_level_two_decides_again(world: World) -> None:
    baseline = run_season(world.season, actor="test")
    winner = p1_winner(baseline)
    app = world.apps[winner]
    rejected = rejected_at_level_two(world, winner)
    after_rejection = run_season(world.season, actor="test")
    assert outcome(after_rejection)[winner] == (Application.Status.INELIGIBLE, None)
    reopened = services.reopen(actor=world.admin, application_id=app.pk, reason=" 复核有误 ")
    assert reopened.pk == rejected.pk
    assert (reopened.reopened_by, reopened.reopen_reason) == (world.admin, "复核有误")
    case = ReviewCase.objects.get(application=app)
    assert case.state == CaseState.PENDING_SECOND
    assert case.last_record == rejected.first_level
    assert actions()[-1] == "review.reopened"
    event = AuditEvent.objects.order_by("-seq").first()
    assert event is not None
    assert "复核有误" not in event.canonical
    assert json.loads(event.canonical)["detail"]["record"] == rejected.pk
    # the next run no longer honours the reopened rejection
    assert review_effects(world.season).rejected == 0
    assert p1_winner(run_season(world.season, actor="test")) == winner
    # level 2 decides again by the usual rules, and the earlier decision stays in the history
    again = services.decide(actor=world.reviewer2, application_id=app.pk, level=2, decision="pass")
    assert again.first_level == rejected.first_level
    assert ReviewCase.objects.get(application=app).state == CaseState.PASSED
    records = ReviewRecord.objects.filter(application=app, level=2).order_by("decided_at", "pk")
    assert [(r.decision, r.reopened_at is not None) for r in records] == [
        ("reject", True),
        ("pass", False),
    ]


def test_a_reopened_decision_can_be_reopened_again_but_only_one_is_current(world: World) -> None:
    rejected = rejected_at_level_two(world, "K1")
    app = world.apps["K1"]
    services.reopen(actor=world.admin, application_id=app.pk, reason="复核有误")
    with pytest.raises(Conflict):
        services.reopen(actor=world.admin, application_id=app.pk, reason="再次")
    services.decide(
        actor=world.reviewer, application_id=app.pk, level=2, decision="reject", reason="确认"
    )
    with pytest.raises(Conflict):  # one current level-2 decision per level-1 record
        services.decide(actor=world.reviewer2, application_id=app.pk, level=2, decision="pass")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRecord.objects.create(
            application=app,
            level=2,
            round=rejected.round,
            decision="pass",
            reviewer=world.reviewer2,
            decided_at=timezone.now(),
            first_level=rejected.first_level,
            first_reviewer=world.officer,
        )


def test_the_decider_cannot_reopen_their_own_decision(world: World) -> None:
    app = world.apps["K1"]
    services.decide(actor=world.officer, application_id=app.pk, level=1, decision="pass")
    services.decide(actor=world.admin, application_id=app.pk, level=2, decision="pass")
    with pytest.raises(NotAllowed, match="本人"):
        services.reopen(actor=world.admin, application_id=app.pk, reason="复核有误")
    assert ReviewCase.objects.get(application=app).state == CaseState.PASSED
    record = ReviewRecord.objects.get(application=app, level=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewRecord.objects.filter(pk=record.pk).update(
            reopened_by=world.admin, reopened_at=timezone.now(), reopen_reason="x"
        )


@pytest.mark.parametrize("who", ["reviewer", "officer", "inspector", "supervisor", "parent"])
def test_only_a_bureau_administrator_reopens(world: World, who: str) -> None:
    rejected_at_level_two(world, "K1")
    with pytest.raises(NotAllowed):
        services.reopen(actor=getattr(world, who), application_id=world.apps["K1"].pk, reason="x")
    assert ReviewCase.objects.get(application=world.apps["K1"]).state == CaseState.REJECTED


def test_another_countys_administrator_cannot_reopen(world: World) -> None:
    rejected_at_level_two(world, "K1")
    foreign_admin = make_user(Role.BUREAU_ADMIN, "foreign-admin", region_code=OTHER_REGION)
    with pytest.raises(NotFound):
        services.reopen(actor=foreign_admin, application_id=world.apps["K1"].pk, reason="x")
    assert ReviewCase.objects.get(application=world.apps["K1"]).state == CaseState.REJECTED


def test_a_reopening_needs_a_reason_and_a_final_decision(world: World) -> None:
    app = world.apps["K1"]
    with pytest.raises(Conflict):  # not reviewed at all
        services.reopen(actor=world.admin, application_id=app.pk, reason="x")
    services.decide(actor=world.officer, application_id=app.pk, level=1, decision="pass")
    with pytest.raises(Conflict):  # awaiting level 2: nothing final to reopen
        services.reopen(actor=world.admin, application_id=app.pk, reason="x")
    services.decide(actor=world.reviewer, application_id=app.pk, level=2, decision="pass")
    with pytest.raises(Invalid) as refused:
        services.reopen(actor=world.admin, application_id=app.pk, reason=" ")
    assert refused.value.field == "reason"
    assert ReviewCase.objects.get(application=app).state == CaseState.PASSED


# --- the pages and the API ----------------------------------------------------------------------


def test_reopen_and_withdraw_through_the_page(world: World) -> None:
    app = world.apps["K1"]
    rejected_at_level_two(world, "K1")
    o = approved_tier_change(world, "K1")
    page = reverse("review:application", args=[app.pk])
    admin = client_for(world.admin)
    html = admin.get(page).content.decode()
    assert 'data-testid="reopen-form"' in html
    assert 'data-testid="withdraw-form"' in html
    reviewer_html = client_for(world.reviewer).get(page).content.decode()
    assert 'data-testid="reopen-form"' not in reviewer_html  # not an administrator
    # a missing reason is shown beside its field
    response = admin.post(reverse("review:reopen", args=[app.pk]), {"reason": ""})
    assert response.status_code == 422
    assert 'data-testid="error-reason"' in response.content.decode()
    response = admin.post(reverse("review:reopen", args=[app.pk]), {"reason": "复核有误"})
    assert response.status_code == 302
    assert ReviewCase.objects.get(application=app).state == CaseState.PENDING_SECOND
    assert 'data-testid="record-reopened"' in admin.get(page).content.decode()
    withdraw = reverse("review:withdraw_override", args=[o.pk])
    response = admin.post(withdraw, {"reason": ""})
    assert response.status_code == 422
    assert 'data-testid="error-reason"' in response.content.decode()
    assert admin.post(withdraw, {"reason": "有误"}).status_code == 302
    assert Override.objects.get(pk=o.pk).state == Override.State.WITHDRAWN
    response = admin.post(withdraw, {"reason": "有误"})
    assert response.status_code == 409
    assert "已经撤销" in response.content.decode()


def test_reopen_and_withdraw_through_the_api(world: World) -> None:
    app = world.apps["K1"]
    rejected_at_level_two(world, "K1")
    o = approved_tier_change(world, "K1")
    admin = client_for(world.admin)
    path = f"/api/review/applications/{app.pk}/reopen"
    response = admin.post(path, {"reason": ""}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["field"] == "reason"
    response = admin.post(path, {"reason": "复核有误"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["reopened_by"] == "admin"
    path = f"/api/review/overrides/{o.pk}/withdraw"
    response = admin.post(path, {"reason": "有误"}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["withdrawn_by"]) == ("withdrawn", "admin")
    response = admin.post(path, {"reason": "有误"}, content_type="application/json")
    assert response.status_code == 409
