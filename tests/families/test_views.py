"""The family pages, driven like a phone would: plain forms, no script. The whole journey
(register, confirm findings, rank schools, submit) works by posting the forms' own fields;
another family gets 404, staff get 403, and a double-posted form makes one application."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Application
from sunshine.families.models import Registration
from sunshine.families.registration import assess_registration
from tests.families.builders import Family, close_window, make_parent, ready_registration
from tests.portal.factories import County, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client: Client, parent: User) -> Client:
    client.force_login(parent)
    return client


def html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def token_of(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def child_form(family: Family, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "season": family.season.pk,
        "child_name": "陈小明",
        "child_id_number": family.child_id,
        "stage": "primary",
        "own_id_number": family.mother_id,
        "other_guardian_id": family.father_id,
        "address_query": "幸福路",
        "address": family.home.pk,
        "certificate_no": family.certificate,
        "current_school": "",
        "save": "1",
    }
    data.update(changes)
    return data


def test_the_whole_journey_by_plain_forms(
    browser: Client, county: County, family: Family, parent: User
) -> None:
    home = html(browser.get("/family/"))
    assert 'data-testid="register-child"' in home
    page = html(browser.get("/family/register/"))
    assert 'data-testid="child-id"' in page
    assert 'id="idcheck-labels"' in page
    # search the address without losing what was typed
    found = browser.post(
        "/family/register/", {**child_form(family), "search_address": "1", "save": ""}
    )
    page = html(found)
    assert family.home.text in page
    assert 'value="陈小明"' in page
    assert 'data-testid="error-' not in page
    # save the child: on to the findings
    saved = browser.post("/family/register/", child_form(family))
    registration = Registration.objects.get()
    assert saved["Location"] == f"/family/registrations/{registration.pk}/findings/"
    page = html(browser.get(saved["Location"]))
    assert 'data-testid="finding-hukou"' in page
    assert "户籍在填报地址" in page
    findings = assess_registration(registration).findings
    answers = {f"answer_{f.check}": "confirm" for f in findings}
    answers["answer_permit"] = "explain"
    refused = browser.post(saved["Location"], answers)
    assert 'data-testid="error-explanation-permit"' in html(refused)
    answers["explanation_permit"] = "本地户籍，无需居住证"
    answered = browser.post(saved["Location"], answers)
    assert answered["Location"] == f"/family/registrations/{registration.pk}/schools/"
    # the schools: the map, the candidates, then rank with the buttons
    page = html(browser.get(answered["Location"]))
    assert 'data-testid="zone-map"' in page
    assert 'class="zone selected"' in page
    assert f'data-testid="add-{county.east.code}"' in page
    assert 'data-testid="gongmin-tongzhao"' in page
    added = browser.post(answered["Location"], {"move": f"add:{county.east.code}"})
    assert added["Location"] == answered["Location"]
    nxt = browser.post(
        answered["Location"],
        {"preference": [county.east.code], "private_school": county.private.code, "next": "1"},
    )
    assert nxt["Location"] == f"/family/registrations/{registration.pk}/submit/"
    page = html(browser.get(nxt["Location"]))
    assert 'data-testid="time-statement"' in page
    token = token_of(page)
    done = browser.post(nxt["Location"], {"token": token})
    application = Application.objects.get(child_id_number=family.child_id)
    assert done["Location"] == f"/family/applications/{application.pk}/"
    again = browser.post(nxt["Location"], {"token": token})  # a double tap
    assert again["Location"] == done["Location"]
    assert Application.objects.filter(child_id_number=family.child_id).count() == 1
    page = html(browser.get(done["Location"]))
    assert application.code in page
    assert 'data-testid="application-status" data-status="submitted"' in page
    assert "本地户籍，无需居住证" in page
    assert 'data-testid="timeline"' in page
    assert application.private_school == county.private


def test_the_ranking_buttons_move_schools(
    browser: Client, county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [])
    r.claimed_address = family.other
    r.save()
    url = f"/family/registrations/{r.pk}/schools/"
    east, west = county.east.code, county.west.code
    browser.post(url, {"move": f"add:{east}"})
    browser.post(url, {"preference": [east], "move": f"add:{west}"})
    assert Registration.objects.get().preferences == [east, west]
    browser.post(url, {"preference": [east, west], "move": f"up:{west}"})
    assert Registration.objects.get().preferences == [west, east]
    browser.post(url, {"preference": [west, east], "move": f"remove:{west}"})
    assert Registration.objects.get().preferences == [east]
    bad = browser.post(url, {"preference": [east, county.junior.code], "move": "save"})
    assert 'data-testid="form-errors"' in html(bad)
    assert Registration.objects.get().preferences == [east]


def test_a_bad_id_is_shown_beside_its_field(browser: Client, family: Family) -> None:
    page = html(browser.post("/family/register/", child_form(family, child_id_number="3301")))
    assert 'data-testid="error-child_id_number"' in page
    assert "18位" in page
    assert not Registration.objects.exists()


def test_another_familys_pages_are_not_found(
    client: Client, county: County, family: Family, parent: User
) -> None:
    r = ready_registration(family, parent, [county.east.code])
    from sunshine.families.submission import new_token, submit_registration

    app = submit_registration(actor=parent, registration=r, token=new_token()).application
    client.force_login(make_parent("stranger"))
    for url in (
        f"/family/registrations/{r.pk}/child/",
        f"/family/registrations/{r.pk}/findings/",
        f"/family/registrations/{r.pk}/schools/",
        f"/family/registrations/{r.pk}/submit/",
        f"/family/applications/{app.pk}/",
        f"/family/applications/{app.pk}/objection/",
        f"/family/applications/{app.pk}/receipt.json",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/family/applications/{app.pk}/offer/", {"decision": "decline"}).status_code
        == 404
    )
    assert client.post(f"/family/applications/{app.pk}/edit/").status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PARENT])
def test_staff_and_others_are_refused(client: Client, county: County, role: Role) -> None:
    client.force_login(make_user(role, region_code="330110"))
    assert client.get("/family/").status_code == 403
    assert client.get("/family/register/").status_code == 403


def test_signed_out_visitors_go_to_the_login(client: Client) -> None:
    response = client.get("/family/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/family/")


def test_registration_closed(browser: Client, county: County) -> None:
    close_window(county.season)
    assert 'data-testid="registration-closed"' in html(browser.get("/family/"))
    assert browser.get("/family/register/").status_code == 409


def test_the_family_menu_entry_and_the_english_switch(browser: Client, family: Family) -> None:
    assert 'href="/family/"' in html(browser.get("/"))
    browser.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = ready_registration(family, User.objects.get(username="parent-1"), [])
    page = html(browser.get(f"/family/registrations/{r.pk}/findings/"))
    assert '<html lang="en">' in page
    assert "hukou at the claimed address since 2019-04-01" in page  # the engine's English


def test_the_demo_parent_sees_its_application(client: Client, county: County) -> None:
    from sunshine.accounts.services import ensure_demo_accounts

    ensure_demo_accounts(actor="test", season=county.season)
    assert client.login(username="demo-parent", password="sunshine-demo")
    page = html(client.get("/family/"))
    assert county.applications["a1"].code in page
    assert 'data-testid="register-child"' in page  # the demo keeps registration open
