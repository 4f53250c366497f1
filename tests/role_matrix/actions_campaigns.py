"""Special campaigns and the upper-level roll-up: the staff pages under /staff/campaigns/ and
/api/campaigns/ (the blacklist's rows, which share the helpers here, are in
:mod:`tests.role_matrix.actions_blacklist`). Campaigns and entries are made
inside each action by the system actor (a county A campaign, a city 3301 campaign with a task
naming county A, blacklist entries of county A in each state), in the test's rolled-back
transaction. The rules are ``sunshine.campaigns.scope``: county A's bureau, inspector and the
city's supervisor read; its bureau administrator and the supervisor manage campaigns; only
county A's bureau administrator moves county A's blacklist entries; everyone reads the
published blacklist, with principals' names masked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from sunshine.campaigns import services
from sunshine.campaigns.models import Campaign, Task
from tests.role_matrix.framework import (
    COUNTY_A_READERS,
    Action,
    Attempt,
    Outcome,
    judge,
    page,
)
from tests.role_matrix.world import CITY, COUNTY_A

SYSTEM = "cli:matrix"
A = COUNTY_A
PAGES = "/staff/campaigns"
API = "/api/campaigns"

# Open campaigns (create, the overdue check): bureau administrators and supervisors anywhere,
# each for its own region.
MANAGER_ACCOUNTS = frozenset(
    {"bureau_admin", "bureau_admin_other_county", "supervisor", "supervisor_other_city"}
)
# Manage county A's campaigns: its administrator and the city's supervisor.
MANAGERS_A = frozenset({"bureau_admin", "supervisor"})
# Manage the city's campaign: its supervisor alone (a county only moves the tasks naming it).
CITY_MANAGERS = frozenset({"supervisor"})
# Read the city's campaign: every county user of the city, and its supervisor.
CITY_READERS = COUNTY_A_READERS | {"bureau_admin_other_county", "inspector_other_county"}
# Every step of county A's blacklist entries: its bureau administrator alone.

CAMPAIGN_NAMES = {"county": "矩阵县级专项治理", "city": "矩阵市级专项治理"}
A_COLUMN = f'<span class="cell-note">{A}</span>'  # county A's column of a county table


# --- campaigns ----------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _campaign(level: str = "county") -> Campaign:
    """A campaign of county A (or of its city) running from two months ago to two from now."""
    return services.create_campaign(
        actor=SYSTEM,
        name=CAMPAIGN_NAMES[level],
        level=level,
        region_code=A if level == "county" else CITY,
        starts_on=_today() - dt.timedelta(days=60),
        ends_on=_today() + dt.timedelta(days=60),
        now=timezone.now(),
    )


def _task(campaign: Campaign, *, region_code: str = "", overdue: bool = False) -> Task:
    days = -10 if overdue else 10
    return services.add_task(
        campaign,
        actor=SYSTEM,
        title="开展自查自纠",
        responsible_unit="基础教育股",
        deadline=_today() + dt.timedelta(days=days),
        region_code=region_code,
        now=timezone.now(),
    )


def _campaign_form(level: str = "county") -> dict[str, str]:
    return {
        "name": "矩阵新专项行动",
        "level": level,
        "region_code": A if level == "county" else CITY,
        "starts_on": (_today() - dt.timedelta(days=5)).isoformat(),
        "ends_on": (_today() + dt.timedelta(days=30)).isoformat(),
    }


def _phase_form() -> dict[str, str]:
    return {
        "name": "自查自纠",
        "starts_on": (_today() - dt.timedelta(days=60)).isoformat(),
        "ends_on": (_today() - dt.timedelta(days=30)).isoformat(),
    }


def _task_form() -> dict[str, str]:
    return {
        "title": "公布举报电话",
        "responsible_unit": "基础教育股",
        "deadline": (_today() + dt.timedelta(days=20)).isoformat(),
        "region_code": A,
    }


# What an action's path names ({pk}), made inside the action.
def _county(a: Attempt) -> Campaign:
    return _campaign()


def _city(a: Attempt) -> Campaign:
    return _campaign("city")


def _county_task(a: Attempt) -> Task:
    return _task(_campaign())


def _city_task(a: Attempt) -> Task:
    return _task(_campaign("city"))


def _city_task_of_a(a: Attempt) -> Task:
    """A task of the city's campaign that names county A (its administrator may move it)."""
    return _task(_campaign("city"), region_code=A)


def _overdue_of_a(a: Attempt) -> Task:
    return _task(_campaign(), region_code=A, overdue=True)


def _overdue_city_task_of_a(a: Attempt) -> Task:
    return _task(_campaign("city"), region_code=A, overdue=True)


def _overdue_city_task(a: Attempt) -> Task:
    """An overdue task of the city's campaign naming no county (the city's bureau's own)."""
    return _task(_campaign("city"), overdue=True)


# --- how an action is performed and judged --------------------------------------------------

Make = Callable[[Attempt], Any]
Perform = Callable[[Attempt], object]


def _send(method: str, path: str, make: Make | None = None, body: Any = None) -> Perform:
    """A GET, form POST ("post") or JSON POST ("json") to ``path``, whose ``{pk}`` is that of
    what ``make`` builds first; ``body`` is a dict or a function giving one."""

    def perform(a: Attempt) -> object:
        target = path.format(pk=make(a).pk) if make else path
        data = body() if callable(body) else dict(body or {})
        if method == "get":
            return a.get(target)
        return a.post_json(target, data) if method == "json" else a.post(target, data)

    return perform


def _shows(path: str, make: Make | None, holds: str | Callable[[Any, Any], bool]) -> Perform:
    """ALLOWED if the page shows the text ``holds`` (or the JSON answer satisfies
    ``holds(answer, made)``); DENIED if refused or scoped to other rows."""

    def perform(a: Attempt) -> Outcome:
        made = make(a) if make else None
        target = path.format(pk=made.pk) if made is not None else path
        if isinstance(holds, str):
            return a.sees(target, holds)
        response = a.get(target)
        outcome = judge(response)
        if outcome is not Outcome.ALLOWED:
            return outcome
        answer = response.json()  # type: ignore[attr-defined]
        return Outcome.ALLOWED if holds(answer, made) else Outcome.DENIED

    return perform


def _has_made(rows: Any, made: Any) -> bool:
    return made.pk in [row["id"] for row in rows]


def _has_a(answer: Any, _made: Any) -> bool:
    return A in [c["region_code"] for c in answer["counties"]]


def _alerts(path: str, make: Make) -> Perform:
    """The overdue check ran for the actor (allowed) and alerted the task ``make`` builds
    (in the actor's scope); the API's answer lists exactly that task."""

    def perform(a: Attempt) -> Outcome:
        task = make(a)
        api = path.startswith(API)
        response = a.post_json(path, {}) if api else a.post(path)
        outcome = judge(response)
        if outcome is not Outcome.ALLOWED:
            return outcome
        task.refresh_from_db()
        if task.overdue_alerted_at is None:
            return Outcome.DENIED
        if api:
            ids = [t["id"] for t in response.json()["alerted"]]  # type: ignore[attr-defined]
            assert ids == [task.pk], ids
        return Outcome.ALLOWED

    return perform


def _pair(
    what: str,
    allowed: frozenset[str],
    page_action: tuple[str, Perform],
    api_action: tuple[str, Perform],
    prefix: str = "campaigns",
) -> list[Action]:
    """The same action through a page (URL name, perform) and the API (operation, perform)."""
    (url_name, on_page), (operation, on_api) = page_action, api_action
    return [
        Action(f"{prefix}: {what}", on_page, allowed, (url_name,)),
        Action(f"api: {what}", on_api, allowed, (f"api:sunshine_campaigns_api_{operation}",)),
    ]


PROGRESS = {"status": "in_progress", "note": "推进中"}
C, CA = f"{PAGES}/{{pk}}", f"{API}/{{pk}}"  # a campaign's page and API paths
T, TA = f"{PAGES}/tasks/{{pk}}/status/", f"{API}/tasks/{{pk}}/status"

CAMPAIGN_ACTIONS = [
    *_pair(
        "the list holds county A's campaign",
        COUNTY_A_READERS,
        ("campaigns:home", _shows(f"{PAGES}/", _county, CAMPAIGN_NAMES["county"])),
        ("list_campaigns", _shows(f"{API}/", _county, _has_made)),
    ),
    page("campaigns: the new-campaign form", f"{PAGES}/new/", MANAGER_ACCOUNTS, "campaigns:create"),
    *_pair(
        "open a county A campaign",
        MANAGERS_A,
        ("campaigns:create", _send("post", f"{PAGES}/new/", body=_campaign_form)),
        ("create_campaign", _send("json", f"{API}/", body=_campaign_form)),
    ),
    *_pair(
        "open a city campaign",
        CITY_MANAGERS,
        ("campaigns:create", _send("post", f"{PAGES}/new/", body=_campaign_form("city"))),
        ("create_campaign", _send("json", f"{API}/", body=_campaign_form("city"))),
    ),
    *_pair(
        "county A's campaign",
        COUNTY_A_READERS,
        ("campaigns:detail", _send("get", f"{C}/", _county)),
        ("campaign_detail", _send("get", CA, _county)),
    ),
    *_pair(
        "the city's campaign",
        CITY_READERS,
        ("campaigns:detail", _send("get", f"{C}/", _city)),
        ("campaign_detail", _send("get", CA, _city)),
    ),
    *_pair(
        "add a phase to county A's campaign",
        MANAGERS_A,
        ("campaigns:add_phase", _send("post", f"{C}/phases/", _county, _phase_form)),
        ("add_phase", _send("json", f"{CA}/phases", _county, _phase_form)),
    ),
    *_pair(
        "add a phase to the city's campaign",
        CITY_MANAGERS,
        ("campaigns:add_phase", _send("post", f"{C}/phases/", _city, _phase_form)),
        ("add_phase", _send("json", f"{CA}/phases", _city, _phase_form)),
    ),
    *_pair(
        "add a task to county A's campaign",
        MANAGERS_A,
        ("campaigns:add_task", _send("post", f"{C}/tasks/", _county, _task_form)),
        ("add_task", _send("json", f"{CA}/tasks", _county, _task_form)),
    ),
    *_pair(
        "add a task to the city's campaign",
        CITY_MANAGERS,
        ("campaigns:add_task", _send("post", f"{C}/tasks/", _city, _task_form)),
        ("add_task", _send("json", f"{CA}/tasks", _city, _task_form)),
    ),
    *_pair(
        "move a task of county A's campaign",
        MANAGERS_A,
        ("campaigns:task_status", _send("post", T, _county_task, PROGRESS)),
        ("set_task_status", _send("json", TA, _county_task, PROGRESS)),
    ),
    *_pair(
        "move the city campaign's task naming no county",
        CITY_MANAGERS,
        ("campaigns:task_status", _send("post", T, _city_task, PROGRESS)),
        ("set_task_status", _send("json", TA, _city_task, PROGRESS)),
    ),
    *_pair(
        "move the city campaign's task naming county A",
        MANAGERS_A,
        ("campaigns:task_status", _send("post", T, _city_task_of_a, {"status": "done"})),
        ("set_task_status", _send("json", TA, _city_task_of_a, {"status": "done"})),
    ),
    *_pair(
        "the overdue check alerts county A's task",
        MANAGERS_A,
        ("campaigns:run_alerts", _alerts(f"{PAGES}/alerts/", _overdue_of_a)),
        ("run_alerts", _alerts(f"{API}/alerts", _overdue_of_a)),
    ),
    # The check covers the tasks the actor answers for (scope.tasks_answered_by): reading the
    # city's campaign is not enough, so county B's administrator leaves county A's task alone.
    *_pair(
        "the overdue check alerts the city campaign's task naming county A",
        MANAGERS_A,
        ("campaigns:run_alerts", _alerts(f"{PAGES}/alerts/", _overdue_city_task_of_a)),
        ("run_alerts", _alerts(f"{API}/alerts", _overdue_city_task_of_a)),
    ),
    *_pair(
        "the overdue check alerts the city campaign's task naming no county",
        CITY_MANAGERS,
        ("campaigns:run_alerts", _alerts(f"{PAGES}/alerts/", _overdue_city_task)),
        ("run_alerts", _alerts(f"{API}/alerts", _overdue_city_task)),
    ),
    *_pair(
        "county A campaign's summary",
        COUNTY_A_READERS,
        ("campaigns:summary", _send("get", f"{C}/summary/", _county)),
        ("summary", _send("get", f"{CA}/summary", _county)),
    ),
    # A county reads its city's campaign narrowed to its own county.
    *_pair(
        "the city campaign's summary shows county A",
        COUNTY_A_READERS,
        ("campaigns:summary", _shows(f"{C}/summary/", _city, A_COLUMN)),
        ("summary", _shows(f"{CA}/summary", _city, _has_a)),
    ),
    *_pair(
        "county A campaign's summary.xlsx",
        COUNTY_A_READERS,
        ("campaigns:summary_xlsx", _send("get", f"{C}/summary.xlsx", _county)),
        ("summary_xlsx", _send("get", f"{CA}/summary.xlsx", _county)),
    ),
    *_pair(
        "the roll-up shows county A",
        COUNTY_A_READERS,
        ("campaigns:rollup", _shows(f"{PAGES}/rollup/", None, A_COLUMN)),
        ("rollup", _shows(f"{API}/rollup", None, _has_a)),
    ),
    *_pair(
        "the roll-up of county A",
        COUNTY_A_READERS,
        ("campaigns:rollup", _send("get", f"{PAGES}/rollup/?prefix={A}")),
        ("rollup", _send("get", f"{API}/rollup?prefix={A}")),
    ),
]

ACTIONS: list[Action] = CAMPAIGN_ACTIONS
