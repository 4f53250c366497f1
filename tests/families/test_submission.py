"""Submitting: within the window, editable until it closes, and idempotent twice over (the
form's one-time token, and the database's one application per child per season). Nothing is
half-written when a step fails."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from sunshine.accounts.models import User
from sunshine.admissions.models import Application, FindingResponse
from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotFound
from sunshine.families.models import Registration, SubmissionToken
from sunshine.families.registration import (
    Answer,
    answer_findings,
    register_child,
    set_choices,
)
from sunshine.families.submission import edit_application, new_token, submit_registration
from tests.families.builders import Family, close_window, make_parent, ready_registration
from tests.portal.factories import County, admit

pytestmark = pytest.mark.django_db


def online() -> int:
    return Application.objects.filter(source=Application.Source.ONLINE).count()


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_submitting_creates_one_online_application(
    county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [county.east.code])
    done = submit_registration(actor=parent, registration=r, token=new_token())
    assert (done.created, done.changed) == (True, True)
    app = done.application
    assert app.source == Application.Source.ONLINE
    assert app.status == Application.Status.SUBMITTED
    assert app.code.startswith("W")
    assert len(app.code) == 9
    assert app.child_id_number == family.child_id
    assert app.guardian_ids == [family.mother_id, family.father_id]
    assert [p.school for p in app.preferences.order_by("rank")] == [county.east]
    assert FindingResponse.objects.filter(application=app, confirmed=True).count() == 10
    assert list(parent.applications.all()) == [app]
    event = AuditEvent.objects.get(action="application.registered", object_id=app.code)
    assert '"source":"online"' in event.canonical
    assert family.child_id not in event.canonical


def test_the_same_token_again_returns_the_same_application_and_writes_nothing(
    county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [county.east.code])
    token = new_token()
    first = submit_registration(actor=parent, registration=r, token=token)
    before = AuditEvent.objects.count()
    again = submit_registration(actor=parent, registration=r, token=token)
    assert again.application.pk == first.application.pk
    assert (again.created, again.changed) == (False, False)
    assert online() == 1
    assert AuditEvent.objects.count() == before


def test_a_second_form_makes_no_second_application(
    county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [county.east.code])
    first = submit_registration(actor=parent, registration=r, token=new_token())
    second = submit_registration(actor=parent, registration=r, token=new_token())
    assert second.application.pk == first.application.pk
    assert not second.changed
    assert online() == 1
    assert events("application.updated") == 0


def test_a_token_of_another_registration_is_refused(
    county: County, family: Family, parent: User
) -> None:
    from tests.families.builders import make_family

    r = ready_registration(family, parent, [county.east.code])
    token = new_token()
    submit_registration(actor=parent, registration=r, token=token)
    other = ready_registration(make_family(county, "G"), parent, [county.east.code])
    with pytest.raises(Conflict) as error:
        submit_registration(actor=parent, registration=other, token=token)
    assert error.value.field == "token"
    assert online() == 1


def test_a_changed_resubmission_updates_the_application_and_is_audited(
    county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [county.east.code])
    app = submit_registration(actor=parent, registration=r, token=new_token()).application
    r = set_choices(
        actor=parent,
        registration=Registration.objects.get(pk=r.pk),
        preferences=[county.east.code],
        private_school=county.private.code,
    )
    done = submit_registration(actor=parent, registration=r, token=new_token())
    assert (done.application.pk, done.created, done.changed) == (app.pk, False, True)
    app.refresh_from_db()
    assert app.private_school == county.private
    assert events("application.updated") == 1
    assert online() == 1


def test_nothing_is_submitted_before_every_finding_is_answered(
    county: County, family: Family, parent: User
) -> None:
    r = register_child(actor=parent, details=family.details())
    r = set_choices(actor=parent, registration=r, preferences=[county.east.code])
    with pytest.raises(Conflict) as error:
        submit_registration(actor=parent, registration=r, token=new_token())
    assert error.value.field == "findings"
    assert online() == 0


def test_a_zone_with_schools_needs_at_least_one_preference(
    county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [])
    with pytest.raises(Invalid) as error:
        submit_registration(actor=parent, registration=r, token=new_token())
    assert error.value.field == "preferences"


def test_the_window_closes_submissions_and_changes(
    county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [county.east.code])
    app = submit_registration(actor=parent, registration=r, token=new_token()).application
    close_window(county.season)
    r = Registration.objects.get(pk=r.pk)
    with pytest.raises(Conflict):
        submit_registration(actor=parent, registration=r, token=new_token())
    with pytest.raises(Conflict):
        answer_findings(actor=parent, registration=r, answers={"id": Answer(True)})
    with pytest.raises(Conflict):
        edit_application(actor=parent, application_pk=app.pk)
    assert SubmissionToken.objects.count() == 1


def test_an_application_in_the_admission_stage_is_no_longer_editable(
    county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [county.east.code])
    app = submit_registration(actor=parent, registration=r, token=new_token()).application
    admit(app, county.east)
    with pytest.raises(Conflict):
        submit_registration(
            actor=parent, registration=Registration.objects.get(pk=r.pk), token=new_token()
        )


def test_a_failure_mid_submission_leaves_nothing_half_written(
    county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [county.east.code])
    # A disputed finding without an explanation breaks a database rule when the responses are
    # written, after the application row was inserted: everything must roll back.
    responses = dict(r.responses)
    responses["hukou"] = {**responses["hukou"], "confirmed": False, "explanation": ""}
    Registration.objects.filter(pk=r.pk).update(responses=responses)
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError, match="disputed_finding_is_explained"):
        submit_registration(
            actor=parent, registration=Registration.objects.get(pk=r.pk), token=new_token()
        )
    assert online() == 0
    assert not SubmissionToken.objects.exists()
    assert AuditEvent.objects.count() == before
    assert Registration.objects.get(pk=r.pk).application is None


def test_a_child_submitted_by_another_family_is_refused(
    county: County, family: Family, parent: User
) -> None:
    other_parent = make_parent("other-parent")
    mine = ready_registration(family, parent, [county.east.code])
    theirs = ready_registration(family, other_parent, [county.east.code])
    submit_registration(actor=parent, registration=mine, token=new_token())
    with pytest.raises(Conflict) as error:
        submit_registration(actor=other_parent, registration=theirs, token=new_token())
    assert error.value.field == "child_id_number"
    assert online() == 1
    assert not other_parent.applications.exists()


def test_another_family_cannot_submit_or_edit(county: County, family: Family, parent: User) -> None:
    r = ready_registration(family, parent, [county.east.code])
    stranger = make_parent("stranger")
    with pytest.raises(NotFound):
        submit_registration(actor=stranger, registration=r, token=new_token())
    app = submit_registration(actor=parent, registration=r, token=new_token()).application
    with pytest.raises(NotFound):
        edit_application(actor=stranger, application_pk=app.pk)


def test_editing_an_imported_application_starts_from_its_content(
    county: County, parent: User
) -> None:
    app = county.applications["a1"]
    parent.applications.add(app)
    r = edit_application(actor=parent, application_pk=app.pk)
    assert r.application == app
    assert r.preferences == [county.east.code, county.west.code]
    assert r.child_id_number == app.child_id_number
    assert edit_application(actor=parent, application_pk=app.pk).pk == r.pk
    assert events("registration.opened_for_edit") == 1
