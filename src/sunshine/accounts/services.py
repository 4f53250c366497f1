"""Account use cases: the demo accounts (one per role) for a local demonstration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Application, Preference, School, Season
from sunshine.audit.services import Actor, record_event
from sunshine.families.window import set_registration_window

# Documented in README and printed by `sunshine demo`; for a machine that only its user can reach.
DEMO_PASSWORD = "sunshine-demo"
DEMO_USERNAMES: dict[Role, str] = {
    Role.PARENT: "demo-parent",
    Role.SCHOOL_STAFF: "demo-school",
    Role.BUREAU_REVIEWER: "demo-reviewer",
    Role.BUREAU_ADMIN: "demo-admin",
    Role.INSPECTOR: "demo-inspector",
    Role.SUPERVISOR: "demo-supervisor",
    Role.NOTARY: "demo-notary",
    Role.WITNESS: "demo-witness",
}
# The demo keeps online registration open, so a visitor can register a child as a family.
DEMO_WINDOW = (dt.timedelta(days=1), dt.timedelta(days=30))  # before and after "now"
# Roles whose scope is the season's county; a supervisor's is its city (4-digit prefix).
_COUNTY_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR})


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    label: str  # the role's name and its scope, for the console


def busiest_school(season: Season) -> School | None:
    """The school listed by the most applications (ties: the lowest school code)."""
    row = (
        Preference.objects.filter(school__season=season)
        .values("school")
        .annotate(n=Count("id"))
        .order_by("-n", "school__code")
        .first()
    )
    if row is not None:
        return School.objects.get(pk=row["school"])
    return School.objects.filter(season=season).order_by("code").first()


def _scope(role: Role, season: Season, school: School | None) -> tuple[str, School | None]:
    if role in _COUNTY_ROLES:
        return season.region_code, None
    if role == Role.SUPERVISOR:
        return season.region_code[:4], None
    if role == Role.SCHOOL_STAFF:
        return season.region_code, school
    return "", None


def _label(role: Role, region_code: str, school: School | None, child: str) -> str:
    scope = school.name if school else (region_code or child)
    return f"{role.label} ({scope})" if scope else str(role.label)


@transaction.atomic
def ensure_demo_accounts(*, actor: Actor, season: Season) -> list[DemoAccount]:
    """Create, or reset to a known state, one account per role scoped to ``season``.

    Idempotent: running it again resets passwords, roles and scopes and adds no accounts.
    The parent account is linked to the season's first primary application (by code), and the
    season's online registration window is opened around now (docs/families.md).
    """
    school = busiest_school(season)
    applications = Application.objects.filter(season=season).order_by("code")
    # A grade-1 family is the common case, so prefer a primary application.
    child = applications.filter(stage="primary").first() or applications.first()
    # One hash for all: the password is public anyway, and hashing is the slow part of the demo.
    password_hash = make_password(DEMO_PASSWORD)
    accounts: list[DemoAccount] = []
    for role, username in DEMO_USERNAMES.items():
        region_code, role_school = _scope(role, season, school)
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.region_code = region_code
        user.school = role_school
        user.is_active = True
        user.is_staff = user.is_superuser = False
        user.password = password_hash
        user.save()
        if role == Role.PARENT:
            user.applications.set([child] if child else [])
        child_code = child.code if (child and role == Role.PARENT) else ""
        label = _label(role, region_code, role_school, child_code)
        accounts.append(DemoAccount(username, DEMO_PASSWORD, role, label))
    now = timezone.now()
    set_registration_window(
        actor=actor, season=season, opens=now - DEMO_WINDOW[0], closes=now + DEMO_WINDOW[1]
    )
    record_event(
        actor=actor,
        action="accounts.demo_accounts_ensured",
        object_type="season",
        object_id=str(season.pk),
        detail={
            "usernames": [a.username for a in accounts],
            "school": school.code if school else None,
            "application": child.code if child else None,
        },
    )
    return accounts
