"""The review pages: role-aware queue, decision and override forms, clear refusals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from sunshine.accounts.models import User
from sunshine.review.models import CaseState, Override, ReviewCase
from tests.review.world import World

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(world: World, code: str) -> str:
    return reverse("review:application", args=[world.apps[code].pk])


def test_a_school_officer_sees_the_first_level_queue_oldest_first(world: World) -> None:
    response = client_for(world.officer).get(reverse("review:queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="review-queue"' in html
    codes = [c for c in ("K1", "K2", "K3", "K4", "K5") if f'data-code="{c}"' in html]
    assert codes == ["K1", "K2", "K3"]
    assert '<dd data-testid="backlog-count">3</dd>' in html
    assert "第一级审核（学校初审）" in html


def test_the_checks_and_their_reasons_are_on_the_queue(world: World) -> None:
    html = client_for(world.officer2).get(reverse("review:queue")).content.decode()
    assert 'data-code="K4"' in html
    assert "不符合入学条件" in html  # K4 is under age
    assert "未满6周岁" in html


def test_a_school_officer_asking_for_level_two_is_refused_clearly(world: World) -> None:
    response = client_for(world.officer).get(reverse("review:queue") + "?level=2")
    assert response.status_code == 403
    assert "第二级审核须由本县教育局审核人员进行" in response.content.decode()


@pytest.mark.parametrize("who", ["parent", "witness", "notary"])
def test_people_outside_review_are_refused(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get(reverse("review:queue")).status_code == 403
    assert client.get(page(world, "K1")).status_code == 403
    assert client.get(reverse("review:overrides")).status_code == 403
    response = client.post(
        reverse("review:decide", args=[world.apps["K1"].pk]), {"level": 1, "decision": "pass"}
    )
    assert response.status_code == 403
    assert not ReviewCase.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    response = Client().get(reverse("review:queue"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_out_of_scope_applications_are_not_found(world: World) -> None:
    assert client_for(world.stranger).get(page(world, "K1")).status_code == 404
    assert client_for(world.foreign).get(page(world, "K1")).status_code == 404


def test_two_levels_through_the_forms(world: World) -> None:
    officer = client_for(world.officer)
    html = officer.get(page(world, "K1")).content.decode()
    assert 'data-testid="decision-form"' in html
    assert 'name="level" value="1"' in html
    assert 'data-testid="checks"' in html
    decide = reverse("review:decide", args=[world.apps["K1"].pk])
    response = officer.post(decide, {"level": 1, "decision": "pass"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("review:queue"))
    assert "已记录第1级审核结论" in response.content.decode()
    assert ReviewCase.objects.get(application=world.apps["K1"]).state == "pending_second"

    # the officer's page now says who decides next, and offers no form
    html = officer.get(page(world, "K1")).content.decode()
    assert 'data-testid="decision-form"' not in html
    assert "等待教育局审核人员进行第二级审核" in html
    # a forged level-2 post from the officer is refused beside the form
    refused = officer.post(decide, {"level": 2, "decision": "pass"})
    assert refused.status_code == 403
    assert "第二级审核须由本县教育局审核人员进行" in refused.content.decode()

    reviewer = client_for(world.reviewer)
    queue = reviewer.get(reverse("review:queue")).content.decode()
    assert 'data-code="K1"' in queue
    assert "第二级审核（教育局复审）" in queue
    html = reviewer.get(page(world, "K1")).content.decode()
    assert 'name="level" value="2"' in html
    response = reviewer.post(decide, {"level": 2, "decision": "pass"})
    assert response.status_code == 302
    assert ReviewCase.objects.get(application=world.apps["K1"]).state == CaseState.PASSED


def test_a_rejection_without_a_reason_is_shown_beside_the_field(world: World) -> None:
    officer = client_for(world.officer)
    decide = reverse("review:decide", args=[world.apps["K1"].pk])
    response = officer.post(decide, {"level": 1, "decision": "reject", "reason": ""})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-reason"' in html
    assert "必须填写理由" in html
    assert not ReviewCase.objects.exists()


def test_an_override_is_refused_without_a_second_approver(world: World) -> None:
    reviewer = client_for(world.reviewer)
    html = reviewer.get(page(world, "K1")).content.decode()
    assert 'data-testid="override-form"' in html
    response = reviewer.post(
        reverse("review:request_override", args=[world.apps["K1"].pk]),
        {"kind": "tier", "school": "P1", "to_tier": "1", "reason": "户籍迁入材料晚到"},
        follow=True,
    )
    assert response.status_code == 200
    assert "须由另一位审核人员审批后生效" in response.content.decode()
    o = Override.objects.get()
    assert (o.state, o.from_tier, o.to_tier) == ("requested", 2, 1)

    listing = reviewer.get(reverse("review:overrides")).content.decode()
    assert f'data-override-id="{o.pk}"' in listing
    assert "这是您本人提出的申请" in listing
    decide = reverse("review:decide_override", args=[o.pk])
    refused = reviewer.post(decide, {"action": "approve", "note": ""})
    assert refused.status_code == 403
    html = refused.content.decode()
    assert 'data-testid="override-error"' in html
    assert "不能审批本人提出的更正申请" in html
    o.refresh_from_db()
    assert o.state == "requested"

    approved = client_for(world.reviewer2).post(decide, {"action": "approve", "note": "同意"})
    assert approved.status_code == 302
    o.refresh_from_db()
    assert (o.state, o.decided_by) == ("approved", world.reviewer2)
    shown = client_for(world.officer).get(page(world, "K1")).content.decode()
    assert "已批准" in shown


def test_an_override_form_error_is_shown_beside_its_field(world: World) -> None:
    response = client_for(world.officer).post(
        reverse("review:request_override", args=[world.apps["K1"].pk]),
        {"kind": "tier", "school": "P1", "to_tier": "2", "reason": "同类别"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-to_tier"' in html
    assert "新类别与现类别相同" in html
    assert not Override.objects.exists()


def test_a_refusal_needs_a_note(world: World) -> None:
    o = Override.objects.create(
        application=world.apps["K1"],
        kind="tier",
        school=world.p1,
        from_tier=2,
        to_tier=1,
        reason="x",
        requested_by=world.officer,
        requested_at=world.season.imported_at,
    )
    response = client_for(world.admin).post(
        reverse("review:decide_override", args=[o.pk]), {"action": "refuse", "note": ""}
    )
    assert response.status_code == 422
    assert "驳回时必须写明理由" in response.content.decode()


def test_inspectors_read_but_are_offered_no_action(world: World) -> None:
    inspector = client_for(world.inspector)
    html = inspector.get(page(world, "K1")).content.decode()
    assert 'data-testid="checks"' in html
    assert 'data-testid="decision-form"' not in html
    assert 'data-testid="override-form"' not in html
    assert inspector.get(reverse("review:queue") + "?level=1").status_code == 200
    response = inspector.post(
        reverse("review:decide", args=[world.apps["K1"].pk]), {"level": 1, "decision": "pass"}
    )
    assert response.status_code == 403


def test_the_evidence_is_masked_for_reviewers(world: World) -> None:
    app = world.apps["K1"]
    html = client_for(world.officer).get(page(world, "K1")).content.decode()
    assert app.child_id_number not in html
    assert app.child_name not in html
