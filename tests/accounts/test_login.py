from __future__ import annotations

import pytest
from django.test import Client

from sunshine.accounts.models import Role
from tests.portal.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"


def test_login_page_renders_in_both_languages(client: Client) -> None:
    zh = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">用户名</label>' in zh
    assert 'href="/accounts/signup/"' in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">Username</label>' in en


def test_staff_land_on_their_application_list(client: Client) -> None:
    make_user(Role.BUREAU_REVIEWER, "reviewer", region_code="330110")
    response = client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/staff/applications/"


def test_a_parent_lands_on_their_applications_and_next_is_honoured(client: Client) -> None:
    make_user(Role.PARENT, "parent")
    response = client.post("/accounts/login/", {"username": "parent", "password": PASSWORD})
    assert response["Location"] == "/family/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"username": "parent", "password": PASSWORD, "next": "/?stage=junior"}
    )
    assert response["Location"] == "/?stage=junior"


def test_a_wrong_password_is_refused_with_a_message(client: Client) -> None:
    make_user(Role.PARENT, "parent")
    response = client.post("/accounts/login/", {"username": "parent", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session_and_header_follows(client: Client) -> None:
    make_user(Role.INSPECTOR, "inspector", region_code="330110")
    client.post("/accounts/login/", {"username": "inspector", "password": PASSWORD})
    html = client.get("/").content.decode()
    assert "退出登录" in html
    assert 'href="/staff/applications/"' in html
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    html = client.get("/").content.decode()
    assert 'href="/accounts/login/"' in html
    assert "退出登录" not in html
