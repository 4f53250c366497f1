"""Registering a child step by step: validation on the field at fault, the window, the role,
one registration per child per family, and the choices the zone allows."""

from __future__ import annotations

import pytest

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Address
from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed, NotFound
from sunshine.families.models import Registration
from sunshine.families.registration import (
    Answer,
    answer_findings,
    assess_registration,
    register_child,
    set_choices,
    unanswered,
    update_child,
)
from tests.families.builders import Family, close_window, make_parent
from tests.portal.factories import County, make_application, make_user

pytestmark = pytest.mark.django_db


def test_registering_derives_birth_date_and_gender_and_audits(family: Family, parent: User) -> None:
    r = register_child(actor=parent, details=family.details())
    assert (r.birth_date.isoformat(), r.stage) == ("2019-03-01", "primary")
    assert r.gender in ("M", "F")
    assert r.guardian_ids == [family.mother_id, family.father_id]
    event = AuditEvent.objects.get(action="registration.created")
    assert event.object_id == str(r.pk)
    assert family.child_id not in event.canonical  # only a salted reference


def test_registering_the_same_child_twice_finds_the_first_registration(
    family: Family, parent: User
) -> None:
    first = register_child(actor=parent, details=family.details())
    second = register_child(actor=parent, details=family.details(child_name="陈小明明"))
    assert first.pk == second.pk
    assert Registration.objects.count() == 1
    assert Registration.objects.get().child_name == "陈小明明"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"child_id_number": "12345"}, "child_id_number"),
        ({"child_id_number": "330110201903010000"}, "child_id_number"),
        ({"own_id_number": ""}, "own_id_number"),
        ({"child_name": "  "}, "child_name"),
        ({"address": None}, "address"),
        ({"stage": "senior"}, "stage"),
        ({"current_school": "NOPE"}, "current_school"),
    ],
)
def test_bad_details_are_refused_on_their_field(
    family: Family, parent: User, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as error:
        register_child(actor=parent, details=family.details(**changes))
    assert error.value.field == field
    assert not Registration.objects.exists()


def test_an_id_typed_with_spaces_and_a_small_x_is_accepted(family: Family, parent: User) -> None:
    typed = " ".join([family.child_id[:6], family.child_id[6:14], family.child_id[14:].lower()])
    r = register_child(actor=parent, details=family.details(child_id_number=typed))
    assert r.child_id_number == family.child_id


def test_guardian_ids_must_differ(family: Family, parent: User) -> None:
    with pytest.raises(Invalid) as error:
        register_child(actor=parent, details=family.details(other_guardian_id=family.mother_id))
    assert error.value.field == "other_guardian_id"


def test_an_address_of_another_season_is_not_accepted(family: Family, parent: User) -> None:
    from tests.portal.factories import make_season

    elsewhere = make_season("330111", "邻县")
    foreign = Address.objects.create(season=elsewhere, code="X", text="邻县路1号", lon=0, lat=0)
    with pytest.raises(Invalid) as error:
        register_child(actor=parent, details=family.details(address=foreign.pk))
    assert error.value.field == "address"


def test_nothing_can_be_registered_outside_the_window(
    county: County, family: Family, parent: User
) -> None:
    close_window(county.season)
    with pytest.raises(Conflict):
        register_child(actor=parent, details=family.details())
    assert not Registration.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PARENT])
def test_only_a_family_account_registers_a_child(family: Family, role: Role) -> None:
    user = make_user(role, region_code="330110")
    with pytest.raises(NotAllowed):
        register_child(actor=user, details=family.details())


def test_a_child_already_registered_by_another_family_is_refused(
    county: County, family: Family, parent: User
) -> None:
    other = make_application(county.season, "330110-X1")
    with pytest.raises(Conflict) as error:
        register_child(actor=parent, details=family.details(child_id_number=other.child_id_number))
    assert error.value.field == "child_id_number"


def test_another_family_cannot_change_a_registration(family: Family, parent: User) -> None:
    r = register_child(actor=parent, details=family.details())
    stranger = make_parent("stranger")
    with pytest.raises(NotFound):
        update_child(actor=stranger, registration=r, details=family.details(child_name="X"))
    with pytest.raises(NotFound):
        set_choices(actor=stranger, registration=r, preferences=[])
    assert Registration.objects.get().child_name == "陈小明"


def test_changing_the_address_resets_the_choices(
    county: County, family: Family, parent: User
) -> None:
    r = register_child(actor=parent, details=family.details())
    set_choices(actor=parent, registration=r, preferences=[county.east.code])
    r = update_child(actor=parent, registration=r, details=family.details(address=family.other.pk))
    assert r.preferences == []
    assert {c.school.code for c in assess_registration(r).candidates} == {
        county.east.code,
        county.west.code,
    }


def test_findings_need_an_answer_each_and_an_explanation_when_disputed(
    family: Family, parent: User
) -> None:
    r = register_child(actor=parent, details=family.details())
    assessment = assess_registration(r)
    assert len(unanswered(r, assessment)) == 10
    with pytest.raises(Invalid) as error:
        answer_findings(actor=parent, registration=r, answers={"hukou": Answer(False, " ")})
    assert error.value.field == "explanation_hukou"
    with pytest.raises(Invalid):
        answer_findings(actor=parent, registration=r, answers={"lottery": Answer(True)})
    answers = {f.check: Answer(True) for f in assessment.findings}
    answers["permit"] = Answer(False, "我们有本地户籍，不需要居住证")
    r = answer_findings(actor=parent, registration=r, answers=answers)
    assert unanswered(r, assessment) == []
    assert r.responses["permit"] == {
        "reason": "PERMIT_NONE",
        "confirmed": False,
        "explanation": "我们有本地户籍，不需要居住证",
    }
    event = AuditEvent.objects.get(action="registration.findings_answered")
    assert "不需要居住证" not in event.canonical


def test_an_answer_to_an_earlier_finding_no_longer_counts(
    county: County, family: Family, parent: User
) -> None:
    r = register_child(actor=parent, details=family.details())
    findings = assess_registration(r).findings
    r = answer_findings(
        actor=parent, registration=r, answers={f.check: Answer(True) for f in findings}
    )
    # Without the certificate the home finding changes ("no home claimed"): answer it again.
    r = update_child(actor=parent, registration=r, details=family.details(certificate_no=""))
    assert set(unanswered(r, assess_registration(r))) == {"home", "seat_lock"}


def test_choices_must_fit_the_zone_and_the_policy(
    county: County, family: Family, parent: User
) -> None:
    r = register_child(actor=parent, details=family.details(address=family.other.pk))
    east, west = county.east.code, county.west.code
    for bad, field in [
        ([east, east], "preferences"),
        ([county.junior.code], "preferences"),
        ([county.private.code], "preferences"),
        ([east, west, "Z"], "preferences"),
    ]:
        with pytest.raises(Invalid) as error:
            set_choices(actor=parent, registration=r, preferences=bad)
        assert error.value.field == field
    with pytest.raises(Invalid) as error:
        set_choices(actor=parent, registration=r, preferences=[east], private_school=east)
    assert error.value.field == "private_school"
    r = set_choices(
        actor=parent, registration=r, preferences=[west, east], private_school=county.private.code
    )
    assert (r.preferences, r.private_school_code) == ([west, east], county.private.code)
    event = AuditEvent.objects.get(action="registration.choices_set")
    assert west in event.canonical


def test_the_zone_decides_the_candidates_and_the_level_at_each(
    county: County, family: Family, parent: User
) -> None:
    r = register_child(actor=parent, details=family.details())
    assessment = assess_registration(r)
    assert assessment.zone is not None
    assert assessment.zone.code == "Z01"
    [east] = assessment.candidates
    assert east.school == county.east
    assert east.level_zh == "房户一致"  # hukou and home at one address in the zone
    assert [s.code for s in assessment.private_schools] == [county.private.code]
    assert assessment.eligible


def test_an_address_in_no_zone_has_no_candidates(
    county: County, family: Family, parent: User
) -> None:
    nowhere = Address.objects.create(
        season=county.season, code="FAR", text="远郊村1号", lon=121.5, lat=31.5
    )
    r = register_child(actor=parent, details=family.details(address=nowhere.pk))
    assessment = assess_registration(r)
    assert assessment.zone is None
    assert assessment.candidates == ()
    assert assessment.finding("zone") is not None
    assert assessment.finding("zone").reason == "ZONE_OUT"  # type: ignore[union-attr]
