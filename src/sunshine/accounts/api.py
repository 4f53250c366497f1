"""JSON API of the accounts app (mounted under /api/accounts/ by sunshine.config.api): a
family's sign-up, the same two steps as the page. Signing up also signs in (a session).
Like the page, sign-up is for visitors: a caller who is signed in already gets 403."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import login
from django.http import HttpRequest
from ninja import Router, Schema, Status

from sunshine.accounts.ratelimit import client_address
from sunshine.accounts.signup import SignUp, request_sign_up_code, sign_up
from sunshine.accounts.views import sign_up_actor

router = Router(tags=["accounts"])


class PhoneIn(Schema):
    phone: str


class CodeSentOut(Schema):
    expires_at: dt.datetime


class SignUpIn(Schema):
    phone: str
    code: str
    password: str


class AccountOut(Schema):
    id: int
    username: str
    phone: str
    role: str


@router.post("/sign-up/code", response={201: CodeSentOut})
def send_code(request: HttpRequest, body: PhoneIn) -> Status[CodeSentOut]:
    code = request_sign_up_code(
        actor=sign_up_actor(request), phone=body.phone, client=client_address(request)
    )
    return Status(201, CodeSentOut(expires_at=code.expires_at))


@router.post("/sign-up", response={201: AccountOut})
def create_account(request: HttpRequest, body: SignUpIn) -> Status[AccountOut]:
    user = sign_up(actor=sign_up_actor(request), data=SignUp(body.phone, body.code, body.password))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return Status(
        201, AccountOut(id=user.pk, username=user.username, phone=user.phone, role=user.role)
    )
