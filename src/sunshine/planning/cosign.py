"""On-the-spot co-signature (会签): the second person types their own username and password
into the same form, and is authenticated there and then.

There is no pending-request model: a two-person action either happens with both people
present, or not at all. The services that take an ``approver`` check role and identity again;
this is where a page or an API call turns typed credentials into that approver.

Wrong passwords are counted per co-signer (``SUNSHINE_COSIGN_MAX_FAILURES`` in
``SUNSHINE_COSIGN_WINDOW_MINUTES``, see :mod:`sunshine.accounts.passwords`), in the one count
per account that the sign-in page shares, so wrong passwords typed there count here too and
the other way round. Once the window
holds that many, co-signing with that account is refused (HTTP 429, beside
``cosigner_password``) without looking at the password, until the oldest of them ages out; the
right password clears the count. An unknown username is counted and locked the same way, so
the lockout does not tell which accounts exist. Each wrong password (``cosign.failed``), each
lockout (``cosign.locked``) and each refused attempt (``cosign.refused``) is audited, with the
signed-in person who typed it as the actor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.http import HttpRequest
from django.utils.translation import gettext as _

from sunshine.accounts import passwords
from sunshine.accounts.models import Role, User
from sunshine.errors import Invalid, NotAllowed, RateLimited

USERNAME_FIELD = "cosigner_username"
PASSWORD_FIELD = "cosigner_password"


def cosigner(
    request: HttpRequest | None,
    *,
    actor: User,
    username: str,
    password: str,
    roles: Collection[str],
    region_code: str | None = None,
    at: dt.datetime | None = None,
) -> User:
    """The authenticated second person, or a refusal naming the form field at fault.

    ``roles``: the roles a co-signer may hold. ``region_code``: when given, the co-signer must
    work in that county (a bureau cannot co-sign for another county's season). ``at``: the
    moment of the attempt, for the failure count (default now).

    A wrong password is counted and committed before the error is raised, so call this
    outside any transaction of your own (as the pages and the API do): a rollback around it
    would forget the failure."""
    username = (username or "").strip()
    if not username:
        raise Invalid(_("请会签人输入其用户名。"), field=USERNAME_FIELD)
    if not password:
        raise Invalid(_("请会签人输入其密码。"), field=PASSWORD_FIELD)
    user = _authenticate(request, actor=actor, username=username, password=password, at=at)
    if user.pk == actor.pk:
        raise NotAllowed(_("会签人必须是另一个人，不能由您本人会签。"), field=USERNAME_FIELD)
    if user.role not in roles:
        allowed = "、".join(str(Role(r).label) for r in sorted(roles))
        raise NotAllowed(_("会签人必须是%(roles)s。") % {"roles": allowed}, field=USERNAME_FIELD)
    if region_code is not None and user.region_code != region_code:
        raise NotAllowed(_("会签人必须属于本县（区）教育局。"), field=USERNAME_FIELD)
    return user


def _authenticate(
    request: HttpRequest | None,
    *,
    actor: User,
    username: str,
    password: str,
    at: dt.datetime | None,
) -> User:
    tried = passwords.attempt(
        request,
        username=username,
        password=password,
        limit=passwords.limit_of(passwords.COSIGN),
        actor=actor,
        prefix="cosign",
        at=at,
    )
    # The failure or the refusal was recorded in a transaction of its own, which has committed.
    if tried.user is not None:
        return tried.user
    if tried.refused is not None:
        raise RateLimited(
            _("该会签人的密码错误次数过多，暂时不能用此账户会签，请于 %(time)s 之后再试。")
            % {"time": tried.until},
            field=PASSWORD_FIELD,
            retry_after=tried.retry_after,
        )
    raise Invalid(_("会签人的用户名或密码不正确。"), field=PASSWORD_FIELD)
