"""Who may do what in review, asked the same way by every service, page and API call.

Level 1 is a school's admissions officer, on applications that list the school; level 2 and
the approval and withdrawal of overrides are the county bureau's reviewers and administrators;
reopening a final decision is the county bureau administrator's (never the decider's); any
of them may request an override (a school officer only for a tier at their own school).
Inspectors and supervisors read, and act on nothing. Scope is
``admissions.queries.applications_visible_to``: an application outside it is answered as not
found, so its existence does not leak.
"""

from __future__ import annotations

from typing import Any, Final

from django.utils.translation import gettext as _

from sunshine.accounts.models import Role, User
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import Application
from sunshine.admissions.queries import applications_visible_to
from sunshine.errors import NotAllowed, NotFound

FIRST_LEVEL: Final = (Role.SCHOOL_STAFF,)
SECOND_LEVEL: Final = (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN)
REQUESTERS: Final = (*FIRST_LEVEL, *SECOND_LEVEL)
APPROVERS: Final = SECOND_LEVEL
REOPENERS: Final = (Role.BUREAU_ADMIN,)  # reopen a final decision (never its own)
READERS: Final = (*REQUESTERS, Role.INSPECTOR, Role.SUPERVISOR)


def require(actor: Any, roles: tuple[Role, ...], message: str) -> User:
    """The acting person, if signed in, active and holding one of ``roles``; else NotAllowed
    with ``message`` (a reason the person can act on, not a role code)."""
    if not isinstance(actor, User):
        raise NotAllowed(_("审核与更正须由登录的工作人员本人进行"))
    try:
        require_role(actor, *roles, action="review")
    except NotAllowed as refused:
        raise NotAllowed(message) from refused
    return actor


def require_reader(actor: Any) -> User:
    return require(actor, READERS, _("只有招生工作人员和监督人员可以查看审核"))


def visible_application(actor: User, pk: int) -> Application:
    application = applications_visible_to(actor).select_related("season").filter(pk=pk).first()
    if application is None:
        raise NotFound(_("没有这份报名，或它不在您的工作范围内"))
    return application


def can_decide(user: Any, level: int) -> bool:
    roles = FIRST_LEVEL if level == 1 else SECOND_LEVEL
    return isinstance(user, User) and user.is_active and user.role in roles


def can_request(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.role in REQUESTERS


def can_approve(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.role in APPROVERS


def can_reopen(user: Any) -> bool:
    return isinstance(user, User) and user.is_active and user.role in REOPENERS
