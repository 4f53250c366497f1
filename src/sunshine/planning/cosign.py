"""On-the-spot co-signature (会签): the second person types their own username and password
into the same form, and is authenticated there and then.

There is no pending-request model: a two-person action either happens with both people
present, or not at all. The services that take an ``approver`` check role and identity again;
this is where a page or an API call turns typed credentials into that approver.
"""

from __future__ import annotations

from collections.abc import Collection

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role, User
from sunshine.errors import Invalid, NotAllowed

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
) -> User:
    """The authenticated second person, or a refusal naming the form field at fault.

    ``roles``: the roles a co-signer may hold. ``region_code``: when given, the co-signer must
    work in that county (a bureau cannot co-sign for another county's season)."""
    username = (username or "").strip()
    if not username:
        raise Invalid(_("请会签人输入其用户名。"), field=USERNAME_FIELD)
    if not password:
        raise Invalid(_("请会签人输入其密码。"), field=PASSWORD_FIELD)
    # authenticate() answers None for a wrong password, an unknown name and an inactive
    # account alike: the message does not tell which.
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        raise Invalid(_("会签人的用户名或密码不正确。"), field=PASSWORD_FIELD)
    if user.pk == actor.pk:
        raise NotAllowed(_("会签人必须是另一个人，不能由您本人会签。"), field=USERNAME_FIELD)
    if user.role not in roles:
        allowed = "、".join(str(Role(r).label) for r in sorted(roles))
        raise NotAllowed(_("会签人必须是%(roles)s。") % {"roles": allowed}, field=USERNAME_FIELD)
    if region_code is not None and user.region_code != region_code:
        raise NotAllowed(_("会签人必须属于本县（区）教育局。"), field=USERNAME_FIELD)
    return user
