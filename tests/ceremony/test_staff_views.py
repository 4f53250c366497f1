"""The staff ceremony pages: the administrator runs each step, witnesses type their inputs,
a redraw needs an on-the-spot co-signature, and nobody acts outside their county."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Admission, Season, SeasonRun
from sunshine.audit.models import AuditEvent
from sunshine.ceremony import services
from sunshine.ceremony.models import Ceremony, Redraw
from tests.portal.factories import County, build_county, make_user

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> County:
    return build_county()


@pytest.fixture
def admin(county: County) -> User:
    return make_user(Role.BUREAU_ADMIN, "admin", region_code="330110")


@pytest.fixture
def admin2(county: County) -> User:
    return make_user(Role.BUREAU_ADMIN, "admin2", region_code="330110")


@pytest.fixture
def notary(county: County) -> User:
    return make_user(Role.NOTARY, "notary")


def _as(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _step(client: Client, ceremony: Ceremony, step: str, **data: str) -> int:
    response = client.post(f"/lottery/staff/{ceremony.pk}/{step}/", data)
    return response.status_code


def _drawn(county: County, admin: User, notary: User) -> Ceremony:
    ceremony = services.freeze_pool(county.season, actor=admin, label="城东小学 2026")
    services.announce(ceremony, actor=admin, witness_roles=["notary"])
    services.add_witness_input(ceremony, actor=notary, role="notary", name="张公证", value="42")
    return services.draw(ceremony, actor=admin)


def test_the_whole_ceremony_runs_through_the_staff_pages(
    client: Client, county: County, admin: User, notary: User
) -> None:
    c = _as(Client(), admin)
    response = c.post("/lottery/staff/", {"season": county.season.pk, "label": "城东小学 2026"})
    assert response.status_code == 302
    ceremony = Ceremony.objects.get()
    assert response["Location"] == f"/lottery/staff/{ceremony.pk}/"
    assert c.get(response["Location"]).status_code == 200

    roles = "notary\nparent_representative"
    assert _step(c, ceremony, "announce", witness_roles=roles, beacon_source="") == 302
    # The administrator cannot type a witness value, and cannot draw before the inputs.
    assert _step(c, ceremony, "input", role="notary", name="x", value="1") == 403
    assert _step(c, ceremony, "draw") == 409

    w = _as(Client(), notary)
    page = w.get(f"/lottery/staff/{ceremony.pk}/").content.decode()
    assert 'data-testid="input-form"' in page
    assert _step(w, ceremony, "input", role="notary", name="张公证", value="314159") == 302
    rep = make_user(Role.WITNESS, "rep")
    r = _as(Client(), rep)
    assert _step(r, ceremony, "input", role="parent_representative", name="李", value="27") == 302
    # Nobody sees a typed value before the draw, the administrator included.
    assert "314159" not in c.get(f"/lottery/staff/{ceremony.pk}/").content.decode()

    assert _step(c, ceremony, "draw") == 302
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.DRAWN
    assert "314159" in c.get(f"/lottery/staff/{ceremony.pk}/").content.decode()
    assert _step(c, ceremony, "publish") == 302
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.PUBLISHED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"ceremony.frozen", "ceremony.announced", "ceremony.drawn", "ceremony.published"} <= (
        actions
    )


def test_a_redraw_needs_a_second_administrator_typing_their_password(
    client: Client, county: County, admin: User, admin2: User, notary: User
) -> None:
    ceremony = _drawn(county, admin, notary)
    c = _as(client, admin)

    def redraw(username: str, password: str, reason: str = "见证人输入时断电") -> int:
        data = {"reason": reason, "cosigner_username": username, "cosigner_password": password}
        return _step(c, ceremony, "redraw", **data)

    assert redraw("admin", PASSWORD) == 403  # the same person
    assert redraw("admin2", "wrong") == 422  # a wrong password
    assert redraw("nobody", PASSWORD) == 422  # an unknown name reads the same
    reviewer = make_user(Role.BUREAU_REVIEWER, "reviewer", region_code="330110")
    assert redraw(reviewer.username, PASSWORD) == 403  # the wrong role
    make_user(Role.BUREAU_ADMIN, "far-admin", region_code="330122")
    assert redraw("far-admin", PASSWORD) == 403  # another county
    assert redraw("admin2", PASSWORD, reason="") == 422  # no reason
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.DRAWN
    assert not Redraw.objects.exists()

    response = c.post(
        f"/lottery/staff/{ceremony.pk}/redraw/",
        {"reason": "x", "cosigner_username": "admin2", "cosigner_password": "wrong"},
    )
    assert "会签人的用户名或密码不正确" in response.content.decode()

    assert redraw("admin2", PASSWORD) == 302
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.ANNOUNCED
    entry = Redraw.objects.get()
    assert (entry.actor, entry.approver) == (f"user:{admin.pk}", f"user:{admin2.pk}")


@pytest.mark.parametrize("step", ["draw", "publish"])
def test_another_countys_administrator_cannot_run_the_ceremony(
    client: Client, county: County, admin: User, notary: User, step: str
) -> None:
    ceremony = _drawn(county, admin, notary)
    far = make_user(Role.BUREAU_ADMIN, "far", region_code="330122")
    c = _as(client, far)
    assert c.get(f"/lottery/staff/{ceremony.pk}/").status_code == 404
    assert _step(c, ceremony, step) == 404
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.DRAWN


@pytest.mark.parametrize(
    "role", [Role.PARENT, Role.SCHOOL_STAFF, Role.BUREAU_REVIEWER, Role.SUPERVISOR]
)
def test_roles_outside_the_ceremony_are_refused(
    client: Client, county: County, admin: User, notary: User, role: Role
) -> None:
    ceremony = _drawn(county, admin, notary)
    c = _as(client, make_user(role, region_code="330110"))
    assert c.get("/lottery/staff/").status_code == 403
    assert c.get(f"/lottery/staff/{ceremony.pk}/").status_code == 403
    assert _step(c, ceremony, "publish") == 403
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.DRAWN


def test_a_witness_cannot_take_the_administrators_steps(
    client: Client, county: County, admin: User, notary: User
) -> None:
    ceremony = _drawn(county, admin, notary)
    c = _as(client, notary)
    assert c.get(f"/lottery/staff/{ceremony.pk}/").status_code == 200
    assert _step(c, ceremony, "publish") == 403
    assert c.post("/lottery/staff/", {"season": county.season.pk, "label": "x"}).status_code == 403
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.DRAWN


def test_a_witness_held_to_another_region_does_not_see_the_ceremony(
    client: Client, county: County, admin: User, notary: User
) -> None:
    ceremony = _drawn(county, admin, notary)
    far = make_user(Role.WITNESS, "far-witness", region_code="330122")
    assert _as(client, far).get(f"/lottery/staff/{ceremony.pk}/").status_code == 404


def test_unknown_steps_are_not_found(
    client: Client, county: County, admin: User, notary: User
) -> None:
    ceremony = _drawn(county, admin, notary)
    assert _step(_as(client, admin), ceremony, "undo") == 404


def test_anonymous_visitors_are_sent_to_login(client: Client, county: County) -> None:
    response = client.get("/lottery/staff/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_administrator_runs_the_season_on_the_ceremonys_draw(
    client: Client, season: Season
) -> None:

    admin = make_user(Role.BUREAU_ADMIN, "admin", region_code=season.region_code)
    notary = make_user(Role.NOTARY, "notary")
    ceremony = services.freeze_pool(season, actor=admin, label="2026 小学")
    c = _as(client, admin)
    assert _step(c, ceremony, "run") == 409  # nothing drawn yet
    services.announce(ceremony, actor=admin, witness_roles=["notary"])
    services.add_witness_input(ceremony, actor=notary, role="notary", name="张", value="9")
    services.draw(ceremony, actor=admin)
    assert _step(_as(Client(), notary), ceremony, "run") == 403
    assert not SeasonRun.objects.exists()
    assert _step(c, ceremony, "run") == 302
    ceremony.refresh_from_db()
    run = SeasonRun.objects.get()
    assert run.lottery_seed == ceremony.seed
    assert Admission.objects.filter(season=season, decided_by_run=run).exists()
