"""Wrong passwords counted per account, wherever a password is typed: the sign-in page
(:mod:`sunshine.accounts.forms`) and co-signing (:mod:`sunshine.planning.cosign`).

Both share one counter per account (scope ``password`` in :mod:`sunshine.accounts.ratelimit`),
so a guesser gets the limit's tries in all, not that many on each form. Each place refuses by
its own limit (``SUNSHINE_LOGIN_*``, ``SUNSHINE_COSIGN_*``) over the failures both have counted:
once the window holds that many, the account is refused without its password being looked at
(so the right one is refused too), until the oldest failures age out; the right password
clears the count. An unknown username is counted and refused the same way, keyed by a salted
reference to the name, so the limit does not tell which accounts exist.

Each wrong password (``<prefix>.failed``) and the failure that fills the window
(``<prefix>.locked``) is audited; so, when the caller asks, is each refused attempt
(``<prefix>.refused``). Sign-in audits only attempts on accounts that exist: anyone can type
a new made-up name every time, and those attempts must not grow the audit log without bound.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from sunshine.accounts import ratelimit
from sunshine.accounts.models import User
from sunshine.audit.services import Actor, EventSpec, personal_ref, record_events

SCOPE = "password"

# Each place a password is typed: the settings of its limit (count, window in minutes).
LOGIN = ("SUNSHINE_LOGIN_MAX_FAILURES", "SUNSHINE_LOGIN_WINDOW_MINUTES")
COSIGN = ("SUNSHINE_COSIGN_MAX_FAILURES", "SUNSHINE_COSIGN_WINDOW_MINUTES")


def limit_of(place: tuple[str, str]) -> ratelimit.Limit:
    """The limit of one place (:data:`LOGIN`, :data:`COSIGN`), as its settings say now."""
    return ratelimit.Limit.from_settings(*place)


def _counting_limit() -> ratelimit.Limit:
    """The limit failures are counted (and kept) by: counted while any place limits them,
    kept for the longest window, so one place's count never deletes what another still reads."""
    limits = [limit_of(place) for place in (LOGIN, COSIGN)]
    return ratelimit.Limit(max(x.most for x in limits), max(x.window for x in limits))


@dataclass(frozen=True, slots=True)
class Attempt:
    """The outcome of one typed password: the user, or ``None`` (a wrong password, an unknown
    name or an inactive account, alike); ``refused`` is the full window when the attempt was
    refused without looking at the password."""

    user: User | None
    refused: ratelimit.Window | None = None

    @property
    def retry_after(self) -> int:
        return self.refused.retry_after if self.refused else 0

    @property
    def until(self) -> str:
        """When to try again, local time to the minute, rounded up (never early)."""
        if self.refused is None:
            return ""
        at = timezone.localtime(self.refused.open_at)
        if at.second or at.microsecond:
            at = at.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        return at.strftime("%H:%M")


def attempt(
    request: HttpRequest | None,
    *,
    username: str,
    password: str,
    limit: ratelimit.Limit,
    actor: Actor,
    prefix: str,
    audit_refusals: bool = True,
    audit_unknown: bool = True,
    detail: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Attempt:
    """Check one typed password against the account's shared failure count.

    ``limit``: the refusing place's own limit. ``prefix``: of the audit actions
    (``cosign``, ``login``). ``audit_unknown``: whether attempts on a name that is no account
    are audited too. ``detail``: more for the audit detail (no personal data in the
    clear). The failure is counted and committed here, so call this outside any transaction of
    your own: a rollback around it would forget the failure."""
    at = at or timezone.now()
    with transaction.atomic():
        # Locking the account's row serialises attempts racing for it (from either place), so
        # a burst of parallel requests cannot try more passwords than the limit allows.
        pk = User.objects.select_for_update().filter(username=username).values_list("pk").first()
        if pk is not None:
            object_type, object_id = "user", str(pk[0])
        else:
            object_type, object_id = "username", personal_ref(username)
        key = ratelimit.digest(f"{object_type}:{object_id}")
        seen = ratelimit.window(SCOPE, key, limit, at=at)
        info = {**(detail or {}), "failures": len(seen.times), "limit": limit.most}
        audited = audit_unknown or pk is not None
        if seen.full:
            if audit_refusals and audited:
                spec = EventSpec(f"{prefix}.refused", object_type, object_id, detail=info)
                record_events([spec], actor=actor, at=at)
            return Attempt(None, seen)
        # authenticate() answers None for a wrong password, an unknown name and an inactive
        # account alike: the caller's message does not tell which.
        user = authenticate(request, username=username, password=password)
        if isinstance(user, User):
            ratelimit.clear(SCOPE, key)
            return Attempt(user)
        ratelimit.count(SCOPE, key, _counting_limit(), at=at)
        info["failures"] = len(seen.times) + 1
        specs = [EventSpec(f"{prefix}.failed", object_type, object_id, detail=info)]
        if 0 < limit.most <= info["failures"]:
            specs.append(EventSpec(f"{prefix}.locked", object_type, object_id, detail=info))
        if audited:
            record_events(specs, actor=actor, at=at)
    return Attempt(None)


# The audit log's actor for a sign-in attempt: a visitor, not yet anyone.
SIGN_IN_ACTOR = "public:web"


def sign_in(request: HttpRequest | None, *, username: str, password: str) -> Attempt:
    """A sign-in attempt (``login.failed``, ``login.locked``, for accounts that exist;
    refusals and names that are no account are not audited: anyone can send them, and a flood
    of them should write nothing). The detail names the client address only as a salted
    reference."""
    detail: dict[str, Any] = {}
    client = ratelimit.client_address(request) if request is not None else ""
    if client:
        detail["client"] = personal_ref(client)
    return attempt(
        request,
        username=username,
        password=password,
        limit=limit_of(LOGIN),
        actor=SIGN_IN_ACTOR,
        prefix="login",
        audit_refusals=False,
        audit_unknown=False,
        detail=detail,
    )
