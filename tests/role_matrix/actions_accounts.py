"""Signing in and out, and the Django admin (only for accounts flagged as site staff, which no
role account is: the matrix's people are all refused)."""

from __future__ import annotations

from tests.role_matrix.framework import EVERYONE, NOBODY, SIGNED_IN, Action, Attempt, Outcome, page
from tests.role_matrix.world import PASSWORD


def _sign_in(a: Attempt) -> Outcome:
    """Sign in with the actor's own password; the anonymous visitor has no account."""
    a.client.logout()
    username = a.user.get_username() if a.user else "nobody-at-all"
    response = a.post("/accounts/login/", {"username": username, "password": PASSWORD})
    # Success redirects onwards; a refusal shows the form again with its error.
    return Outcome.ALLOWED if response.status_code == 302 else Outcome.DENIED


ACTIONS = [
    page("accounts: the sign-in page", "/accounts/login/", EVERYONE, "accounts:login"),
    Action("accounts: sign in", _sign_in, SIGNED_IN, ("accounts:login",)),
    Action(
        "accounts: sign out",
        lambda a: a.post("/accounts/logout/"),
        EVERYONE,
        ("accounts:logout",),
    ),
    page("admin: the index", "/admin/", NOBODY, "admin:index"),
    page("admin: users", "/admin/accounts/user/", NOBODY, "admin:accounts_user_changelist"),
]
