"""Staff reading applications: the staff list page and /api/admissions/. Each staff account
opens the list; what it sees of county A is its scope (school, county, city)."""

from __future__ import annotations

from typing import Any

from sunshine.admissions.queries import staff_application, staff_season
from sunshine.core.ids import mask_name
from tests.role_matrix.framework import (
    COUNTY_A_READERS,
    STAFF,
    Action,
    Attempt,
    Outcome,
    judge,
    page,
)
from tests.role_matrix.world import World

# County A's application A1 lists the east school (and the west one).
A1_READERS = COUNTY_A_READERS | {"school_staff"}
# Seasons of county A: its bureau, inspector and supervisor, and staff of its schools.
SEASON_A_READERS = COUNTY_A_READERS | {"school_staff", "school_staff_other_school"}


def _season(w: World) -> int:
    return w.a.season.pk


def _a1(w: World) -> str:
    return w.a.applications["a1"].code


def _list_shows_a1(a: Attempt) -> Outcome:
    return a.sees("/staff/applications/", _a1(a.world), {"season": _season(a.world)})


def _api_list_holds_a1(a: Attempt) -> Outcome:
    response = a.get(f"/api/admissions/seasons/{_season(a.world)}/applications")
    outcome = judge(response)
    if outcome is not Outcome.ALLOWED:
        return outcome
    codes = [item["code"] for item in response.json()["items"]]  # type: ignore[attr-defined]
    return Outcome.ALLOWED if _a1(a.world) in codes else Outcome.DENIED


def _reads_a1_name_in_the_clear(a: Attempt) -> Outcome:
    """Only roles that may read personal data unmasked see the child's name as it is."""
    response = a.get(f"/api/admissions/seasons/{_season(a.world)}/applications/{_a1(a.world)}")
    outcome = judge(response)
    if outcome is not Outcome.ALLOWED:
        return outcome
    body: dict[str, Any] = response.json()  # type: ignore[attr-defined]
    name = a.world.a.applications["a1"].child_name
    assert body["child_name"] in (name, mask_name(name))
    return Outcome.ALLOWED if body["child_name"] == name else Outcome.DENIED


def _service_reads_a1(a: Attempt) -> object:
    """The same scope through the query functions the services use, with no web in between."""
    season = staff_season(a.user, _season(a.world))
    return staff_application(a.user, season, _a1(a.world))


ACTIONS = [
    page(
        "staff: the application list", "/staff/applications/", STAFF, "admissions:application_list"
    ),
    Action("staff: the list shows county A's A1", _list_shows_a1, A1_READERS),
    page("api: staff seasons", "/api/admissions/seasons", STAFF, "api:staff_seasons"),
    page(
        "api: county A's schools",
        lambda w: f"/api/admissions/seasons/{_season(w)}/schools",
        SEASON_A_READERS,
        "api:staff_schools",
    ),
    Action(
        "api: county A's applications hold A1",
        _api_list_holds_a1,
        A1_READERS,
        ("api:staff_applications",),
    ),
    page(
        "api: application A1",
        lambda w: f"/api/admissions/seasons/{_season(w)}/applications/{_a1(w)}",
        A1_READERS,
        "api:staff_application",
    ),
    Action(
        "api: application A1 with the child's name unmasked",
        _reads_a1_name_in_the_clear,
        frozenset({"bureau_admin"}),
    ),
    Action("service: read application A1", _service_reads_a1, A1_READERS),
]
