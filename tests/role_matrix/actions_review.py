"""Two-level review and overrides: the review pages and /api/review/. County A's application A1
lists the east school, so its officer works level 1; county A's bureau works level 2 and
approves overrides; inspectors and supervisors read; everyone else is refused."""

from __future__ import annotations

from typing import Any

from sunshine.review import overrides, services
from sunshine.review.models import CaseState, Override, ReviewCase
from tests.role_matrix.framework import COUNTY_A_READERS, Action, Attempt, Outcome, judge
from tests.role_matrix.world import World

A1_READERS = COUNTY_A_READERS | {"school_staff"}
FIRST_LEVEL = frozenset({"school_staff"})
BUREAU = frozenset({"bureau_reviewer", "bureau_admin"})
REQUESTERS = FIRST_LEVEL | BUREAU
REOPENERS = frozenset({"bureau_admin"})  # county A's administrator, who did not decide


def _a1(w: World) -> Any:
    return w.a.applications["a1"]


def _page(w: World, tail: str = "") -> str:
    return f"/staff/review/applications/{_a1(w).pk}/{tail}"


def _first_level_passed(w: World) -> None:
    services.decide(
        actor=w.users["school_staff"], application_id=_a1(w).pk, level=1, decision="pass"
    )


def _requested(w: World) -> Override:
    return overrides.request_override(
        actor=w.users["school_staff"],
        application_id=_a1(w).pk,
        kind="exception",
        check="home",
        reason="房产证明补交",
    )


def _queue_shows_a1(a: Attempt) -> Outcome:
    params = {"level": 1, "season": a.world.a.season.pk}
    return a.sees("/staff/review/", f'data-code="{_a1(a.world).code}"', params)


def _api_queue_holds_a1(a: Attempt) -> Outcome:
    response = a.get("/api/review/queue", {"level": 1, "season": a.world.a.season.pk})
    outcome = judge(response)
    if outcome is not Outcome.ALLOWED:
        return outcome
    codes = [i["code"] for i in response.json()["items"]]  # type: ignore[attr-defined]
    return Outcome.ALLOWED if _a1(a.world).code in codes else Outcome.DENIED


def _level_two(a: Attempt) -> object:
    _first_level_passed(a.world)
    return a.post(_page(a.world, "decide/"), {"level": 2, "decision": "pass"})


def _api_level_two(a: Attempt) -> object:
    _first_level_passed(a.world)
    path = f"/api/review/applications/{_a1(a.world).pk}/decisions"
    return a.post_json(path, {"level": 2, "decision": "pass"})


def _list_shows_override(a: Attempt) -> Outcome:
    o = _requested(a.world)
    return a.sees("/staff/review/overrides/", f'data-override-id="{o.pk}"')


def _api_list_holds_override(a: Attempt) -> Outcome:
    o = _requested(a.world)
    response = a.get("/api/review/overrides", {"state": "requested"})
    outcome = judge(response)
    if outcome is not Outcome.ALLOWED:
        return outcome
    ids = [x["id"] for x in response.json()]  # type: ignore[attr-defined]
    return Outcome.ALLOWED if o.pk in ids else Outcome.DENIED


def _decide_override(action: str, note: str) -> Any:
    def perform(a: Attempt) -> object:
        o = _requested(a.world)
        return a.post(f"/staff/review/overrides/{o.pk}/decide/", {"action": action, "note": note})

    return perform


def _api_decide_override(action: str) -> Any:
    def perform(a: Attempt) -> object:
        o = _requested(a.world)
        return a.post_json(f"/api/review/overrides/{o.pk}/{action}", {"note": "理由"})

    return perform


def _approved(w: World) -> Override:
    o = _requested(w)
    return overrides.approve_override(actor=w.users["bureau_reviewer"], override_id=o.pk)


def _withdraw(api: bool) -> Any:
    """Withdraw A1's approved override; ALLOWED only if it really is withdrawn afterwards."""

    def perform(a: Attempt) -> object:
        o = _approved(a.world)
        if api:
            response = a.post_json(f"/api/review/overrides/{o.pk}/withdraw", {"reason": "有误"})
        else:
            response = a.post(f"/staff/review/overrides/{o.pk}/withdraw/", {"reason": "有误"})
        outcome = judge(response)
        withdrawn = Override.objects.get(pk=o.pk).state == Override.State.WITHDRAWN
        if outcome is Outcome.ALLOWED and not withdrawn:
            return Outcome.OTHER
        if outcome is not Outcome.ALLOWED and withdrawn:
            return Outcome.OTHER
        return outcome

    return perform


def _finally_passed(w: World) -> None:
    _first_level_passed(w)
    services.decide(
        actor=w.users["bureau_reviewer"], application_id=_a1(w).pk, level=2, decision="pass"
    )


def _reopen(api: bool) -> Any:
    """Reopen A1's level-2 pass (made by the county's reviewer); ALLOWED only if A1 is really
    awaiting level 2 again afterwards."""

    def perform(a: Attempt) -> object:
        _finally_passed(a.world)
        if api:
            path = f"/api/review/applications/{_a1(a.world).pk}/reopen"
            response = a.post_json(path, {"reason": "复核有误"})
        else:
            response = a.post(_page(a.world, "reopen/"), {"reason": "复核有误"})
        outcome = judge(response)
        reopened = ReviewCase.objects.get(application=_a1(a.world)).state == (
            CaseState.PENDING_SECOND
        )
        if outcome is Outcome.ALLOWED and not reopened:
            return Outcome.OTHER
        if outcome is not Outcome.ALLOWED and reopened:
            return Outcome.OTHER
        return outcome

    return perform


ACTIONS = [
    Action("review: the level-1 queue shows A1", _queue_shows_a1, A1_READERS, ("review:queue",)),
    Action(
        "review: A1's review page",
        lambda a: a.get(_page(a.world)),
        A1_READERS,
        ("review:application",),
    ),
    Action(
        "review: level 1 on A1",
        lambda a: a.post(_page(a.world, "decide/"), {"level": 1, "decision": "pass"}),
        FIRST_LEVEL,
        ("review:decide",),
    ),
    Action("review: level 2 on A1", _level_two, BUREAU, ("review:decide",)),
    Action(
        "review: request an override on A1",
        lambda a: a.post(
            _page(a.world, "overrides/"),
            {"kind": "exception", "check": "home", "reason": "房产证明补交"},
        ),
        REQUESTERS,
        ("review:request_override",),
    ),
    Action(
        "review: the override list shows A1's",
        _list_shows_override,
        A1_READERS,
        ("review:overrides",),
    ),
    Action(
        "review: approve A1's override",
        _decide_override("approve", ""),
        BUREAU,
        ("review:decide_override",),
    ),
    Action(
        "review: refuse A1's override",
        _decide_override("refuse", "材料不足"),
        BUREAU,
        ("review:decide_override",),
    ),
    Action(
        "review: withdraw A1's approved override",
        _withdraw(api=False),
        BUREAU,
        ("review:withdraw_override",),
    ),
    Action("review: reopen A1's final decision", _reopen(api=False), REOPENERS, ("review:reopen",)),
    Action(
        "api: the review queue holds A1", _api_queue_holds_a1, A1_READERS, ("api:review_queue",)
    ),
    Action(
        "api: A1's review",
        lambda a: a.get(f"/api/review/applications/{_a1(a.world).pk}"),
        A1_READERS,
        ("api:review_application",),
    ),
    Action(
        "api: level 1 on A1",
        lambda a: a.post_json(
            f"/api/review/applications/{_a1(a.world).pk}/decisions",
            {"level": 1, "decision": "pass"},
        ),
        FIRST_LEVEL,
        ("api:review_decide",),
    ),
    Action("api: level 2 on A1", _api_level_two, BUREAU, ("api:review_decide",)),
    Action(
        "api: request an override on A1",
        lambda a: a.post_json(
            f"/api/review/applications/{_a1(a.world).pk}/overrides",
            {"kind": "exception", "check": "home", "reason": "房产证明补交"},
        ),
        REQUESTERS,
        ("api:review_request_override",),
    ),
    Action(
        "api: the override list holds A1's",
        _api_list_holds_override,
        A1_READERS,
        ("api:review_overrides",),
    ),
    Action(
        "api: approve A1's override",
        _api_decide_override("approve"),
        BUREAU,
        ("api:review_approve_override",),
    ),
    Action(
        "api: refuse A1's override",
        _api_decide_override("refuse"),
        BUREAU,
        ("api:review_refuse_override",),
    ),
    Action(
        "api: withdraw A1's approved override",
        _withdraw(api=True),
        BUREAU,
        ("api:review_withdraw_override",),
    ),
    Action("api: reopen A1's final decision", _reopen(api=True), REOPENERS, ("api:review_reopen",)),
]
