"""Intake and the first steps of a case: receive (every channel), accept or decline, extend.

Each service owns one ``transaction.atomic()``, takes ``actor=`` keyword-only, checks role and
scope first and appends its audit event in the same transaction. Event details carry the
region and outcome only, never the reporter (see docs/oversight.md for the event names, which
the county rankings read).

The later steps (reply, close, feedback, reassign, reopen, transfer, reading a reporter's
identity) are in :mod:`sunshine.oversight.casework`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from sunshine.accounts.models import Role
from sunshine.admissions.models import Application, School
from sunshine.audit.services import Actor, record_event
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.oversight import clocks
from sunshine.oversight.models import Case, CaseClock, Category, Channel, Reporter
from sunshine.oversight.queries import CASE_ROLES, cases_visible_to, is_handler, region_covers
from sunshine.oversight.routing import route

Clock = CaseClock.Name
KINDS = frozenset(Case.Kind.values)
MAX_SUMMARY = 5000
# Channels on which staff type in what arrived elsewhere: they set the arrival time.
STAFF_CHANNELS = frozenset({Channel.HOTLINE, Channel.LETTER, Channel.VISIT})
# Administrators who may act on any case of their scope (the handler may act on its own).
MANAGERS = frozenset({Role.BUREAU_ADMIN, Role.SUPERVISOR})
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out on the phone

__all__ = ["decide_case", "extend_case", "receive_case", "submit_case"]


def _is_user(actor: Actor) -> bool:
    return not isinstance(actor, str)


def event(case: Case, action: str, *, actor: Actor, **detail: Any) -> None:
    """Append a case event; every detail names the county, which the rankings group by."""
    record_event(
        actor=actor,
        action=action,
        object_type="case",
        object_id=case.code,
        after={"status": case.status, "handler": case.handler_id, "updated": str(timezone.now())},
        detail={"region_code": case.region_code, **detail},
    )


def lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def require_manager_or_handler(actor: Actor, case: Case, action: str) -> None:
    """The handler acts on its own case; a bureau administrator or supervisor on any case of
    its scope; the CLI and system jobs (a str actor) on any."""
    if not _is_user(actor):
        return
    if is_handler(actor, case) and actor.is_active and actor.role in CASE_ROLES:
        return
    if actor.is_active and actor.role in MANAGERS and _sees(actor, case):
        return
    raise NotAllowed(f"{action}: only the case's handler or its unit's administrator may")


def _sees(actor: Actor, case: Case) -> bool:
    return cases_visible_to(actor).filter(pk=case.pk).exists()


def _new_code(at: dt.datetime) -> str:
    day = timezone.localtime(at).strftime("%Y%m%d")
    while True:
        code = f"TS{day}-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
        if not Case.objects.filter(code=code).exists():
            return code


def _check_intake(
    actor: Actor,
    kind: str,
    category: str,
    channel: str,
    summary: str,
    region_code: str,
    received_at: dt.datetime | None,
) -> None:
    if kind not in KINDS:
        raise Invalid(f"unknown kind {kind!r}", field="kind")
    if category not in Category.values:
        raise Invalid(f"unknown category {category!r}", field="category")
    if channel not in Channel.values:
        raise Invalid(f"unknown channel {channel!r}", field="channel")
    if not summary.strip():
        raise Invalid("describe the problem", field="summary")
    if len(summary) > MAX_SUMMARY:
        raise Invalid(f"the summary is longer than {MAX_SUMMARY} characters", field="summary")
    if len(region_code) != 6 or not region_code.isdigit():
        raise Invalid("region code must be 6 digits", field="region_code")
    if _is_user(actor):
        role = getattr(actor, "role", None)
        staff = bool(actor.is_authenticated and actor.is_active and role in CASE_ROLES)
        if channel in STAFF_CHANNELS and not staff:
            raise NotAllowed(f"only bureau staff may enter a {channel} case")
        if channel in STAFF_CHANNELS and not region_covers(actor, region_code):
            raise NotAllowed(f"region {region_code} is outside your scope")
        if channel == Channel.OPEN311:
            raise NotAllowed("the Open311 channel is the Open311 endpoint's own")
        if channel == Channel.FAMILY and role != Role.PARENT:
            raise NotAllowed("only a family account submits from the family page")
        if received_at is not None and channel not in STAFF_CHANNELS:
            raise Invalid(
                "only staff entering a call, letter or visit set the arrival time",
                field="received_at",
            )
    if kind == Case.Kind.OBJECTION and category != Category.ADMISSION_RESULT:
        raise Invalid("an objection concerns the admission result", field="category")


def _check_links(
    actor: Actor,
    kind: str,
    region_code: str,
    school: School | None,
    application: Application | None,
    anonymous: bool,
) -> None:
    if school is not None and school.season.region_code != region_code:
        raise Invalid("the school is not in this region", field="school")
    if kind == Case.Kind.OBJECTION:
        if application is None:
            raise Invalid("an objection names the application it concerns", field="application")
        if anonymous:
            raise Invalid("an objection to one's own result cannot be anonymous", field="anonymous")
    if application is None:
        return
    if application.season.region_code != region_code:
        raise Invalid("the application is not in this region", field="application")
    if _is_user(actor):
        if actor.role == Role.PARENT:
            if not actor.applications.filter(pk=application.pk).exists():
                raise NotAllowed("a family may only refer to its own child's application")
        elif not (actor.role in CASE_ROLES and region_covers(actor, region_code)):
            raise NotAllowed("you may not link an application outside your scope")


def submit_case(
    *,
    actor: Actor,
    kind: str,
    category: str,
    summary: str,
    region_code: str,
    channel: str,
    school: School | None = None,
    application: Application | None = None,
    anonymous: bool = True,
    reporter_name: str = "",
    reporter_contact: str = "",
    received_at: dt.datetime | None = None,
) -> Case:
    """Receive a complaint, tip-off, petition or objection (the stable entry point the family
    pages call). Returns the case; its ``code`` is the reporter's receipt number."""
    return receive_case(
        actor=actor,
        kind=kind,
        category=category,
        summary=summary,
        region_code=region_code,
        channel=channel,
        school=school,
        application=application,
        anonymous=anonymous,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        received_at=received_at,
    )


def receive_case(
    *,
    actor: Actor,
    kind: str,
    category: str,
    summary: str,
    region_code: str,
    channel: str,
    school: School | None = None,
    application: Application | None = None,
    anonymous: bool = True,
    reporter_name: str = "",
    reporter_contact: str = "",
    received_at: dt.datetime | None = None,
    about_unit_head: bool = False,
    lat: float | None = None,
    long: float | None = None,
) -> Case:
    """:func:`submit_case` plus what the public form and Open311 can also say: whether the
    complaint concerns the head of the handling unit (routed one level up) and a location."""
    summary = summary.strip()
    _check_intake(actor, kind, category, channel, summary, region_code, received_at)
    now = timezone.now()
    arrival = received_at or now
    if timezone.is_naive(arrival):
        raise Invalid("the arrival time needs a time zone", field="received_at")
    if arrival > now:
        raise Invalid("the arrival time is in the future", field="received_at")
    account = actor if _is_user(actor) and actor.role == Role.PARENT and not anonymous else None
    name, contact = reporter_name.strip()[:64], reporter_contact.strip()[:64]
    if not anonymous and not (name or contact or account):
        raise Invalid("a named report needs a name or a contact", field="reporter_name")
    with transaction.atomic():
        _check_links(actor, kind, region_code, school, application, anonymous)
        where = route(region_code, category, about_unit_head=about_unit_head)
        case = Case.objects.create(
            code=_new_code(arrival),
            region_code=region_code,
            handling_region=where.handling_region,
            handling_unit=where.unit_name,
            handler=where.handler,
            kind=kind,
            category=category,
            channel=channel,
            summary=summary,
            received_at=arrival,
            recorded_at=now,
            anonymous=anonymous,
            about_unit_head=about_unit_head,
            school=school,
            application=application,
            lat=lat,
            long=long,
        )
        if not anonymous:  # an anonymous reporter's name is never stored, even if typed
            Reporter.objects.create(case=case, name=name, contact=contact, account=account)
        clocks.start_clock(case, Clock.ACCEPTANCE, arrival)
        event(case, "case.received", actor=actor, kind=kind, category=category, channel=channel)
    return case


def decide_case(
    case: Case, *, actor: Actor, accept: bool, reason: str = "", at: dt.datetime | None = None
) -> Case:
    """Accept or decline (受理/不予受理). Accepting starts the handling clock; it starts at the
    decision but never later than the acceptance deadline, so a late decision buys no time."""
    reason = reason.strip()
    if not accept and not reason:
        raise Invalid("say why the case is declined", field="reason")
    at = at or timezone.now()
    with transaction.atomic():
        case = lock(case)
        require_manager_or_handler(actor, case, "decide on a case")
        if case.status != Case.Status.RECEIVED:
            raise Conflict(f"case {case.code} was already decided ({case.status})")
        acceptance = clocks.stop_clock(case, Clock.ACCEPTANCE, at)
        case.decided_at = at
        case.decision_reason = reason
        case.status = Case.Status.ACCEPTED if accept else Case.Status.DECLINED
        case.save()
        on_time = bool(acceptance and acceptance.met)
        if accept:
            start = min(at, acceptance.due_at) if acceptance else at
            clocks.start_clock(case, Clock.HANDLING, start)
        elif not case.anonymous:  # a named reporter must be told why
            clocks.start_clock(case, Clock.FEEDBACK, at)
        action = "case.accepted" if accept else "case.declined"
        event(case, action, actor=actor, on_time=on_time)
    return case


def extend_case(
    case: Case, *, actor: Actor, days: int, reason: str, at: dt.datetime | None = None
) -> Case:
    """Approve the one extension of the handling clock (at most the region's limit, 30 days
    by default), before it runs out. The approver is ``actor``, never the handler."""
    reason = reason.strip()
    if not reason:
        raise Invalid("an extension needs its reason (it is told to the reporter)", field="reason")
    at = at or timezone.now()
    with transaction.atomic():
        case = lock(case)
        if _is_user(actor):
            if not (actor.is_active and actor.role in MANAGERS and _sees(actor, case)):
                raise NotAllowed("only the unit's administrator or a supervisor may extend")
            if is_handler(actor, case):
                raise NotAllowed("the handler cannot approve its own extension")
        if case.status not in (Case.Status.ACCEPTED, Case.Status.TRANSFERRED):
            raise Conflict(f"case {case.code} is not being handled ({case.status})")
        clock = clocks.running_clock(case, Clock.HANDLING)
        if clock is None:
            raise Conflict("the handling clock is not running")
        if clock.extended_by or case.extension_days:
            raise Conflict("a case may be extended only once")
        limit = clocks.rules_for(case.region_code)[Clock.HANDLING].max_extension
        if not 1 <= days <= limit:
            raise Invalid(f"an extension is 1 to {limit} days", field="days")
        if at >= clock.due_at:
            raise Conflict("the handling deadline has passed: extend before it runs out")
        clocks.extend_clock(clock, days)
        case.extension_days = days
        case.extension_reason = reason
        case.extension_approver = actor if _is_user(actor) else None
        case.extended_at = at
        case.save()
        event(case, "case.extended", actor=actor, days=days)
    return case
