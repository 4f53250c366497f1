"""The family pages (/family/), their API (/api/family/) and a family's sign-up
(/accounts/signup/, /api/accounts/sign-up…).

Scope: a family acts only on its own registrations and on the applications linked to its
account. The actions target the matrix parent's own objects (county A's application A1, or a
registration the parent starts inside the action), so the other family must get 404 and every
other role 403 (401 or the sign-in page when signed out). Starting a registration, the
registration seasons and their addresses (only of a season open for registration, or of the
family's own registrations: 404 otherwise), and an anonymous complaint about a school are open
to any family. Sign-up is for visitors: the page sends a signed-in user to the family home instead,
and the JSON sign-up endpoints, which need no authentication, refuse a signed-in caller (403)
by the same rule of the sign-up services.

Online registration needs an open window, which the world's seasons lack: each registration
action opens county A's window first (in its rolled-back transaction).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpResponseBase
from django.test import TestCase, override_settings
from django.utils import timezone

from sunshine.accounts import sms
from sunshine.accounts.models import PhoneCode, User
from sunshine.accounts.signup import request_sign_up_code
from sunshine.admissions.models import Address, Admission, Application, Season
from sunshine.families.models import Registration
from sunshine.families.registration import assess_registration, register_child
from sunshine.oversight.models import Case
from tests.families.builders import Family, make_family, ready_registration
from tests.role_matrix.framework import NOBODY, Action, Attempt, Outcome, judge, page
from tests.role_matrix.world import World

FAMILY = frozenset({"parent"})  # the family of A1, and of the registrations made for it
PARENTS = frozenset({"parent", "parent_other_family"})  # any family
VISITOR = frozenset({"anonymous"})
PHONE = "13900139000"  # no world account has it
SIGN_UP_PASSWORD = "a-long-family-password"
SUMMARY = "学校收取与入学挂钩的赞助费"
NEW_NAME = "陈小明明"


# --- the world's objects and the rows an action makes ------------------------------------------


def _a1(w: World) -> Application:
    return w.a.applications["a1"]


def _parent(w: World) -> User:
    return w.users["parent"]


def _open_window(w: World) -> None:
    """Open county A's registration window (a queryset update: the world's season object,
    shared by every test of the module, is left untouched)."""
    now = timezone.now()
    Season.objects.filter(pk=w.a.season.pk).update(
        registration_opens=now - dt.timedelta(days=1),
        registration_closes=now + dt.timedelta(days=30),
    )


def _family(w: World) -> Family:
    """A new child of county A with registry records (home in zone Z01, served by east)."""
    _open_window(w)
    return make_family(w.a, tag="RM")


def _draft(w: World, preferences: list[str] | None = None) -> Registration:
    """The parent's registration of a new child, findings confirmed, schools chosen."""
    family = _family(w)
    chosen = [w.a.east.code] if preferences is None else preferences
    return ready_registration(family, _parent(w), chosen)


def _child_fields(family: Family, **changes: Any) -> dict[str, Any]:
    d = family.details()
    fields = {
        "season": d.season,
        "child_name": d.child_name,
        "child_id_number": d.child_id_number,
        "stage": d.stage,
        "own_id_number": d.own_id_number,
        "other_guardian_id": d.other_guardian_id,
        "address": d.address,
        "certificate_no": d.certificate_no,
        "current_school": d.current_school,
    }
    return fields | changes


def _editable_a1(w: World) -> Application:
    """A1 as it was before admission (submitted), with the window open."""
    _open_window(w)
    Application.objects.filter(pk=_a1(w).pk).update(status=Application.Status.SUBMITTED)
    return _a1(w)


# --- judging: an allowed answer must also have done the thing --------------------------------


def _did(response: HttpResponseBase, done: Callable[[], bool]) -> Outcome:
    """ALLOWED only if the response allows and ``done()`` shows the change was made; a page
    that answers 2xx or redirects without making it (a form error shown again) is OTHER."""
    outcome = judge(response)
    if outcome is Outcome.ALLOWED and not done():
        return Outcome.OTHER
    return outcome


def _refused_unless(response: HttpResponseBase, done: Callable[[], bool]) -> Outcome:
    """For pages that send an unwelcome visitor elsewhere (the sign-up page redirects a
    signed-in user home): ALLOWED if ``done()``, else the refusal it amounts to."""
    outcome = judge(response)
    if outcome is Outcome.ALLOWED and not done():
        return Outcome.DENIED
    return outcome


def _json_holds(a: Attempt, path: str, key: str, value: object) -> Outcome:
    """ALLOWED if the JSON list at ``path`` holds an item whose ``key`` is ``value``; a list
    scoped to other rows is DENIED."""
    response = a.get(path)
    outcome = judge(response)
    if outcome is not Outcome.ALLOWED:
        return outcome
    items = response.json()  # type: ignore[attr-defined]
    return Outcome.ALLOWED if any(i[key] == value for i in items) else Outcome.DENIED


def _put(a: Attempt, path: str, body: Any) -> HttpResponseBase:
    response: HttpResponseBase = a.client.put(
        path, json.dumps(body), content_type="application/json"
    )
    return response


def _answers(r: Registration) -> dict[str, str]:
    """The findings form, every finding confirmed."""
    fields = {}
    for f in assess_registration(r).findings:
        fields[f"answer_{f.check}"] = "confirm"
        fields[f"explanation_{f.check}"] = ""
    return fields


def _reg(pk: int) -> Registration:
    return Registration.objects.get(pk=pk)


def _answered(r: Registration) -> Callable[[], bool]:
    return lambda: bool(_reg(r.pk).responses)  # a new registration has none


def _renamed(r: Registration) -> Callable[[], bool]:
    return lambda: _reg(r.pk).child_name == NEW_NAME


def _child_of(r: Registration) -> dict[str, Any]:
    """The child step's fields for ``r`` with the child's name changed."""
    return {
        "season": r.season_id,
        "child_name": NEW_NAME,
        "child_id_number": r.child_id_number,
        "stage": r.stage,
        "own_id_number": r.own_id_number,
        "other_guardian_id": r.other_guardian_id,
        "address": r.claimed_address_id,
        "certificate_no": r.claimed_certificate_no,
        "current_school": "",
    }


def _cases(**filters: Any) -> Callable[[], bool]:
    return lambda: Case.objects.filter(summary=SUMMARY, **filters).exists()


def _accepted(w: World) -> Callable[[], bool]:
    return lambda: Admission.objects.filter(application=_a1(w), accepted=True).exists()


# --- the pages ---------------------------------------------------------------------------------


def _register(a: Attempt) -> Outcome:
    family = _family(a.world)
    response = a.post("/family/register/", _child_fields(family))
    owner = a.user.pk if a.user else None
    made = Registration.objects.filter(owner=owner, child_id_number=family.child_id)
    return _did(response, made.exists)


def _register_page(a: Attempt) -> HttpResponseBase:
    _open_window(a.world)
    return a.get("/family/register/")


def _draft_page(step: str) -> Callable[[Attempt], HttpResponseBase]:
    def perform(a: Attempt) -> HttpResponseBase:
        return a.get(f"/family/registrations/{_draft(a.world).pk}/{step}/")

    return perform


def _change_child(a: Attempt) -> Outcome:
    r = _draft(a.world)
    response = a.post(f"/family/registrations/{r.pk}/child/", _child_of(r))
    return _did(response, _renamed(r))


def _answer_findings(a: Attempt) -> Outcome:
    family = _family(a.world)
    r = register_child(actor=_parent(a.world), details=family.details())
    response = a.post(f"/family/registrations/{r.pk}/findings/", _answers(r))
    return _did(response, _answered(r))


def _choose(a: Attempt) -> Outcome:
    r = _draft(a.world, preferences=[])
    east = a.world.a.east.code
    response = a.post(
        f"/family/registrations/{r.pk}/schools/", {"preference": [east], "private_school": ""}
    )
    return _did(response, lambda: _reg(r.pk).preferences == [east])


def _submit(a: Attempt) -> Outcome:
    r = _draft(a.world)
    response = a.post(f"/family/registrations/{r.pk}/submit/", {"token": "matrix-token-1"})
    return _did(response, lambda: _reg(r.pk).application_id is not None)


def _edit(a: Attempt) -> Outcome:
    app = _editable_a1(a.world)
    response = a.post(f"/family/applications/{app.pk}/edit/")
    return _did(response, Registration.objects.filter(application=app).exists)


def _offer(a: Attempt) -> Outcome:
    response = a.post(f"/family/applications/{_a1(a.world).pk}/offer/", {"decision": "accept"})
    return _did(response, _accepted(a.world))


def _object(a: Attempt) -> Outcome:
    app = _a1(a.world)
    response = a.post(f"/family/applications/{app.pk}/objection/", {"summary": SUMMARY})
    return _did(response, _cases(application=app, kind=Case.Kind.OBJECTION))


def _complain(a: Attempt) -> Outcome:
    east = a.world.a.east
    data = {"category": "admission_fees", "school": east.pk, "summary": SUMMARY, "anonymous": "on"}
    response = a.post("/family/complaint/", data)
    return _did(response, _cases(school=east, kind=Case.Kind.COMPLAINT))


# --- the API -----------------------------------------------------------------------------------

API = "/api/family"


def _api_register(a: Attempt) -> Outcome:
    family = _family(a.world)
    response = a.post_json(f"{API}/registrations", _child_fields(family))
    owner = a.user.pk if a.user else None
    made = Registration.objects.filter(owner=owner, child_id_number=family.child_id)
    return _did(response, made.exists)


def _api_registration(tail: str) -> Callable[[Attempt], HttpResponseBase]:
    def perform(a: Attempt) -> HttpResponseBase:
        return a.get(f"{API}/registrations/{_draft(a.world).pk}{tail}")

    return perform


def _api_registrations_hold_draft(a: Attempt) -> Outcome:
    return _json_holds(a, f"{API}/registrations", "id", _draft(a.world).pk)


def _api_change_child(a: Attempt) -> Outcome:
    r = _draft(a.world)
    response = _put(a, f"{API}/registrations/{r.pk}/child", _child_of(r))
    return _did(response, _renamed(r))


def _api_answer(a: Attempt) -> Outcome:
    r = register_child(actor=_parent(a.world), details=_family(a.world).details())
    answers = {f.check: {"confirmed": True} for f in assess_registration(r).findings}
    response = _put(a, f"{API}/registrations/{r.pk}/findings", {"answers": answers})
    return _did(response, _answered(r))


def _api_choose(a: Attempt) -> Outcome:
    r = _draft(a.world, preferences=[])
    east = a.world.a.east.code
    response = _put(a, f"{API}/registrations/{r.pk}/choices", {"preferences": [east]})
    return _did(response, lambda: _reg(r.pk).preferences == [east])


def _api_submit(a: Attempt) -> Outcome:
    r = _draft(a.world)
    response = a.post_json(f"{API}/registrations/{r.pk}/submit", {"token": "matrix-token-2"})
    return _did(response, lambda: _reg(r.pk).application_id is not None)


def _api_seasons(a: Attempt) -> Outcome:
    _open_window(a.world)
    return _json_holds(a, f"{API}/seasons", "id", a.world.a.season.pk)


def _api_addresses(a: Attempt) -> Outcome:
    """Search county A's season while it takes online registrations."""
    _open_window(a.world)
    season = a.world.a.season
    path = f"{API}/seasons/{season.pk}/addresses?q=幸福路"
    return _json_holds(a, path, "code", _a1(a.world).claimed_address.code)


def _api_addresses_not_open(a: Attempt) -> Outcome:
    """Search county B's season, which takes no online registrations and in which no family
    registered (county A's is open): the family API searches only the seasons a family may
    register in or has registered in, like the page (the public lookup is for anyone)."""
    _open_window(a.world)
    season = a.world.b.season
    code = Address.objects.filter(season=season, text__contains="幸福路").values_list(
        "code", flat=True
    )[0]
    return _json_holds(a, f"{API}/seasons/{season.pk}/addresses?q=幸福路", "code", code)


def _api_edit(a: Attempt) -> Outcome:
    app = _editable_a1(a.world)
    response = a.post_json(f"{API}/applications/{app.pk}/edit", {})
    return _did(response, Registration.objects.filter(application=app).exists)


def _api_offer(a: Attempt) -> Outcome:
    response = a.post_json(f"{API}/applications/{_a1(a.world).pk}/offer", {"accept": True})
    return _did(response, _accepted(a.world))


def _api_object(a: Attempt) -> Outcome:
    app = _a1(a.world)
    response = a.post_json(f"{API}/applications/{app.pk}/objection", {"summary": SUMMARY})
    return _did(response, _cases(application=app, kind=Case.Kind.OBJECTION))


def _api_complain(about_a1: bool) -> Callable[[Attempt], Outcome]:
    def perform(a: Attempt) -> Outcome:
        w = a.world
        body: dict[str, Any] = {"category": "admission_fees", "summary": SUMMARY}
        if about_a1:  # named, about the family's own child
            body |= {"application": _a1(w).pk, "anonymous": False}
        else:
            body |= {"school": w.a.east.pk}
        response = a.post_json(f"{API}/complaints", body)
        return _did(response, _cases(kind=Case.Kind.COMPLAINT))

    return perform


# --- sign-up -----------------------------------------------------------------------------------


def _sign_up_code() -> str:
    """Ask for a sign-up code for PHONE as a visitor and read it from the SMS outbox (the
    message goes out on commit, so the commit callbacks are run here)."""
    with (
        override_settings(SUNSHINE_SMS_BACKEND="sunshine.accounts.sms.OutboxBackend"),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        sms.outbox.clear()
        request_sign_up_code(actor="public:matrix", phone=PHONE)
    found = re.search(r"\d{6}", sms.outbox.pop().text)
    assert found is not None
    return found.group()


def _code_sent() -> bool:
    return PhoneCode.objects.filter(phone=PHONE).exists()


def _signed_up() -> bool:
    return User.objects.filter(username=PHONE, phone=PHONE).exists()


def _sign_up_page(a: Attempt) -> Outcome:
    return a.sees("/accounts/signup/", 'data-testid="signup-phone"')


def _send_code_page(a: Attempt) -> Outcome:
    response = a.post("/accounts/signup/", {"action": "send_code", "phone": PHONE})
    return _refused_unless(response, _code_sent)


def _sign_up(a: Attempt) -> Outcome:
    code = _sign_up_code()
    data = {
        "action": "sign_up",
        "phone": PHONE,
        "code": code,
        "password": SIGN_UP_PASSWORD,
        "password2": SIGN_UP_PASSWORD,
    }
    return _refused_unless(a.post("/accounts/signup/", data), _signed_up)


def _api_send_code(a: Attempt) -> Outcome:
    return _did(a.post_json("/api/accounts/sign-up/code", {"phone": PHONE}), _code_sent)


def _api_sign_up(a: Attempt) -> Outcome:
    body = {"phone": PHONE, "code": _sign_up_code(), "password": SIGN_UP_PASSWORD}
    return _did(a.post_json("/api/accounts/sign-up", body), _signed_up)


def _a1_page(tail: str = "") -> Callable[[Attempt], HttpResponseBase]:
    def perform(a: Attempt) -> HttpResponseBase:
        return a.get(f"/family/applications/{_a1(a.world).pk}/{tail}")

    return perform


def _api_a1(tail: str = "") -> Callable[[Attempt], HttpResponseBase]:
    def perform(a: Attempt) -> HttpResponseBase:
        return a.get(f"{API}/applications/{_a1(a.world).pk}{tail}")

    return perform


def _home_lists_a1(a: Attempt) -> Outcome:
    return a.sees("/family/", f'data-testid="application-{_a1(a.world).code}"')


def _api_applications_hold_a1(a: Attempt) -> Outcome:
    return _json_holds(a, f"{API}/applications", "id", _a1(a.world).pk)


def _f(
    name: str, perform: Callable[[Attempt], object], allowed: frozenset[str], *covers: str
) -> Action:
    return Action(name, perform, allowed, covers)


def _api(
    name: str, perform: Callable[[Attempt], object], allowed: frozenset[str], operation: str
) -> Action:
    """An action of /api/family/, covering its operation ``sunshine_families_api_<operation>``."""
    return Action(
        f"api: family {name}", perform, allowed, (f"api:sunshine_families_api_{operation}",)
    )


ACTIONS = [
    # Pages: the family's home, registering a child step by step, following A1.
    _f("families: home lists A1", _home_lists_a1, FAMILY, "families:home"),
    _f("families: the register page", _register_page, PARENTS, "families:register"),
    _f("families: register a child", _register, PARENTS, "families:register"),
    _f("families: the child step", _draft_page("child"), FAMILY, "families:child"),
    _f("families: change the child", _change_child, FAMILY, "families:child"),
    _f("families: the findings step", _draft_page("findings"), FAMILY, "families:findings"),
    _f("families: answer the findings", _answer_findings, FAMILY, "families:findings"),
    _f("families: the schools step", _draft_page("schools"), FAMILY, "families:schools"),
    _f("families: choose schools", _choose, FAMILY, "families:schools"),
    _f("families: the submit step", _draft_page("submit"), FAMILY, "families:submit"),
    _f("families: submit a registration", _submit, FAMILY, "families:submit"),
    _f("families: A1's page", _a1_page(), FAMILY, "families:application"),
    _f("families: edit A1", _edit, FAMILY, "families:edit"),
    _f("families: accept A1's offer", _offer, FAMILY, "families:offer"),
    _f("families: the objection form of A1", _a1_page("objection/"), FAMILY, "families:objection"),
    _f("families: object to A1's result", _object, FAMILY, "families:objection"),
    _f("families: A1's receipt", _a1_page("receipt.json"), FAMILY, "families:receipt"),
    page("families: the complaint form", "/family/complaint/", PARENTS, "families:complaint"),
    _f("families: complain about east", _complain, PARENTS, "families:complaint"),
    # The API, the same services.
    _api("seasons open", _api_seasons, PARENTS, "seasons"),
    _api("address search", _api_addresses, PARENTS, "addresses"),
    _api("address search of a season not open", _api_addresses_not_open, NOBODY, "addresses"),
    _api("registrations hold the draft", _api_registrations_hold_draft, FAMILY, "registrations"),
    _api("register a child", _api_register, PARENTS, "create_registration"),
    _api("a registration", _api_registration(""), FAMILY, "registration"),
    _api("change the child", _api_change_child, FAMILY, "change_child"),
    _api("a registration's findings", _api_registration("/findings"), FAMILY, "findings"),
    _api("answer the findings", _api_answer, FAMILY, "answer"),
    _api("a registration's schools", _api_registration("/schools"), FAMILY, "schools"),
    _api("choose schools", _api_choose, FAMILY, "choices"),
    _api("submit", _api_submit, FAMILY, "submit"),
    _api("applications hold A1", _api_applications_hold_a1, FAMILY, "applications"),
    _api("A1", _api_a1(), FAMILY, "application"),
    _api("edit A1", _api_edit, FAMILY, "edit"),
    _api("accept A1's offer", _api_offer, FAMILY, "offer"),
    _api("object to A1", _api_object, FAMILY, "objection"),
    _api("complain about east", _api_complain(about_a1=False), PARENTS, "complaint"),
    _api("complain about A1", _api_complain(about_a1=True), FAMILY, "complaint"),
    _api("A1's receipt", _api_a1("/receipt"), FAMILY, "receipt"),
    # Sign-up is for visitors, on the page and through the API alike.
    _f("accounts: the sign-up form", _sign_up_page, VISITOR, "accounts:signup"),
    _f("accounts: send a sign-up code", _send_code_page, VISITOR, "accounts:signup"),
    _f("accounts: sign up", _sign_up, VISITOR, "accounts:signup"),
    _f(
        "api: accounts send a sign-up code",
        _api_send_code,
        VISITOR,
        "api:sunshine_accounts_api_send_code",
    ),
    _f("api: accounts sign up", _api_sign_up, VISITOR, "api:sunshine_accounts_api_create_account"),
]
