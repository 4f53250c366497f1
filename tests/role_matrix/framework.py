"""The pieces of the role × action matrix: an :class:`Action`, the :class:`Attempt` it is
performed in, and how an attempt's result is judged (see the package docstring for the guide)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import resolve_url
from django.test import Client

from sunshine.accounts.models import User
from sunshine.errors import NotAllowed, NotFound
from tests.role_matrix.world import ACTORS, World


class Outcome(Enum):
    ALLOWED = "allowed"
    DENIED = "denied"
    OTHER = "other"  # neither: a 500, 405, 409, 422... always a failure of the matrix


# --- groups of actors, to write ``allowed`` sets briefly ---------------------------------------

EVERYONE = frozenset(ACTORS)
NOBODY: frozenset[str] = frozenset()
SIGNED_IN = EVERYONE - {"anonymous"}
# Read county A as staff: its bureau and inspector, and the city's supervisor.
COUNTY_A_READERS = frozenset({"bureau_reviewer", "bureau_admin", "inspector", "supervisor"})
# Staff accounts of any scope (the staff list page lets each in, then scopes its rows).
STAFF = frozenset(
    {
        "school_staff",
        "school_staff_other_school",
        "bureau_reviewer",
        "bureau_admin",
        "bureau_admin_other_county",
        "inspector",
        "inspector_other_county",
        "supervisor",
        "supervisor_other_city",
    }
)
AUDITORS = frozenset({"inspector", "inspector_other_county", "supervisor", "supervisor_other_city"})
# Everyone but these roles (e.g. ``EVERYONE - CEREMONY_ONLY``).
CEREMONY_ONLY = frozenset({"notary", "witness"})


def _drained(response: HttpResponseBase) -> HttpResponseBase:
    """A file download read to its end, so no file handle outlives the test. The test client's
    wrapper closes the response at the end without the request_finished signal closing the
    database connection (calling ``close()`` here would, on PostgreSQL, end the transaction
    that holds the world)."""
    if isinstance(response, StreamingHttpResponse):
        b"".join(response)  # its streaming content: the test client's is never asynchronous
    return response


@dataclass
class Attempt:
    """One actor trying one action: ``client`` is signed in as ``user`` (None: anonymous)."""

    client: Client
    world: World
    actor: str
    user: User | None

    def get(self, path: str, params: dict[str, Any] | None = None) -> HttpResponseBase:
        return _drained(self.client.get(path, params or {}))

    def post(self, path: str, data: dict[str, Any] | None = None) -> HttpResponseBase:
        return _drained(self.client.post(path, data or {}))

    def post_json(self, path: str, body: Any) -> HttpResponseBase:
        return _drained(self.client.post(path, json.dumps(body), content_type="application/json"))

    def sees(self, path: str, text: str, params: dict[str, Any] | None = None) -> Outcome:
        """ALLOWED if the page at ``path`` shows ``text``; DENIED if it is refused or shows a
        page without it (a list scoped to other rows); OTHER otherwise."""
        response = self.get(path, params)
        outcome = judge(response)
        if outcome is not Outcome.ALLOWED:
            return outcome
        if not isinstance(response, HttpResponse):
            return Outcome.OTHER  # a download, already drained: no page to read the text in
        return Outcome.ALLOWED if text in response.content.decode() else Outcome.DENIED


@dataclass(frozen=True)
class Action:
    """One thing a user can try, and who may.

    ``perform(attempt)`` returns a response (judged by :func:`judge`), an :class:`Outcome`, or
    anything else (a service call that returned: ALLOWED); a ``NotAllowed`` or ``NotFound`` it
    raises counts as DENIED. ``allowed`` names the actors of :data:`ACTORS` who must succeed;
    every other actor must be refused. ``covers`` lists the URL names (``"portal:home"``) and
    API operation ids (``"api:public_policy"``) this action exercises, so the coverage test can
    tell which pages and endpoints have no action yet.
    """

    name: str
    perform: Callable[[Attempt], object]
    allowed: frozenset[str]
    covers: tuple[str, ...] = ()
    note: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        unknown = self.allowed - EVERYONE
        if unknown:
            raise ValueError(f"action {self.name!r} names unknown actors {sorted(unknown)}")


def _login_paths() -> tuple[str, ...]:
    return (resolve_url(settings.LOGIN_URL), "/admin/login/")


def judge(result: object) -> Outcome:
    """2xx (or a redirect that is not to a sign-in page) is ALLOWED; 401, 403, 404 or a
    redirect to a sign-in page is DENIED; any other status is OTHER. A result that is no
    response (a service's return value) is ALLOWED."""
    if isinstance(result, Outcome):
        return result
    if not isinstance(result, HttpResponseBase):
        return Outcome.ALLOWED
    status = result.status_code
    if 200 <= status < 300:
        return Outcome.ALLOWED
    if status in (401, 403, 404):
        return Outcome.DENIED
    if status in (301, 302, 303):
        target = urlsplit(result["Location"]).path
        return Outcome.DENIED if target.startswith(_login_paths()) else Outcome.ALLOWED
    return Outcome.OTHER


def attempt(action: Action, attempt: Attempt) -> Outcome:
    try:
        result = action.perform(attempt)
    except (NotAllowed, NotFound):
        return Outcome.DENIED
    return judge(result)


def page(
    name: str, path: str | Callable[[World], str], allowed: Iterable[str], *covers: str
) -> Action:
    """An action that is a plain GET of ``path`` (or of ``path(world)``)."""

    def perform(a: Attempt) -> HttpResponseBase:
        return a.get(path(a.world) if callable(path) else path)

    return Action(name, perform, frozenset(allowed), covers)
