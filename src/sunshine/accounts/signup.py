"""A family signs up with its phone: an SMS code proves the phone, then phone + password make
a parent account whose username is the phone (so the ordinary login works with it).

Codes are six random digits. Only a keyed digest is stored; a code lives ten minutes, allows
five wrong guesses and is spent on first use. Requests are rate-limited per phone and per
client, because every message costs money and can be used to pester a stranger's phone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import PhoneCode, Role, User
from sunshine.accounts.sms import send_sms
from sunshine.audit.services import Actor, personal_ref, record_event
from sunshine.errors import Conflict, Invalid, NotAllowed, RateLimited

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_FAILED_ATTEMPTS = 5
# (window, most codes a phone may be sent in it)
PHONE_LIMITS = (
    (dt.timedelta(minutes=1), 1),
    (dt.timedelta(hours=1), 5),
    (dt.timedelta(days=1), 10),
)
CLIENT_LIMIT = (dt.timedelta(hours=1), 20)

_MOBILE = re.compile(r"1[3-9]\d{9}")


def normalise_phone(raw: str) -> str:
    """An 11-digit mainland mobile number from what a person types (spaces, dashes, +86)."""
    digits = re.sub(r"[\s\-()]", "", raw or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
    if not _MOBILE.fullmatch(digits):
        raise Invalid(_("请输入11位手机号码"), field="phone")
    return digits


def _code_digest(phone: str, purpose: str, code: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"{purpose}:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _client_digest(client: str) -> str:
    return personal_ref(client)[len("sha256:") :] if client else ""


def _phone_taken(phone: str) -> bool:
    return User.objects.filter(Q(phone=phone) | Q(username=phone)).exists()


def require_visitor(actor: Actor) -> None:
    """Sign-up is for visitors: refuse an actor who is signed in already (a user, not the
    visitor's name such as "public:web"), whatever their role, so neither the page nor the API
    makes a second account from inside a session."""
    if getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("您已登录，如需注册新账户请先退出登录"))


def request_sign_up_code(
    *, actor: Actor, phone: str, client: str = "", at: dt.datetime | None = None
) -> PhoneCode:
    """Send a sign-up code to ``phone``. ``client`` identifies the requester (IP address)."""
    require_visitor(actor)
    at = at or timezone.now()
    phone = normalise_phone(phone)
    purpose = PhoneCode.Purpose.SIGN_UP
    with transaction.atomic():
        if _phone_taken(phone):
            raise Conflict(_("该手机号已注册，请直接登录"), field="phone")
        # Locking the phone's recent codes serialises two requests racing for the same phone.
        longest = max(window for window, _most in PHONE_LIMITS)
        sent = list(
            PhoneCode.objects.select_for_update()
            .filter(phone=phone, purpose=purpose, created_at__gt=at - longest)
            .values_list("created_at", flat=True)
        )
        for window, most in PHONE_LIMITS:
            if sum(1 for t in sent if t > at - window) >= most:
                raise RateLimited(_("验证码发送过于频繁，请稍后再试"), field="phone")
        client_ref = _client_digest(client)
        window, most = CLIENT_LIMIT
        recent = PhoneCode.objects.filter(client_digest=client_ref, created_at__gt=at - window)
        if client_ref and recent.count() >= most:
            raise RateLimited(_("验证码发送过于频繁，请稍后再试"), field="phone")
        code = f"{secrets.randbelow(10**6):06d}"
        issued = PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_digest=_code_digest(phone, purpose, code),
            created_at=at,
            expires_at=at + CODE_LIFETIME,
            client_digest=client_ref,
        )
        record_event(
            actor=actor,
            action="accounts.phone_code_sent",
            object_type="phone_code",
            object_id=str(issued.pk),
            detail={"phone": personal_ref(phone), "purpose": purpose},
            at=at,
        )
        text = _("【阳光招生】您的注册验证码是%(code)s，%(minutes)s分钟内有效。请勿告诉他人。") % {
            "code": code,
            "minutes": int(CODE_LIFETIME.total_seconds() // 60),
        }
        # Sent once the code is committed: a rolled-back request never reaches a phone.
        transaction.on_commit(lambda: send_sms(phone, text))
    return issued


class _Check(Enum):
    OK = "ok"
    WRONG = "wrong"
    NONE = "none"  # no live code: expired, spent, or too many wrong guesses


def _consume(phone: str, purpose: str, code: str, at: dt.datetime) -> _Check:
    """Spend the phone's live code if ``code`` matches it; count a wrong guess otherwise."""
    live = (
        PhoneCode.objects.select_for_update()
        .filter(phone=phone, purpose=purpose, used_at__isnull=True, expires_at__gt=at)
        .order_by("-created_at")
        .first()
    )
    if live is None or live.failed_attempts >= MAX_FAILED_ATTEMPTS:
        return _Check.NONE
    if not hmac.compare_digest(live.code_digest, _code_digest(phone, purpose, code.strip())):
        live.failed_attempts += 1
        live.save(update_fields=["failed_attempts"])
        return _Check.WRONG
    live.used_at = at
    live.save(update_fields=["used_at"])
    return _Check.OK


@dataclass(frozen=True, slots=True)
class SignUp:
    phone: str
    code: str
    password: str


def sign_up(*, actor: Actor, data: SignUp, at: dt.datetime | None = None) -> User:
    """Create a parent account for a phone proven by its SMS code. A wrong code is counted
    (and the count kept) before the error is raised."""
    require_visitor(actor)
    at = at or timezone.now()
    phone = normalise_phone(data.phone)
    user = User(username=phone, phone=phone, role=Role.PARENT)
    try:
        validate_password(data.password, user=user)
    except ValidationError as error:
        raise Invalid(" ".join(error.messages), field="password") from error
    with transaction.atomic():
        if _phone_taken(phone):
            raise Conflict(_("该手机号已注册，请直接登录"), field="phone")
        check = _consume(phone, PhoneCode.Purpose.SIGN_UP, data.code, at)
        if check is _Check.OK:
            user.set_password(data.password)
            user.save()
            record_event(
                actor=actor,
                action="accounts.signed_up",
                object_type="user",
                object_id=str(user.pk),
                detail={"phone": personal_ref(phone), "role": user.role},
                at=at,
            )
            return user
    # The wrong guess was counted in the transaction above, which has committed.
    if check is _Check.WRONG:
        raise Invalid(_("验证码不正确"), field="code")
    raise Invalid(_("验证码已失效，请重新获取"), field="code")
