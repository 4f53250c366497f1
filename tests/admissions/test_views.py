"""The staff list of applications: who may see it, what they see, and what it costs."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import DjangoAssertNumQueries, Settings

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Admission, Application
from sunshine.audit.models import AuditEvent
from sunshine.core.ids import mask_id
from tests.portal.factories import County, build_county, make_application, make_user
from tests.portal.html_text import CJK, visible_text

pytestmark = pytest.mark.django_db
URL = "/staff/applications/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> County:
    return build_county()


@pytest.fixture
def neighbour(db: None) -> County:
    """Another county of the same city (3301xx), and so in the same supervisor's region."""
    return build_county("330122", "邻县")


def _signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _codes(client: Client, **params: str) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return {row.application.code for row in response.context["rows"]}


def test_anonymous_visitors_are_sent_to_login(client: Client, county: County) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/staff/applications/")


@pytest.mark.parametrize("role", [Role.PARENT, Role.WITNESS, Role.NOTARY])
def test_non_staff_roles_are_forbidden(client: Client, county: County, role: Role) -> None:
    user = make_user(role, region_code="330110")
    assert _signed_in(client, user).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("role", "region_code"),
    [
        (Role.BUREAU_REVIEWER, "330110"),
        (Role.BUREAU_ADMIN, "330110"),
        (Role.INSPECTOR, "330110"),
    ],
)
def test_county_roles_see_their_county_only(
    client: Client, county: County, neighbour: County, role: Role, region_code: str
) -> None:
    user = make_user(role, region_code=region_code)
    assert _codes(_signed_in(client, user)) == {a.code for a in county.applications.values()}
    # The neighbour's season is not in scope, even when asked for by id.
    response = client.get(URL, {"season": str(neighbour.season.pk)})
    assert response.status_code == 404


def test_a_supervisor_sees_every_county_under_its_prefix(
    client: Client, county: County, neighbour: County
) -> None:
    user = make_user(Role.SUPERVISOR, region_code="3301")
    _signed_in(client, user)
    seen = _codes(client, season=str(county.season.pk)) | _codes(
        client, season=str(neighbour.season.pk)
    )
    expected = {a.code for c in (county, neighbour) for a in c.applications.values()}
    assert seen == expected


def test_staff_without_a_scope_see_nothing(client: Client, county: County) -> None:
    for role in (Role.BUREAU_REVIEWER, Role.SUPERVISOR, Role.SCHOOL_STAFF):
        user = make_user(role)  # no region, no school
        response = _signed_in(client, user).get(URL)
        assert response.status_code == 200
        assert response.context["season"] is None


def test_a_school_officer_sees_only_applicants_of_their_school(
    client: Client, county: County, neighbour: County
) -> None:
    officer = make_user(Role.SCHOOL_STAFF, school=county.east, region_code="330110")
    apps = county.applications
    assert _codes(_signed_in(client, officer)) == {apps["a1"].code, apps["a3"].code}
    private_officer = make_user(Role.SCHOOL_STAFF, school=county.private)
    assert _codes(_signed_in(client, private_officer)) == {apps["a4"].code}
    # Admitted there without listing it (placed by the bureau): visible to that school too.
    placed = make_application(county.season, "330110-A9", preferences=(county.west,))
    placed.status = Application.Status.OVERFLOW_PLACED
    placed.save()
    Admission.objects.create(
        season=county.season,
        application=placed,
        child_id_number=placed.child_id_number,
        school=county.east,
        kind=Admission.Kind.OVERFLOW_PLACED,
    )
    assert "330110-A9" in _codes(_signed_in(client, officer))
    # Never another school's applicant, not even by asking for that school.
    response = client.get(URL, {"school": str(county.west.pk)})
    assert response.context["form"].errors["school"]
    assert apps["a2"].code not in {r.application.code for r in response.context["rows"]}


def test_filters(client: Client, county: County) -> None:
    apps = county.applications
    _signed_in(client, make_user(Role.BUREAU_REVIEWER, region_code="330110"))
    assert _codes(client, stage="junior") == {apps["j1"].code}
    assert _codes(client, status="admitted") == {apps["a2"].code}
    assert _codes(client, school=str(county.east.pk)) == {apps["a1"].code, apps["a3"].code}
    assert _codes(client, school=str(county.private.pk)) == {apps["a4"].code}
    assert _codes(client, priority_group="military") == {apps["a4"].code}
    assert _codes(client, special_needs="disabled") == {apps["a3"].code}
    assert _codes(client, code="a3") == {apps["a3"].code}
    assert _codes(client, stage="primary", school=str(county.west.pk), status="submitted") == {
        apps["a1"].code,
        apps["a3"].code,
    }


def test_a_school_outside_scope_is_a_form_error_not_a_leak(client: Client, county: County) -> None:
    officer = make_user(Role.SCHOOL_STAFF, school=county.east)
    response = _signed_in(client, officer).get(URL, {"school": str(county.west.pk)})
    assert response.context["form"].errors["school"]
    assert {r.application.code for r in response.context["rows"]} == {
        county.applications["a1"].code,
        county.applications["a3"].code,
    }


def test_names_and_ids_are_masked_for_ordinary_staff(client: Client, county: County) -> None:
    a1 = county.applications["a1"]
    _signed_in(client, make_user(Role.BUREAU_REVIEWER, region_code="330110"))
    html = client.get(URL, {"code": a1.code}).content.decode()
    assert "张*三" in html
    assert mask_id(a1.child_id_number) in html
    assert a1.child_id_number not in html
    assert "张小三" not in html
    assert not AuditEvent.objects.exists()


def test_the_bureau_admin_sees_data_unmasked_and_it_is_audited(
    client: Client, county: County
) -> None:
    a1 = county.applications["a1"]
    admin = make_user(Role.BUREAU_ADMIN, region_code="330110")
    html = _signed_in(client, admin).get(URL, {"code": a1.code}).content.decode()
    assert "张小三" in html
    assert a1.child_id_number in html
    event = AuditEvent.objects.get(action="applications.personal_data_viewed")
    assert event.actor == f"user:{admin.pk}"
    assert a1.code in event.canonical
    assert a1.child_id_number not in event.canonical


def test_pages_of_fifty_in_a_fixed_number_of_queries(
    client: Client, county: County, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    user = make_user(Role.BUREAU_REVIEWER, region_code="330110")
    _signed_in(client, user)
    # session, user, season, schools for the form, count, page, preferences with schools
    with django_assert_num_queries(7):
        small = client.get(URL)
    for i in range(70):
        make_application(county.season, f"330110-B{i:03d}", preferences=(county.east, county.west))
    with django_assert_num_queries(7):
        big = client.get(URL)
    assert len(small.context["rows"]) == 5
    assert len(big.context["rows"]) == 50
    assert big.context["page"].paginator.num_pages == 2
    second = client.get(URL, {"page": "2"})
    assert len(second.context["rows"]) == 25
    assert 'rel="prev"' in second.content.decode()


def test_the_list_has_no_chinese_in_english(client: Client, county: County) -> None:
    user = make_user(Role.BUREAU_REVIEWER, region_code="330110")
    _signed_in(client, user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(URL).content.decode()
    schools = (county.east, county.west, county.private, county.junior)
    names = ("示范县", "简体中文", "张*三", "李*", "王*六", "赵*", "孙*")
    data = (*(s.name for s in schools), *(s.code for s in schools), *names)
    text = visible_text(html, without=data)
    assert not CJK.findall(text), text
