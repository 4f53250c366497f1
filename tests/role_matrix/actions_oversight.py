"""Complaints and their casework: the staff pages (/staff/cases/), the public pages
(/complaints/), Open311 (/open311/v2/) and /api/cases/.

Every case is made inside its action by the system actor. County A has one bureau
administrator, one reviewer and one inspector, so routing is fixed: a default case (admission
fees) goes to the administrator, a bribe to the inspector, and a complaint about the bureau's
head one level up, to the city's supervisor. County A's bureau and inspector and the city's
supervisor read its cases; only the handler answers (谁承办、谁答复) and reads who reported;
the administrator and the supervisor manage; a family reaches only its own case; the public
pages are everyone's.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
from django.http import HttpResponseBase
from django.utils import timezone

from sunshine.audit.checkpoints import publish_checkpoint
from sunshine.oversight import answers, casework, services
from sunshine.oversight.models import AnswerTemplate, Case
from tests.role_matrix.framework import (
    COUNTY_A_READERS,
    EVERYONE,
    NOBODY,
    SIGNED_IN,
    STAFF,
    Action,
    Attempt,
    Outcome,
    judge,
    page,
)
from tests.role_matrix.world import COUNTY_A, World


def _op(name: str) -> str:
    return f"api:sunshine_oversight_api_{name}"


SYSTEM = "cli:matrix"
A = COUNTY_A
FEES = "admission_fees"
SUMMARY = "城东小学收取与入学挂钩的赞助费"  # a reporter's words: never public
TEMPLATE_TITLE = "关于入学收费问题的统一答复"
# Every account that works cases somewhere (each opens the pages, scoped to its own cases).
CASE_STAFF = STAFF - {"school_staff", "school_staff_other_school"}
HANDLER = frozenset({"bureau_admin"})  # the handler of every default county-A case
MANAGERS = frozenset({"bureau_admin", "supervisor"})  # the unit's administrator, the city
CITY = frozenset({"supervisor"})  # alone sees a complaint about county A's bureau head
B_READERS = frozenset({"bureau_admin_other_county", "inspector_other_county", "supervisor"})
A_READ = COUNTY_A_READERS  # county A's bureau and inspector, and the city's supervisor
NEW_TEMPLATE = {"region_prefix": A, "category": FEES, "title": "新口径", "body": "答复内容"}
# What the actions cover (URL names and API operation ids).
LIST, EXPORT, HOTLINE = ("oversight:case_list",), ("oversight:case_export",), ("oversight:hotline",)
TEMPLATES, TEMPLATE_STEP = ("oversight:templates",), ("oversight:template_step",)
DETAIL, STATUS, RECEIPT = "oversight:case_detail", "complaints:status_detail", "complaints:receipt"
REQUESTS, SUBMIT, API_LIST = ("open311:requests",), (_op("submit"),), (_op("case_list"),)
EXPORT_PAGE = "/staff/cases/export.xlsx"

Data = dict[str, Any] | Callable[[World], dict[str, Any]]


# --- cases in each state -----------------------------------------------------------------


def _case(
    w: World,
    *,
    category: str = FEES,
    named: bool = False,
    head: bool = False,
    b: bool = False,
    family: bool = False,
) -> Case:
    """A complaint about county A's (or B's) east school; ``family``: a named one the family
    of A1 sent from its own account."""
    county = w.b if b else w.a
    return services.receive_case(
        actor=w.users["parent"] if family else SYSTEM,
        kind="complaint",
        category=category,
        summary=SUMMARY,
        region_code=county.season.region_code,
        channel="family" if family else "web",
        school=county.east,
        anonymous=not (named or family),
        reporter_name="实名反映人" if named else "",
        about_unit_head=head,
    )


def _template(w: World, *, approved: bool = True) -> AnswerTemplate:
    """County A's answer on fees, drafted by its reviewer and approved by the city."""
    draft = answers.draft_template(
        actor=w.users["bureau_reviewer"],
        region_prefix=A,
        category=FEES,
        title=TEMPLATE_TITLE,
        body="义务教育阶段学校不得收取与入学挂钩的任何费用。",
    )
    return answers.approve_template(draft, actor=w.users["supervisor"]) if approved else draft


def _accepted(case: Case) -> Case:
    return services.decide_case(case, actor=SYSTEM, accept=True)


def _replied(w: World, case: Case) -> Case:
    return casework.reply_case(_accepted(case), actor=SYSTEM, template=_template(w))


def _closed(w: World, case: Case) -> Case:
    return casework.close_case(_replied(w, case), actor=SYSTEM, satisfaction=None)


def _checkpointed(w: World) -> Case:
    """A case whose ``case.received`` event a signed checkpoint covers (for its receipt)."""
    case = _case(w)
    publish_checkpoint(actor=SYSTEM)
    return case


# --- lists and files, judged by whether they hold the row ----------------------------------


def _holds(response: HttpResponseBase, found: Callable[[Any], bool]) -> Outcome:
    outcome = judge(response)
    if outcome is not Outcome.ALLOWED:
        return outcome
    return Outcome.ALLOWED if found(response) else Outcome.DENIED


def _json_has(key: str, value: object) -> Callable[[Any], bool]:
    return lambda r: value in {item[key] for item in r.json()}


def _list_shows(*, head: bool = False, b: bool = False) -> Callable[[Attempt], Outcome]:
    return lambda a: a.sees("/staff/cases/", _case(a.world, head=head, b=b).code)


def _api_list_holds(head: bool = False) -> Callable[[Attempt], Outcome]:
    def perform(a: Attempt) -> Outcome:
        code = _case(a.world, head=head).code  # before the request
        return _holds(a.get("/api/cases/"), _json_has("code", code))

    return perform


def _export_holds(path: str) -> Callable[[Attempt], Outcome]:
    def perform(a: Attempt) -> Outcome:
        code = _case(a.world).code

        def found(response: Any) -> bool:
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            return code in {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}

        return _holds(a.get(path), found)

    return perform


def _open311_lists(head: bool = False) -> Callable[[Attempt], Outcome]:
    def perform(a: Attempt) -> Outcome:
        code = _case(a.world, head=head).code
        response = a.get("/open311/v2/requests.json", {"jurisdiction_id": A})
        return _holds(response, _json_has("service_request_id", code))

    return perform


def _templates_page_shows(a: Attempt) -> Outcome:
    _template(a.world)
    return a.sees("/staff/cases/templates/", TEMPLATE_TITLE)


def _api_templates_hold(a: Attempt) -> Outcome:
    pk = _template(a.world).pk
    return _holds(a.get("/api/cases/templates"), _json_has("id", pk))


# --- intake ------------------------------------------------------------------------------


def _complaint_form(w: World) -> dict[str, Any]:
    return {
        "kind": "complaint",
        "category": FEES,
        "region_code": A,
        "school": str(w.a.east.pk),
        "summary": SUMMARY,
        "anonymous": "on",
    }


def _an_hour_ago() -> dt.datetime:
    return timezone.localtime() - dt.timedelta(hours=1)


def _hotline_entry(a: Attempt) -> Outcome:
    """Enter a call to county A. The page answers a refused entry with the form and the
    service's message at status 200, so the outcome is whether the case was written."""
    summary = f"{SUMMARY}（热线 {a.actor}）"
    data = {
        **_complaint_form(a.world),
        "summary": summary,
        "channel": "hotline",
        "received_at": _an_hour_ago().strftime("%Y-%m-%dT%H:%M"),
    }
    outcome = judge(a.post("/staff/cases/hotline/", data))
    if outcome is Outcome.OTHER:
        return outcome
    written = Case.objects.filter(summary=summary, channel="hotline").exists()
    return Outcome.ALLOWED if written else Outcome.DENIED


def _api_body() -> dict[str, Any]:
    return {"kind": "complaint", "category": FEES, "summary": SUMMARY, "region_code": A}


def _api_submit(extra: Callable[[World], dict[str, Any]]) -> Callable[[Attempt], object]:
    return lambda a: a.post_json("/api/cases/", {**_api_body(), **extra(a.world)})


def _about_a1(w: World) -> dict[str, Any]:
    return {"application_code": w.a.applications["a1"].code}


def _call(w: World) -> dict[str, Any]:
    """A call typed in by staff, with the time it came in."""
    return {"channel": "hotline", "received_at": _an_hour_ago().isoformat()}


def _objection(w: World) -> dict[str, Any]:
    """The family's objection to A1's own result, on its own page's channel."""
    return {
        "kind": "objection",
        "category": "admission_result",
        "application_code": w.a.applications["a1"].code,
        "anonymous": False,
        "reporter_name": "张家长",
        "channel": "family",
    }


# --- the lifecycle steps, each as the page's form and as the API call ----------------------


def _step(
    slug: str,
    prepare: Callable[[World], Case],
    form: Data,
    allowed: frozenset[str],
    *,
    endpoint: str = "",
    body: Data | None = None,
    api_also: frozenset[str] = NOBODY,
) -> list[Action]:
    """POST /staff/cases/<code>/<slug>/ and POST /api/cases/<code>/<endpoint> on a case made
    by ``prepare``; ``api_also`` are let in by the API only (a reporter's own account)."""

    def resolve(data: Data, w: World) -> dict[str, Any]:
        return data(w) if callable(data) else data

    def on_page(a: Attempt) -> object:
        case = prepare(a.world)
        return a.post(f"/staff/cases/{case.code}/{slug}/", resolve(form, a.world))

    def by_api(a: Attempt) -> object:
        case = prepare(a.world)
        path = f"/api/cases/{case.code}/{endpoint or slug}"
        return a.post_json(path, resolve(form if body is None else body, a.world))

    return [
        Action(f"oversight: {slug} a case", on_page, allowed, ("oversight:case_step",)),
        Action(f"api: {slug} a case", by_api, allowed | api_also, (_op(slug),)),
    ]


def _reassign(key: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {key: w.users["inspector"].pk, "reason": "涉及收受钱物，改由纪检组办理"}


STEPS: list[Action] = [
    # The handler (the administrator) or the city decides.
    *_step(
        "decide",
        _case,
        {"accept": "1"},
        MANAGERS,
        endpoint="decision",
        body={"accept": True},
    ),
    # A bribe's case is the inspector's: the administrator or the city extends, never it.
    *_step(
        "extend",
        lambda w: _accepted(_case(w, category="bribery")),
        {"days": 10, "reason": "需调取银行流水"},
        MANAGERS,
        endpoint="extension",
    ),
    *_step(
        "reply",
        lambda w: _accepted(_case(w)),
        lambda w: {"template": _template(w).pk, "note": "已责令退费"},
        HANDLER,
        body=lambda w: {"template_id": _template(w).pk, "note": "已责令退费"},
    ),
    # The family of A1 rates its own complaint from its account (the API), not the staff page.
    *_step(
        "close",
        lambda w: _replied(w, _case(w, family=True)),
        {"satisfaction": "satisfied"},
        MANAGERS,
        api_also=frozenset({"parent"}),
    ),
    *_step(
        "feedback",
        lambda w: _closed(w, _case(w, named=True)),
        {"note": "已电话告知反映人处理结果"},
        HANDLER,
    ),
    *_step("reassign", _case, _reassign("handler"), MANAGERS, body=_reassign("handler_id")),
    *_step("reopen", lambda w: _closed(w, _case(w)), {"reason": "反映人不满意"}, MANAGERS),
    *_step(
        "transfer",
        lambda w: _accepted(_case(w)),
        {"disposition": "talk", "note": "移送派驻纪检监察组"},
        MANAGERS | {"inspector"},
    ),
]


def _template_step(step: str, *, approved: bool, api: bool) -> Callable[[Attempt], object]:
    def perform(a: Attempt) -> object:
        pk = _template(a.world, approved=approved).pk
        if api:
            return a.post_json(f"/api/cases/templates/{pk}/{step}", {})
        return a.post(f"/staff/cases/templates/{pk}/{step}/")

    return perform


def _named(w: World) -> Case:
    return _case(w, named=True)


def _head(w: World) -> Case:
    return _case(w, head=True)


def _on(
    name: str, path: str, make: Callable[[World], Case], who: frozenset[str], covers: str
) -> Action:
    """A GET of ``path`` with ``{}`` replaced by the code of a case ``make`` builds."""
    return page(name, lambda w: path.format(make(w).code), who, covers)


STAFF_PAGES: list[Action] = [
    page("oversight: the case list", "/staff/cases/", CASE_STAFF, LIST[0]),
    Action("oversight: the list shows a county-A case", _list_shows(), A_READ, LIST),
    Action("oversight: the list shows a county-B case", _list_shows(b=True), B_READERS, LIST),
    Action("oversight: the list shows a complaint on A's head", _list_shows(head=True), CITY, LIST),
    page("oversight: the export", "/staff/cases/export.xlsx", CASE_STAFF, EXPORT[0]),
    Action(
        "oversight: the export holds a county-A case", _export_holds(EXPORT_PAGE), A_READ, EXPORT
    ),
    _on("oversight: a county-A case", "/staff/cases/{}/", _case, A_READ, DETAIL),
    _on("oversight: a complaint on A's head", "/staff/cases/{}/", _head, CITY, DETAIL),
    Action(
        "oversight: read a named reporter's identity",
        lambda a: a.post(f"/staff/cases/{_named(a.world).code}/identity/"),
        HANDLER,
        ("oversight:case_identity",),
    ),
    page("oversight: the hotline form", "/staff/cases/hotline/", CASE_STAFF, HOTLINE[0]),
    Action("oversight: enter a call to county A", _hotline_entry, A_READ, HOTLINE),
    page("oversight: the answers", "/staff/cases/templates/", CASE_STAFF, TEMPLATES[0]),
    Action("oversight: the answers show county A's", _templates_page_shows, A_READ, TEMPLATES),
    Action(
        "oversight: draft an answer for county A",
        lambda a: a.post("/staff/cases/templates/", NEW_TEMPLATE),
        A_READ,
        TEMPLATES,
    ),
    # Approved by a second person: never its author, county A's reviewer.
    Action(
        "oversight: approve county A's draft answer",
        _template_step("approve", approved=False, api=False),
        MANAGERS,
        TEMPLATE_STEP,
    ),
    Action(
        "oversight: retire county A's answer",
        _template_step("retire", approved=True, api=False),
        MANAGERS,
        TEMPLATE_STEP,
    ),
]

PUBLIC: list[Action] = [
    page("complaints: the form", "/complaints/", EVERYONE, "complaints:new"),
    Action(
        "complaints: send a complaint",
        lambda a: a.post("/complaints/", _complaint_form(a.world)),
        EVERYONE,
        ("complaints:new",),
    ),
    page("complaints: the status lookup", "/complaints/status/", EVERYONE, "complaints:status"),
    Action(
        "complaints: look a case up",
        lambda a: a.get("/complaints/status/", {"code": _case(a.world).code.lower()}),
        EVERYONE,
        ("complaints:status",),
    ),
    _on("complaints: a case's status", "/complaints/{}/", _case, EVERYONE, STATUS),
    Action(
        "complaints: a case's status shows the reporter's words",
        lambda a: a.sees(f"/complaints/{_named(a.world).code}/", SUMMARY),
        NOBODY,
        (STATUS,),
    ),
    _on("complaints: a receipt", "/complaints/{}/receipt.json", _checkpointed, EVERYONE, RECEIPT),
    page("open311: the services", "/open311/v2/services.json", EVERYONE, "open311:services"),
    page("open311: a service", f"/open311/v2/services/{FEES}.json", EVERYONE, "open311:service"),
    Action("open311: the requests list a county-A case", _open311_lists(), EVERYONE, REQUESTS),
    # Sent one level up: not listed even to the public.
    Action("open311: the requests list a case on A's head", _open311_lists(True), NOBODY, REQUESTS),
    Action(
        "open311: post a request",
        lambda a: a.post(
            "/open311/v2/requests.json",
            {"jurisdiction_id": A, "service_code": FEES, "description": SUMMARY},
        ),
        EVERYONE,
        REQUESTS,
    ),
    _on("open311: a request", "/open311/v2/requests/{}.json", _case, EVERYONE, "open311:request"),
]

API: list[Action] = [
    Action(
        "api: send a public complaint",
        lambda a: a.post_json("/api/cases/public", _api_body()),
        EVERYONE,
        (_op("submit_public"),),
    ),
    Action("api: send a complaint signed in", _api_submit(lambda w: {}), SIGNED_IN, SUBMIT),
    Action("api: object to A1's result", _api_submit(_objection), frozenset({"parent"}), SUBMIT),
    Action("api: a complaint naming A1", _api_submit(_about_a1), A_READ | {"parent"}, SUBMIT),
    Action("api: enter a call to county A", _api_submit(_call), A_READ, SUBMIT),
    _on("api: a case's status", "/api/cases/status/{}", _case, EVERYONE, _op("status")),
    _on("api: a receipt", "/api/cases/status/{}/receipt", _checkpointed, EVERYONE, _op("receipt")),
    Action("api: the list holds a county-A case", _api_list_holds(), A_READ, API_LIST),
    Action("api: the list holds a case on A's head", _api_list_holds(True), CITY, API_LIST),
    page("api: the export", "/api/cases/export.xlsx", CASE_STAFF, _op("export")),
    Action(
        "api: the export holds a county-A case",
        _export_holds("/api/cases/export.xlsx"),
        A_READ,
        (_op("export"),),
    ),
    _on("api: a county-A case", "/api/cases/{}", _case, A_READ, _op("case_detail")),
    _on("api: a complaint on A's head", "/api/cases/{}", _head, CITY, _op("case_detail")),
    _on("api: a reporter's identity", "/api/cases/{}/reporter", _named, HANDLER, _op("reporter")),
    Action(
        "api: the answers hold county A's", _api_templates_hold, A_READ, (_op("template_list"),)
    ),
    Action(
        "api: draft an answer for county A",
        lambda a: a.post_json("/api/cases/templates", NEW_TEMPLATE),
        A_READ,
        (_op("template_draft"),),
    ),
    Action(
        "api: approve county A's draft answer",
        _template_step("approve", approved=False, api=True),
        MANAGERS,
        (_op("template_approve"),),
    ),
    Action(
        "api: retire county A's answer",
        _template_step("retire", approved=True, api=True),
        MANAGERS,
        (_op("template_retire"),),
    ),
]

ACTIONS: list[Action] = [*STAFF_PAGES, *STEPS, *PUBLIC, *API]
