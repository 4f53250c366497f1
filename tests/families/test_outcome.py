"""After the ceremony and the run, the family sees its result with the engine's explanation,
each listed school's cut-off, its lottery number derived step by step, and the timeline; it
accepts or declines the seat, and lodges objections and complaints through oversight."""

from __future__ import annotations

import pytest
from django.test import Client

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Admission, Application
from sunshine.admissions.services import run_season
from sunshine.audit.checkpoints import publish_checkpoint
from sunshine.audit.models import AuditEvent
from sunshine.ceremony import services as ceremony
from sunshine.ceremony.models import Ceremony
from sunshine.core.lottery import number_of
from sunshine.errors import Conflict, Invalid, NotFound
from sunshine.families.offers import lodge_complaint, lodge_objection, respond_to_offer
from sunshine.families.outcome import lottery_of, outcome_of
from sunshine.families.queries import receipt_of
from sunshine.families.submission import new_token, submit_registration
from sunshine.families.timeline import timeline
from sunshine.oversight.models import Case
from tests.families.builders import Family, make_parent, ready_registration
from tests.portal.factories import County, make_user

pytestmark = pytest.mark.django_db


def hold_ceremony(county: County) -> Ceremony:
    admin = make_user(Role.BUREAU_ADMIN, region_code=county.season.region_code)
    notary = make_user(Role.NOTARY)
    c = ceremony.freeze_pool(county.season, actor=admin, label="示范县 2026 摇号")
    c = ceremony.announce(c, actor=admin, witness_roles=["notary"])
    ceremony.add_witness_input(c, actor=notary, role="notary", name="张公证", value="271828")
    c = ceremony.draw(c, actor=admin)
    return ceremony.publish(c, actor=admin)


@pytest.fixture
def admitted(county: County, family: Family, parent: User) -> Application:
    """The family's child, submitted online, admitted at 城东小学: two seats, one for the
    disabled child of the zone (placed first), one for the family's tier (房户一致), and the
    child who only lives in the zone (a1) goes to its second choice."""
    county.east.plan_seats = 2
    county.east.save(update_fields=["plan_seats"])
    r = ready_registration(family, parent, [county.east.code])
    app = submit_registration(actor=parent, registration=r, token=new_token()).application
    run_season(county.season, actor="test", ceremony=hold_ceremony(county))
    app.refresh_from_db()
    return app


def test_the_outcome_is_explained_with_each_schools_cut_off(
    county: County, admitted: Application
) -> None:
    assert admitted.status == Application.Status.ADMITTED
    outcome = outcome_of(admitted, "zh")
    assert outcome is not None
    assert outcome.decision.school == county.east
    assert outcome.tier_name == "房户一致"
    assert "城东小学" in outcome.explanation  # the engine's codes, given their names
    assert county.east.code not in outcome.explanation
    [east] = outcome.cutoffs
    assert (east.school, east.listed_as, east.plan_seats, east.admitted) == (county.east, "1", 2, 2)
    assert east.full_in_round == 1
    assert east.cutoff_level == "房户一致"
    assert str(east.cutoff_number) == outcome.decision.lottery_number
    english = outcome_of(admitted, "en")
    assert english is not None
    assert english.tier_name == "Hukou and home at one address"
    assert english.explanation != outcome.explanation


def test_the_lottery_number_is_derived_from_the_published_seed(
    admitted: Application,
) -> None:
    derivation = lottery_of(admitted)
    assert derivation is not None
    seed = bytes.fromhex(derivation.seed)
    assert derivation.number == number_of(seed, admitted.code)
    assert derivation.number_hex == derivation.digest[:16]


def test_the_timeline_holds_registration_lottery_and_decision(admitted: Application) -> None:
    steps = timeline(admitted)
    kinds = [s.kind for s in steps]
    assert kinds[0] == "event"
    assert "lottery" in kinds
    assert "decision" in kinds
    assert steps == sorted(steps, key=lambda s: s.at)
    assert steps[0].label == "网上报名已提交"


def test_accepting_the_offer_is_recorded_once(admitted: Application, parent: User) -> None:
    admission = respond_to_offer(actor=parent, application_pk=admitted.pk, accept=True)
    assert admission.accepted is True
    assert respond_to_offer(actor=parent, application_pk=admitted.pk, accept=True).accepted
    with pytest.raises(Conflict):
        respond_to_offer(actor=parent, application_pk=admitted.pk, accept=False)
    assert Admission.objects.get(application=admitted).accepted is True
    assert AuditEvent.objects.filter(action="application.offer_accepted").count() == 1
    assert "已确认接受录取" in {s.label for s in timeline(admitted)}


def test_declining_the_offer_is_recorded(admitted: Application, parent: User) -> None:
    respond_to_offer(actor=parent, application_pk=admitted.pk, accept=False)
    assert Admission.objects.get(application=admitted).accepted is False
    assert AuditEvent.objects.filter(
        action="application.offer_declined", object_id=admitted.code
    ).exists()


def test_no_offer_no_answer(county: County, family: Family, parent: User) -> None:
    r = ready_registration(family, parent, [county.east.code])
    app = submit_registration(actor=parent, registration=r, token=new_token()).application
    with pytest.raises(Conflict):
        respond_to_offer(actor=parent, application_pk=app.pk, accept=True)
    assert outcome_of(app, "zh") is None
    assert lottery_of(app) is None


def test_another_family_can_neither_see_nor_answer(admitted: Application) -> None:
    stranger = make_parent("stranger")
    with pytest.raises(NotFound):
        respond_to_offer(actor=stranger, application_pk=admitted.pk, accept=False)
    with pytest.raises(NotFound):
        lodge_objection(actor=stranger, application_pk=admitted.pk, summary="不服")
    with pytest.raises(NotFound):
        receipt_of(stranger, admitted.pk)
    assert Admission.objects.get(application=admitted).accepted is None


def test_an_objection_is_a_named_case_linked_to_the_application(
    admitted: Application, parent: User
) -> None:
    case = lodge_objection(actor=parent, application_pk=admitted.pk, summary="档次认定有误")
    assert (case.kind, case.category, case.anonymous) == ("objection", "admission_result", False)
    assert case.application == admitted
    assert case.school is not None
    steps = timeline(admitted)
    assert any(s.kind == "case" and case.code in s.label for s in steps)


def test_a_complaint_may_be_anonymous_and_names_a_school(
    county: County, admitted: Application, parent: User
) -> None:
    case = lodge_complaint(
        actor=parent,
        category="admission_fees",
        summary="学校要求交赞助费",
        school_pk=county.private.pk,
        anonymous=True,
    )
    assert (case.kind, case.anonymous, case.school) == ("complaint", True, county.private)
    assert case.region_code == county.season.region_code
    with pytest.raises(Invalid):
        lodge_complaint(actor=parent, category="admission_result", summary="x")
    assert Case.objects.count() == 1


def test_the_receipt_proves_the_registration_once_a_checkpoint_covers_it(
    admitted: Application, parent: User, client: Client
) -> None:
    with pytest.raises(Conflict):
        receipt_of(parent, admitted.pk)
    client.force_login(parent)
    page = client.get(f"/family/applications/{admitted.pk}/").content.decode()
    assert 'data-testid="receipt-pending"' in page
    publish_checkpoint(actor="test")
    receipt = receipt_of(parent, admitted.pk)
    assert '"application.registered"' in receipt["event"]
    assert admitted.code in receipt["event"]
    client.force_login(parent)
    assert (
        'data-testid="download-receipt"'
        in client.get(f"/family/applications/{admitted.pk}/").content.decode()
    )
    response = client.get(f"/family/applications/{admitted.pk}/receipt.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="receipt-{admitted.code}.json"'
    assert response.json()["seq"] == receipt["seq"]
