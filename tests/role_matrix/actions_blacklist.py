"""Role x action rows for the blacklist (黑名单): its staff pages and API, each lifecycle
step (notice, objection, publication, exit, withdrawal) and the public list, whose
principals' names are masked. The campaign rows and the helpers both use live in
:mod:`tests.role_matrix.actions_campaigns`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from sunshine.campaigns import blacklist
from sunshine.campaigns.models import BlacklistEntry
from sunshine.core.ids import mask_name
from tests.role_matrix.actions_campaigns import (
    API,
    PAGES,
    SYSTEM,
    A,
    Make,
    Perform,
    _has_made,
    _pair,
    _send,
    _shows,
)
from tests.role_matrix.framework import (
    COUNTY_A_READERS,
    EVERYONE,
    NOBODY,
    Action,
    Attempt,
    Outcome,
    judge,
    page,
)

ADMIN_A = frozenset({"bureau_admin"})
BUREAU_ADMINS = frozenset({"bureau_admin", "bureau_admin_other_county"})
LISTED_SCHOOL = "矩阵公示学校"
NOTIFIED_SCHOOL = "矩阵告知学校"
PRINCIPAL = "欧阳明辉"
B, BA = f"{PAGES}/blacklist/{{pk}}", f"{API}/blacklist/{{pk}}"  # an entry's


# --- the blacklist ------------------------------------------------------------------------


def _ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _proposed(
    days_ago: float = 1, *, actor: Any = SYSTEM, name: str = NOTIFIED_SCHOOL, principal: str = ""
) -> BlacklistEntry:
    """A county A entry noticed ``days_ago`` with a 7-day objection window, 1-day repair."""
    return blacklist.propose_entry(
        actor=actor,
        subject="principal" if principal else "school",
        school_name=name,
        school_code="M0001",
        principal_name=principal,
        violation=f"{principal or '该校'}组织入学考试",
        legal_basis="《义务教育法》第十二条",
        region_code=A if isinstance(actor, str) else "",
        objection_days=7,
        repair_days=1,
        now=_ago(days_ago),
    )


def _notified(a: Attempt) -> BlacklistEntry:
    """Noticed yesterday: the objection window is open."""
    return _proposed()


def _window_over(a: Attempt) -> BlacklistEntry:
    """Noticed ten days ago: the window is over, so it may be put forward."""
    return _proposed(10)


def _objected(a: Attempt) -> BlacklistEntry:
    return blacklist.record_objection(_proposed(), actor=SYSTEM, text="学校不认可", now=_ago(0.5))


def _pending(a: Attempt, actor: Any = SYSTEM) -> BlacklistEntry:
    """Put forward for publication (by ``actor``) once its window was over."""
    return blacklist.request_publication(_proposed(10, actor=actor), actor=actor, now=_ago(1))


def _self_pending(a: Attempt) -> BlacklistEntry:
    """Proposed and put forward by county A's administrator, who may then not approve it."""
    return _pending(a, a.world.users["bureau_admin"])


def _listed(a: Attempt, principal: str = "") -> BlacklistEntry:
    """Published 10 days ago by county A's administrator; its repair period is over."""
    entry = _proposed(20, name=LISTED_SCHOOL, principal=principal)
    entry = blacklist.request_publication(entry, actor=SYSTEM, now=_ago(12))
    admin = a.world.users["bureau_admin"]
    return blacklist.decide_publication(entry, actor=admin, approve=True, now=_ago(10))


def _principal(a: Attempt) -> BlacklistEntry:
    return _listed(a, PRINCIPAL)


def _propose_form() -> dict[str, Any]:
    return {
        "subject": "school",
        "school_name": "矩阵拟列学校",
        "violation": "提前招生",
        "legal_basis": "《义务教育法》第十二条",
        "objection_days": 7,
        "repair_days": 365,
    }


def _names_principal(path: str) -> Perform:
    """ALLOWED if the public list shows the principal's name in the clear. It must list the
    entry with the name masked, so a refusal here is the masking, not a missing entry."""

    def perform(a: Attempt) -> Outcome:
        _principal(a)
        response = a.get(path)
        assert isinstance(response, HttpResponse), type(response)
        assert judge(response) is Outcome.ALLOWED, response.status_code
        text = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            text = json.dumps(json.loads(text), ensure_ascii=False)  # the names, unescaped
        assert mask_name(PRINCIPAL) in text, text[-500:]
        return Outcome.ALLOWED if PRINCIPAL in text else Outcome.DENIED

    return perform


# Each lifecycle step: (page slug, the entry it needs, page form, API tail, API body, operation)
STEPS: list[tuple[str, Make, dict[str, str], str, dict[str, Any], str]] = [
    (
        "objection",
        _notified,
        {"text": "不认可"},
        "objection",
        {"text": "不认可"},
        "record_objection",
    ),
    (
        "objection_decision",
        _objected,
        {"decision": "no", "reason": "证据充分"},
        "objection-decision",
        {"upheld": False, "reason": "证据充分"},
        "decide_objection",
    ),
    ("request_publication", _window_over, {}, "publication-request", {}, "request_publication"),
    (
        "publication_decision",
        _pending,
        {"decision": "yes"},
        "publication-decision",
        {"approve": True},
        "decide_publication",
    ),
    (
        "exit_review",
        _listed,
        {"decision": "yes", "reason": "整改到位"},
        "exit-review",
        {"passed": True, "review": "整改到位"},
        "review_exit",
    ),
    ("withdraw", _notified, {"text": "事实有误"}, "withdraw", {"reason": "事实有误"}, "withdraw"),
]
REFUSE = ({"decision": "no", "reason": "事实待核"}, {"approve": False, "reason": "事实待核"})

BLACKLIST_ACTIONS = [
    *_pair(
        "the staff list holds county A's notified entry",
        COUNTY_A_READERS,
        ("campaigns:blacklist", _shows(f"{PAGES}/blacklist/", _notified, NOTIFIED_SCHOOL)),
        ("blacklist_entry_list", _shows(f"{API}/blacklist/", _notified, _has_made)),
        prefix="blacklist",
    ),
    page(
        "blacklist: the proposal form",
        f"{PAGES}/blacklist/new/",
        BUREAU_ADMINS,
        "campaigns:blacklist_propose",
    ),
    Action(
        "blacklist: propose an entry (of one's own county)",
        _send("post", f"{PAGES}/blacklist/new/", body=_propose_form),
        BUREAU_ADMINS,
        ("campaigns:blacklist_propose",),
        note="the form has no region: an entry is always proposed for the proposer's county",
    ),
    Action(
        "api: propose listing county A's east school",
        lambda a: a.post_json(
            f"{API}/blacklist/", {**_propose_form(), "school_id": a.world.a.east.pk}
        ),
        ADMIN_A,
        ("api:sunshine_campaigns_api_blacklist_propose",),
    ),
    *_pair(
        "county A's entry names its principal",
        COUNTY_A_READERS,
        ("campaigns:blacklist_detail", _shows(f"{B}/", _principal, PRINCIPAL)),
        (
            "blacklist_entry_detail",
            _shows(BA, _principal, lambda e, _m: e["principal_name"] == PRINCIPAL),
        ),
        prefix="blacklist",
    ),
    *(
        action
        for step, make, form, tail, body, operation in STEPS
        for action in _pair(
            f"{step} on county A's entry",
            ADMIN_A,
            ("campaigns:blacklist_step", _send("post", f"{B}/{step}/", make, form)),
            (f"blacklist_{operation}", _send("json", f"{BA}/{tail}", make, body)),
            prefix="blacklist",
        )
    ),
    *_pair(
        "refuse publication of county A's entry",
        ADMIN_A,
        (
            "campaigns:blacklist_step",
            _send("post", f"{B}/publication_decision/", _pending, REFUSE[0]),
        ),
        (
            "blacklist_decide_publication",
            _send("json", f"{BA}/publication-decision", _pending, REFUSE[1]),
        ),
        prefix="blacklist",
    ),
    # Four eyes: county A has one administrator, so nobody may publish what it put forward.
    *_pair(
        "the proposer approves its own entry",
        NOBODY,
        (
            "campaigns:blacklist_step",
            _send("post", f"{B}/publication_decision/", _self_pending, {"decision": "yes"}),
        ),
        (
            "blacklist_decide_publication",
            _send("json", f"{BA}/publication-decision", _self_pending, {"approve": True}),
        ),
        prefix="blacklist",
    ),
    *_pair(
        "the public list shows a published entry",
        EVERYONE,
        ("blacklist:list", _shows("/blacklist/", _listed, LISTED_SCHOOL)),
        ("blacklist_public_list", _shows(f"{API}/blacklist/public", _listed, _has_made)),
        prefix="blacklist",
    ),
    *_pair(
        "the public list shows a notified entry",
        NOBODY,
        ("blacklist:list", _shows("/blacklist/", _notified, NOTIFIED_SCHOOL)),
        ("blacklist_public_list", _shows(f"{API}/blacklist/public", _notified, _has_made)),
        prefix="blacklist",
    ),
    *_pair(
        "the public list names a principal in the clear",
        NOBODY,
        ("blacklist:list", _names_principal("/blacklist/")),
        ("blacklist_public_list", _names_principal(f"{API}/blacklist/public")),
        prefix="blacklist",
    ),
]

ACTIONS: list[Action] = BLACKLIST_ACTIONS
