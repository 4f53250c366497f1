"""The staff publication page: preview masked rows, co-sign on the spot, publish; scoped."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import PublishedVersion
from sunshine.admissions.staff_publication import preview_list
from sunshine.errors import NotAllowed
from tests.portal.factories import County, admit, build_county, make_user

pytestmark = pytest.mark.django_db
URL = "/staff/publications/"
PASSWORD = "pw-for-tests-only"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def county(db: None) -> County:
    county = build_county()
    admit(county.applications["a1"], county.west)  # two admitted at west: k = 2 holds
    return county


@pytest.fixture
def clerk(county: County) -> User:
    return make_user(Role.BUREAU_REVIEWER, "clerk", region_code="330110")


@pytest.fixture
def chief(county: County) -> User:
    return make_user(Role.BUREAU_ADMIN, "chief", region_code="330110")


def _publish(client: Client, county: County, username: str, password: str, **extra: str) -> int:
    data = {
        "kind": "admitted",
        "school": str(county.west.pk),
        "cosigner_username": username,
        "cosigner_password": password,
        **extra,
    }
    return client.post(f"/staff/publications/{county.season.pk}/publish/", data).status_code


def test_the_preview_shows_masked_rows_and_publishing_needs_a_cosigner(
    client: Client, county: County, clerk: User, chief: User
) -> None:
    client.force_login(clerk)
    response = client.get(URL, {"kind": "admitted", "school": county.west.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="preview-rows"' in html
    assert "张*三" in html
    assert "张小三" not in html
    assert county.applications["a1"].child_id_number not in html
    assert 'data-testid="publish-form"' in html

    assert _publish(client, county, "clerk", PASSWORD) == 403  # the publisher themself
    assert _publish(client, county, "chief", "wrong") == 422
    assert not PublishedVersion.objects.exists()

    response = client.post(
        f"/staff/publications/{county.season.pk}/publish/",
        {
            "kind": "admitted",
            "school": county.west.pk,
            "cosigner_username": "chief",
            "cosigner_password": PASSWORD,
        },
    )
    version = PublishedVersion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/publications/{version.list_id}/v1/"
    assert (version.published_by, version.approved_by) == (clerk, chief)
    assert len(version.rows) == 2

    # The page lists the version; a second one without a change or a reason is refused.
    assert "/v1/" in client.get(URL, {"kind": "admitted"}).content.decode()
    assert _publish(client, county, "chief", PASSWORD) == 400
    assert PublishedVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("role", "region"),
    [
        (Role.SCHOOL_STAFF, "330110"),
        (Role.INSPECTOR, "330110"),
        (Role.SUPERVISOR, "3301"),
        (Role.BUREAU_ADMIN, "330122"),
    ],
)
def test_the_cosigner_must_be_bureau_staff_of_the_county(
    client: Client, county: County, clerk: User, role: Role, region: str
) -> None:
    make_user(role, "second", region_code=region, school=county.west)
    client.force_login(clerk)
    assert _publish(client, county, "second", PASSWORD) == 403
    assert not PublishedVersion.objects.exists()


def test_a_list_that_singles_a_child_out_is_not_offered_for_publication(
    client: Client, county: County, clerk: User
) -> None:
    client.force_login(clerk)
    html = client.get(URL, {"kind": "admitted", "school": county.east.pk}).content.decode()
    assert 'data-testid="preview-refusal"' in html  # nobody admitted at east: empty
    preview = preview_list(county.season, "admitted", None, actor=clerk)
    assert preview.total == 2
    assert not preview.refusal


def test_school_staff_publish_only_their_own_school(
    client: Client, county: County, chief: User
) -> None:
    officer = make_user(Role.SCHOOL_STAFF, "officer", region_code="330110", school=county.west)
    client.force_login(officer)
    assert client.get(URL).status_code == 200
    other = {"school": str(county.east.pk)}
    assert _publish(client, county, "chief", PASSWORD, **other) == 403  # not theirs
    with pytest.raises(NotAllowed):
        preview_list(county.season, "admitted", None, actor=officer)
    assert _publish(client, county, "chief", PASSWORD) == 302
    assert PublishedVersion.objects.get().published_by == officer


@pytest.mark.parametrize("role", [Role.PARENT, Role.WITNESS, Role.INSPECTOR, Role.SUPERVISOR])
def test_roles_that_do_not_publish_are_refused(client: Client, county: County, role: Role) -> None:
    client.force_login(make_user(role, region_code="330110"))
    assert client.get(URL).status_code == 403
    assert _publish(client, county, "chief", PASSWORD) == 403


def test_another_countys_bureau_cannot_publish_here(client: Client, county: County) -> None:
    client.force_login(make_user(Role.BUREAU_REVIEWER, region_code="330122"))
    assert client.get(URL, {"season": county.season.pk}).status_code == 404
    assert _publish(client, county, "chief", PASSWORD) == 404
