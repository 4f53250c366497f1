"""The site's navigation, built per request from the signed-in user's role.

Each entry names a URL; an entry whose URL is not installed is skipped, so an app adds its
page here once and the menu follows the role without a template ``if`` per link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunshine.accounts.models import Role

STAFF = frozenset({Role.SCHOOL_STAFF, Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})
BUREAU = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})
OVERSIGHT = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR, Role.SUPERVISOR})


@dataclass(frozen=True, slots=True)
class Entry:
    url_name: str
    label: str | Promise
    roles: frozenset[str] | None  # None: everyone, signed in or not


ENTRIES = (
    Entry("portal:home", _("信息公开"), None),
    Entry("families:home", _("我的报名"), frozenset({Role.PARENT})),
    Entry("admissions:application_list", _("报名管理"), STAFF | OVERSIGHT),
    Entry("review:queue", _("审核"), STAFF),
    Entry("analytics:dashboard", _("数据看板"), STAFF | OVERSIGHT),
    Entry("planning:home", _("计划与片区"), BUREAU),
    Entry("ceremony:staff", _("摇号"), frozenset({Role.BUREAU_ADMIN, Role.NOTARY, Role.WITNESS})),
    Entry("oversight:case_list", _("投诉举报"), OVERSIGHT),
    Entry("ledgers:home", _("台账"), OVERSIGHT),
    Entry("campaigns:home", _("专项行动"), OVERSIGHT),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    role = user.role if user is not None and user.is_authenticated else None
    current = request.path
    items = []
    for entry in ENTRIES:
        if entry.roles is not None and role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        here = current == url if url == "/" else current.startswith(url)
        items.append({"url": url, "label": entry.label, "current": here})
    return {"nav_items": items}
