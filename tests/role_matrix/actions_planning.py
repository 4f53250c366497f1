"""Plans and zones, class assignment, the dashboard, the staff ceremony and the staff
publication pages, with their API (/api/planning/, /api/lottery/). Every action targets
county A; objects an action needs (a draft, a fresh ceremony, a second administrator to
co-sign) are made inside it, in the test's rolled-back transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import SeasonRun, Zone
from sunshine.ceremony import services as ceremony
from sunshine.ceremony.models import Ceremony
from sunshine.planning import services as planning
from sunshine.planning.models import PlanChange, ZoneChange
from tests.portal.factories import make_user, square
from tests.role_matrix.framework import COUNTY_A_READERS, EVERYONE, Action, Attempt, page
from tests.role_matrix.world import PASSWORD, World

# Staff who see county A's season: its bureau, inspector and supervisor, staff of its schools.
SEASON_A = COUNTY_A_READERS | {"school_staff", "school_staff_other_school"}
BUREAU_A = frozenset({"bureau_reviewer", "bureau_admin"})
ADMIN_A = frozenset({"bureau_admin"})
# Who takes part in county A's ceremony: its administrator and inspector, and the notary and
# witness (accounts without a region serve any county).
CEREMONY_A = frozenset({"bureau_admin", "inspector", "notary", "witness"})
WITNESSES_A = frozenset({"inspector", "notary", "witness"})
PUBLISHERS_A = frozenset({"school_staff", "bureau_reviewer", "bureau_admin"})


def _season(w: World) -> int:
    return w.a.season.pk


def _later(days: int = 30) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def _second_admin(w: World) -> User:
    """A second administrator of county A, to co-sign (the world has one)."""
    user = User.objects.filter(username="matrix-admin2").first()
    if user is None:
        user = make_user(Role.BUREAU_ADMIN, "matrix-admin2", region_code="330110")
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return user


def _cosign(w: World) -> dict[str, str]:
    return {"cosigner_username": _second_admin(w).username, "cosigner_password": PASSWORD}


def _plan_change(w: World) -> PlanChange:
    return planning.request_plan_change(
        w.a.east,
        actor=w.users["bureau_reviewer"],
        approver=_second_admin(w),
        plan_seats=120,
        effective_from=_later(),
        reason="扩班",
    )


def _draft(w: World, published: bool = False) -> ZoneChange:
    change = planning.draft_zone_change(
        w.a.season,
        actor=w.users["bureau_reviewer"],
        zone=Zone.objects.get(season=w.a.season, code="Z01"),
        geometry=square(120.0, 30.0, 0.07),
        schools=[w.a.east, w.a.west],
        effective_from=_later(),
        reason="新小区交付",
    )
    if published:
        planning.publish_zone_change(change, actor=w.users["bureau_admin"])
    return change


def _ceremony(w: World, upto: str) -> Ceremony:
    """A fresh ceremony of county A, taken as far as ``upto`` (frozen, announced, inputs,
    drawn)."""
    admin = w.users["bureau_admin"]
    held = ceremony.freeze_pool(w.a.season, actor=admin, label="矩阵摇号")
    if upto == "frozen":
        return held
    held = ceremony.announce(
        held, actor=admin, witness_roles=["observer"], beacon_source="drand", beacon_round=1
    )
    if upto == "announced":
        return held
    ceremony.add_witness_input(held, actor=w.users["notary"], role="observer", name="王", value="3")
    ceremony.enter_beacon(held, actor=admin, value="ab" * 32)
    if upto == "inputs":
        return held
    return ceremony.draw(held, actor=admin)


def _with_run(w: World) -> None:
    SeasonRun.objects.create(
        season=w.a.season, started_at=timezone.now(), mechanism="test", lottery_seed="00" * 32
    )


def _after_run(a: Attempt, then: Callable[[], object]) -> object:
    """``then()`` once county A's season has a run (class assignment needs one)."""
    _with_run(a.world)
    return then()


# --- plans and zones ------------------------------------------------------------------------


def _plan_form(w: World) -> dict[str, Any]:
    return {
        "school": str(w.a.east.pk),
        "plan_seats": "120",
        "effective_from": timezone.localtime(_later()).strftime("%Y-%m-%dT%H:%M"),
        "reason": "扩班",
        **_cosign(w),
    }


def _plan_body(w: World) -> dict[str, Any]:
    return {
        "school": w.a.east.code,
        "plan_seats": 120,
        "effective_from": _later().isoformat(),
        "reason": "扩班",
        **_cosign(w),
    }


def _zone_form(w: World) -> dict[str, Any]:
    import json

    return {
        "zone": str(Zone.objects.get(season=w.a.season, code="Z01").pk),
        "geometry": json.dumps(square(120.0, 30.0, 0.07)),
        "schools": [str(w.a.east.pk)],
        "effective_from": timezone.localtime(_later()).strftime("%Y-%m-%dT%H:%M"),
        "reason": "扩大片区",
    }


def _zone_body(w: World) -> dict[str, Any]:
    return {
        "zone": "Z01",
        "geometry": square(120.0, 30.0, 0.07),
        "schools": [w.a.east.code],
        "effective_from": _later().isoformat(),
        "reason": "扩大片区",
    }


def _on_change(
    make: Callable[[World], Any], act: Callable[[Attempt, Any], object]
) -> Callable[[Attempt], object]:
    return lambda a: act(a, make(a.world))


PLANNING = [
    page(
        "planning: overview of county A",
        lambda w: f"/staff/planning/?season={_season(w)}",
        SEASON_A,
        "planning:home",
    ),
    page(
        "api: planning overview of county A",
        lambda w: f"/api/planning/seasons/{_season(w)}",
        SEASON_A,
        "api:planning_overview",
    ),
    Action(
        "planning: request a co-signed plan change",
        lambda a: a.post(f"/staff/planning/seasons/{_season(a.world)}/plans/", _plan_form(a.world)),
        BUREAU_A,
        ("planning:plan_change_create",),
    ),
    Action(
        "api: request a co-signed plan change",
        lambda a: a.post_json(
            f"/api/planning/seasons/{_season(a.world)}/plan-changes", _plan_body(a.world)
        ),
        BUREAU_A,
        ("api:planning_plan_change_create",),
    ),
    Action(
        "planning: withdraw a plan change",
        _on_change(
            _plan_change,
            lambda a, c: a.post(f"/staff/planning/plans/{c.pk}/withdraw/", {"reason": "撤回"}),
        ),
        ADMIN_A,
        ("planning:plan_change_withdraw",),
    ),
    Action(
        "api: withdraw a plan change",
        _on_change(
            _plan_change,
            lambda a, c: a.post_json(
                f"/api/planning/plan-changes/{c.pk}/withdraw", {"reason": "撤回"}
            ),
        ),
        ADMIN_A,
        ("api:planning_plan_change_withdraw",),
    ),
    page(
        "planning: the zone-change form",
        lambda w: f"/staff/planning/seasons/{_season(w)}/zones/new/",
        BUREAU_A,
        "planning:zone_change_new",
    ),
    Action(
        "planning: draft a zone change",
        lambda a: a.post(
            f"/staff/planning/seasons/{_season(a.world)}/zones/new/", _zone_form(a.world)
        ),
        BUREAU_A,
    ),
    Action(
        "api: draft a zone change",
        lambda a: a.post_json(
            f"/api/planning/seasons/{_season(a.world)}/zone-changes", _zone_body(a.world)
        ),
        BUREAU_A,
        ("api:planning_zone_change_create",),
    ),
    Action(
        "planning: a zone change's staff page",
        _on_change(_draft, lambda a, c: a.get(f"/staff/planning/zones/{c.pk}/")),
        SEASON_A,
        ("planning:zone_change",),
    ),
    Action(
        "api: a zone change",
        _on_change(_draft, lambda a, c: a.get(f"/api/planning/zone-changes/{c.pk}")),
        SEASON_A,
        ("api:planning_zone_change",),
    ),
    Action(
        "planning: publish a zone change",
        _on_change(_draft, lambda a, c: a.post(f"/staff/planning/zones/{c.pk}/publish/")),
        ADMIN_A,
        ("planning:zone_change_publish",),
    ),
    Action(
        "api: publish a zone change",
        _on_change(
            _draft, lambda a, c: a.post_json(f"/api/planning/zone-changes/{c.pk}/publish", {})
        ),
        ADMIN_A,
        ("api:planning_zone_change_publish",),
    ),
    Action(
        "planning: withdraw a zone change",
        _on_change(
            _draft,
            lambda a, c: a.post(f"/staff/planning/zones/{c.pk}/withdraw/", {"reason": "撤回"}),
        ),
        ADMIN_A,
        ("planning:zone_change_withdraw",),
    ),
    Action(
        "api: withdraw a zone change",
        _on_change(
            _draft,
            lambda a, c: a.post_json(
                f"/api/planning/zone-changes/{c.pk}/withdraw", {"reason": "撤回"}
            ),
        ),
        ADMIN_A,
        ("api:planning_zone_change_withdraw",),
    ),
    Action(
        "planning: apply the changes that are due",
        lambda a: a.post(f"/staff/planning/seasons/{_season(a.world)}/apply/"),
        ADMIN_A,
        ("planning:apply_due",),
    ),
    Action(
        "api: apply the changes that are due",
        lambda a: a.post_json(f"/api/planning/seasons/{_season(a.world)}/apply", {}),
        ADMIN_A,
        ("api:planning_apply_due",),
    ),
    page(
        "planning: the public changes page",
        "/staff/planning/public/",
        EVERYONE,
        "planning:public_changes",
    ),
    page(
        "api: the public changes",
        "/api/planning/public/changes",
        EVERYONE,
        "api:planning_public_changes",
    ),
    Action(
        "planning: a published zone change, publicly",
        _on_change(
            lambda w: _draft(w, published=True),
            lambda a, c: a.get(f"/staff/planning/public/zones/{c.pk}/"),
        ),
        EVERYONE,
        ("planning:public_change",),
    ),
    Action(
        "planning: a draft is not public",
        _on_change(_draft, lambda a, c: a.get(f"/staff/planning/public/zones/{c.pk}/")),
        frozenset(),
    ),
]

# --- classes and the dashboard ----------------------------------------------------------------

OPERATIONS = [
    page(
        "planning: class balance of county A",
        lambda w: f"/staff/planning/classes/?season={_season(w)}",
        SEASON_A,
        "planning:classes",
    ),
    page(
        "api: class balance of county A",
        lambda w: f"/api/planning/seasons/{_season(w)}/classes",
        SEASON_A,
        "api:classes_balance",
    ),
    Action(
        "planning: assign classes",
        lambda a: _after_run(
            a, lambda: a.post(f"/staff/planning/seasons/{_season(a.world)}/classes/")
        ),
        ADMIN_A,
        ("planning:classes_run",),
    ),
    Action(
        "api: assign classes",
        lambda a: _after_run(
            a, lambda: a.post_json(f"/api/planning/seasons/{_season(a.world)}/classes", {})
        ),
        ADMIN_A,
        ("api:classes_assign",),
    ),
    page(
        "dashboard: county A",
        lambda w: f"/staff/dashboard/?season={_season(w)}",
        SEASON_A,
        "analytics:dashboard",
    ),
    page(
        "api: dashboard of county A",
        lambda w: f"/api/planning/seasons/{_season(w)}/dashboard",
        SEASON_A,
        "api:dashboard",
    ),
]

# --- the staff ceremony -----------------------------------------------------------------------


def _step(upto: str, step: str, data: Callable[[World], dict[str, Any]] | None = None) -> Any:
    def perform(a: Attempt) -> object:
        held = _ceremony(a.world, upto)
        return a.post(f"/lottery/staff/{held.pk}/{step}/", data(a.world) if data else {})

    return perform


def _api_step(upto: str, step: str, body: Callable[[World], dict[str, Any]] | None = None) -> Any:
    def perform(a: Attempt) -> object:
        held = _ceremony(a.world, upto)
        return a.post_json(
            f"/api/lottery/ceremonies/{held.pk}/{step}", body(a.world) if body else {}
        )

    return perform


def _witness(w: World) -> dict[str, str]:
    return {"role": "observer", "name": "王", "value": "5"}


def _redraw(w: World) -> dict[str, str]:
    return {"reason": "断电", **_cosign(w)}


CEREMONY = [
    page(
        "ceremony: the staff list",
        "/lottery/staff/",
        CEREMONY_A | {"bureau_admin_other_county", "inspector_other_county"},
        "ceremony:staff",
    ),
    page(
        "api: my ceremonies",
        "/api/lottery/ceremonies",
        CEREMONY_A | {"bureau_admin_other_county", "inspector_other_county"},
        "api:lottery_staff_ceremonies",
    ),
    page(
        "ceremony: county A's ceremony, staff page",
        lambda w: f"/lottery/staff/{w.ceremony.pk}/",
        CEREMONY_A,
        "ceremony:staff_detail",
    ),
    page(
        "api: county A's ceremony",
        lambda w: f"/api/lottery/ceremonies/{w.ceremony.pk}",
        CEREMONY_A,
        "api:lottery_staff_ceremony",
    ),
    Action(
        "ceremony: freeze county A's pool",
        lambda a: a.post("/lottery/staff/", {"season": _season(a.world), "label": "新摇号"}),
        ADMIN_A,
    ),
    Action(
        "api: freeze county A's pool",
        lambda a: a.post_json(
            "/api/lottery/ceremonies", {"season": _season(a.world), "label": "新摇号"}
        ),
        ADMIN_A,
        ("api:lottery_freeze",),
    ),
    Action(
        "ceremony: announce",
        _step("frozen", "announce", lambda w: {"witness_roles": "notary"}),
        ADMIN_A,
        ("ceremony:staff_step",),
    ),
    Action(
        "api: announce",
        _api_step("frozen", "announce", lambda w: {"witness_roles": ["notary"]}),
        ADMIN_A,
        ("api:lottery_announce",),
    ),
    Action("ceremony: a witness input", _step("announced", "input", _witness), WITNESSES_A),
    Action(
        "api: a witness input",
        _api_step("announced", "inputs", _witness),
        WITNESSES_A,
        ("api:lottery_witness_input",),
    ),
    Action(
        "ceremony: the beacon value",
        _step("announced", "beacon", lambda w: {"value": "cd" * 32}),
        ADMIN_A,
    ),
    Action(
        "api: the beacon value",
        _api_step("announced", "beacon", lambda w: {"value": "cd" * 32}),
        ADMIN_A,
        ("api:lottery_beacon",),
    ),
    Action("ceremony: draw", _step("inputs", "draw"), ADMIN_A),
    Action("api: draw", _api_step("inputs", "draw"), ADMIN_A, ("api:lottery_draw",)),
    Action("ceremony: a co-signed redraw", _step("drawn", "redraw", _redraw), ADMIN_A),
    Action(
        "api: a co-signed redraw",
        _api_step("drawn", "redraw", _redraw),
        ADMIN_A,
        ("api:lottery_redraw",),
    ),
    Action("ceremony: publish", _step("drawn", "publish"), ADMIN_A),
    Action("api: publish", _api_step("drawn", "publish"), ADMIN_A, ("api:lottery_publish",)),
    Action("ceremony: run the season on the draw", _step("drawn", "run"), ADMIN_A),
    Action(
        "api: run the season on the draw",
        _api_step("drawn", "run"),
        ADMIN_A,
        ("api:lottery_run",),
    ),
]

# --- the staff publication page ---------------------------------------------------------------


def _publish_east(w: World) -> dict[str, Any]:
    return {"kind": "admitted", "school": str(w.a.east.pk), **_cosign(w)}


PUBLICATION = [
    page(
        "publication: the staff page of county A",
        lambda w: f"/staff/publications/?season={_season(w)}&kind=admitted",
        PUBLISHERS_A | {"school_staff_other_school"},
        "admissions:staff_publications",
    ),
    Action(
        "publication: publish the east school's admitted list, co-signed",
        lambda a: a.post(
            f"/staff/publications/{_season(a.world)}/publish/", _publish_east(a.world)
        ),
        PUBLISHERS_A,
        ("admissions:staff_publish",),
    ),
    page(
        "api: preview the east school's admitted list",
        lambda w: (
            f"/api/planning/seasons/{_season(w)}/publications/preview"
            f"?kind=admitted&school={w.a.east.code}"
        ),
        PUBLISHERS_A,
        "api:staff_publication_preview",
    ),
    Action(
        "api: publish the east school's admitted list, co-signed",
        lambda a: a.post_json(
            f"/api/planning/seasons/{_season(a.world)}/publications",
            {"kind": "admitted", "school": a.world.a.east.code, **_cosign(a.world)},
        ),
        PUBLISHERS_A,
        ("api:staff_publish",),
    ),
    page(
        "api: county A's published lists, for publishers",
        lambda w: f"/api/planning/seasons/{_season(w)}/publications",
        PUBLISHERS_A | {"school_staff_other_school"},
        "api:staff_publication_lists",
    ),
]

ACTIONS = [*PLANNING, *OPERATIONS, *CEREMONY, *PUBLICATION]
