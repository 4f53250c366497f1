"""A family signs up with its phone: SMS codes through the pluggable backend, hashed, expiring,
single-use, rate-limited; then phone + password sign in through the ordinary login."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.utils import timezone

from sunshine.accounts import sms
from sunshine.accounts.models import PhoneCode, Role, User
from sunshine.accounts.signup import (
    MAX_FAILED_ATTEMPTS,
    RateLimited,
    SignUp,
    normalise_phone,
    request_sign_up_code,
    sign_up,
)
from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed
from tests.portal.factories import make_user

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
PASSWORD = "a-long-family-password"
Capture = Callable[..., Any]


def code_in(message: sms.Message) -> str:
    found = re.search(r"\d{6}", message.text)
    assert found is not None, message.text
    return found.group()


def send(capture: Capture, phone: str = PHONE, **kwargs: Any) -> PhoneCode:
    with capture(execute=True):
        return request_sign_up_code(actor="public:test", phone=phone, **kwargs)


def test_a_code_is_sent_after_commit_and_stored_only_as_a_digest(
    outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    issued = send(django_capture_on_commit_callbacks)
    assert [m.phone for m in outbox] == [PHONE]
    code = code_in(outbox[0])
    stored = PhoneCode.objects.get(pk=issued.pk)
    assert code not in stored.code_digest
    assert stored.expires_at - stored.created_at == dt.timedelta(minutes=10)
    event = AuditEvent.objects.get(action="accounts.phone_code_sent")
    assert PHONE not in event.canonical
    assert code not in event.canonical


def test_the_console_backend_prints_the_code(
    capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Capture
) -> None:
    send(django_capture_on_commit_callbacks)
    err = capsys.readouterr().err
    assert re.search(r"\d{6}", err)
    assert PHONE not in err  # the phone is masked in the log line


def test_a_rolled_back_request_sends_nothing(outbox: list[sms.Message]) -> None:
    make_user(Role.PARENT, PHONE)  # the phone is taken: refused before anything is sent
    with pytest.raises(Conflict):
        request_sign_up_code(actor="public:test", phone=PHONE)
    assert outbox == []
    assert not PhoneCode.objects.exists()


@pytest.mark.parametrize(
    ("raw", "phone"),
    [("138 0013 8000", PHONE), ("+86 138-0013-8000", PHONE), ("8613800138000", PHONE)],
)
def test_phone_numbers_are_normalised(raw: str, phone: str) -> None:
    assert normalise_phone(raw) == phone


@pytest.mark.parametrize("raw", ["", "12345", "23800138000", "1380013800a", "138001380001"])
def test_bad_phone_numbers_are_refused_on_the_field(raw: str) -> None:
    with pytest.raises(Invalid) as error:
        normalise_phone(raw)
    assert error.value.field == "phone"


def test_codes_are_rate_limited_per_phone(
    outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    at = timezone.now()
    send(django_capture_on_commit_callbacks, at=at)
    with pytest.raises(RateLimited) as error:
        send(django_capture_on_commit_callbacks, at=at + dt.timedelta(seconds=30))
    assert error.value.http_status == 429
    for minutes in (2, 4, 6, 8):
        send(django_capture_on_commit_callbacks, at=at + dt.timedelta(minutes=minutes))
    with pytest.raises(RateLimited):  # five an hour
        send(django_capture_on_commit_callbacks, at=at + dt.timedelta(minutes=10))
    send(django_capture_on_commit_callbacks, at=at + dt.timedelta(minutes=70))
    assert len(outbox) == 6


def test_codes_are_rate_limited_per_client(
    outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    for i in range(20):
        send(django_capture_on_commit_callbacks, phone=f"1390000{i:04d}", client="10.0.0.1")
    with pytest.raises(RateLimited):
        send(django_capture_on_commit_callbacks, phone="13911112222", client="10.0.0.1")
    send(django_capture_on_commit_callbacks, phone="13911112222", client="10.0.0.2")
    assert len(outbox) == 21


def test_sign_up_with_the_code_makes_a_parent_who_logs_in_with_the_phone(
    outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    send(django_capture_on_commit_callbacks)
    user = sign_up(actor="public:test", data=SignUp(PHONE, code_in(outbox[0]), PASSWORD))
    assert (user.username, user.phone, user.role) == (PHONE, PHONE, Role.PARENT)
    assert authenticate(username=PHONE, password=PASSWORD) == user
    assert AuditEvent.objects.filter(action="accounts.signed_up", object_id=str(user.pk)).exists()
    with pytest.raises(Conflict):  # single use, and the phone is now taken
        sign_up(actor="public:test", data=SignUp(PHONE, code_in(outbox[0]), PASSWORD))


def test_a_code_is_single_use(
    outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    send(django_capture_on_commit_callbacks)
    code = code_in(outbox[0])
    sign_up(actor="public:test", data=SignUp(PHONE, code, PASSWORD))
    User.objects.filter(username=PHONE).delete()  # even with the account gone
    with pytest.raises(Invalid) as error:
        sign_up(actor="public:test", data=SignUp(PHONE, code, PASSWORD))
    assert error.value.field == "code"


def test_an_expired_code_is_refused(
    outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    at = timezone.now()
    send(django_capture_on_commit_callbacks, at=at)
    late = at + dt.timedelta(minutes=11)
    with pytest.raises(Invalid, match="失效"):
        sign_up(actor="public:test", data=SignUp(PHONE, code_in(outbox[0]), PASSWORD), at=late)
    assert not User.objects.exists()


def test_wrong_guesses_are_counted_and_kill_the_code(
    outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    send(django_capture_on_commit_callbacks)
    right = code_in(outbox[0])
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(Invalid, match="不正确"):
            sign_up(actor="public:test", data=SignUp(PHONE, wrong, PASSWORD))
    # The count survived each refusal (it is committed before the error is raised).
    assert PhoneCode.objects.get().failed_attempts == MAX_FAILED_ATTEMPTS
    with pytest.raises(Invalid, match="失效"):
        sign_up(actor="public:test", data=SignUp(PHONE, right, PASSWORD))
    assert not User.objects.exists()


def test_a_weak_password_is_refused_on_its_field(
    outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    send(django_capture_on_commit_callbacks)
    with pytest.raises(Invalid) as error:
        sign_up(actor="public:test", data=SignUp(PHONE, code_in(outbox[0]), "12345678"))
    assert error.value.field == "password"
    assert PhoneCode.objects.get().used_at is None  # the code is still good


def test_the_sign_up_page_sends_a_code_then_signs_in(
    client: Client, outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert 'data-testid="send-code"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/accounts/signup/", {"phone": PHONE, "action": "send_code"})
    assert 'data-testid="code-sent"' in sent.content.decode()
    mismatch = client.post(
        "/accounts/signup/",
        {
            "phone": PHONE,
            "code": code_in(outbox[0]),
            "password": PASSWORD,
            "password2": "something-else",
            "action": "sign_up",
        },
    )
    assert 'data-testid="error-password2"' in mismatch.content.decode()
    done = client.post(
        "/accounts/signup/",
        {
            "phone": PHONE,
            "code": code_in(outbox[0]),
            "password": PASSWORD,
            "password2": PASSWORD,
            "action": "sign_up",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == "/family/"
    assert client.session["_auth_user_id"] == str(User.objects.get(username=PHONE).pk)


def test_a_wrong_code_on_the_page_is_shown_beside_the_code_field(
    client: Client, outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    send(django_capture_on_commit_callbacks)
    page = client.post(
        "/accounts/signup/",
        {"phone": PHONE, "code": "000000", "password": PASSWORD, "password2": PASSWORD},
    )
    html = page.content.decode()
    assert 'data-testid="error-code"' in html
    assert "_auth_user_id" not in client.session


def test_the_api_signs_up_in_two_calls(
    client: Client, outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/api/accounts/sign-up/code", {"phone": PHONE}, content_type="application/json"
        )
    assert sent.status_code == 201
    again = client.post(
        "/api/accounts/sign-up/code", {"phone": PHONE}, content_type="application/json"
    )
    assert again.status_code == 429
    assert again.json()["error"] == "rate_limited"
    bad = client.post(
        "/api/accounts/sign-up",
        {"phone": PHONE, "code": "x", "password": PASSWORD},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "code"
    made = client.post(
        "/api/accounts/sign-up",
        {"phone": PHONE, "code": code_in(outbox[0]), "password": PASSWORD},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["role"] == "parent"
    assert client.get("/api/family/applications").status_code == 200  # signed in


@pytest.mark.parametrize("role", [Role.PARENT, Role.BUREAU_ADMIN])
def test_a_signed_in_user_may_not_sign_up_again(
    role: Role, outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    """Sign-up is for visitors: the services refuse any account, whatever its role, before a
    code is sent or spent."""
    someone = make_user(role, "signed-in")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
        request_sign_up_code(actor=someone, phone=PHONE)
    assert outbox == []
    assert not PhoneCode.objects.exists()
    send(django_capture_on_commit_callbacks)  # a visitor's code for the phone
    with pytest.raises(NotAllowed, match="已登录"):
        sign_up(actor=someone, data=SignUp(PHONE, code_in(outbox[0]), PASSWORD))
    assert not User.objects.filter(username=PHONE).exists()
    assert PhoneCode.objects.get().used_at is None  # the code was not spent
    assert not AuditEvent.objects.filter(action="accounts.signed_up").exists()


def test_the_api_refuses_a_caller_who_is_signed_in(
    client: Client, outbox: list[sms.Message], django_capture_on_commit_callbacks: Capture
) -> None:
    """Like the page (which sends a signed-in user home), the API makes no second account
    from inside a session: 403 with the usual JSON body, and the session is left as it was."""
    parent = make_user(Role.PARENT, "13700137000")
    client.force_login(parent)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            "/api/accounts/sign-up/code", {"phone": PHONE}, content_type="application/json"
        )
    assert sent.status_code == 403
    assert sent.json()["error"] == "forbidden"
    assert "已登录" in sent.json()["message"]
    assert outbox == []
    send(django_capture_on_commit_callbacks)  # a code the caller got some other way
    made = client.post(
        "/api/accounts/sign-up",
        {"phone": PHONE, "code": code_in(outbox[0]), "password": PASSWORD},
        content_type="application/json",
    )
    assert made.status_code == 403
    assert made.json()["error"] == "forbidden"
    assert not User.objects.filter(username=PHONE).exists()
    assert PhoneCode.objects.get().used_at is None
    assert client.session["_auth_user_id"] == str(parent.pk)


def test_the_page_still_sends_a_signed_in_user_home(client: Client) -> None:
    client.force_login(make_user(Role.PARENT, "13700137000"))
    response = client.post("/accounts/signup/", {"phone": PHONE, "action": "send_code"})
    assert response.status_code == 302
    assert response["Location"] == "/family/"
    assert not PhoneCode.objects.exists()
