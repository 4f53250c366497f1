"""The blacklist's API (under /api/campaigns/blacklist/): the staff list and each step of the
lifecycle for signed-in users, and the public list (published only, names masked) for all."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth

from sunshine.admissions.models import School
from sunshine.campaigns import blacklist
from sunshine.campaigns.models import BlacklistEntry
from sunshine.campaigns.publication import public_entries
from sunshine.campaigns.scope import READER_ROLES, blacklist_visible_to, region_of
from sunshine.errors import Invalid, NotAllowed

router = Router(tags=["blacklist"])


def _reader(request: HttpRequest) -> Any:
    user = request.user
    if getattr(user, "role", None) not in READER_ROLES or region_of(user) is None:
        raise NotAllowed("blacklist: not permitted for this account")
    return user


class EntryOut(Schema):
    id: int
    region_code: str
    subject: str
    school_id: int | None
    school_name: str
    school_code: str
    principal_name: str
    violation: str
    legal_basis: str
    status: str
    objection_days: int
    repair_days: int
    notified_at: dt.datetime
    objection_deadline: dt.datetime
    objection_text: str
    objection_at: dt.datetime | None
    objection_outcome: str
    objection_reason: str
    objection_decided_at: dt.datetime | None
    publication_requested_at: dt.datetime | None
    published_at: dt.datetime | None
    exit_eligible_at: dt.datetime | None
    exit_review: str
    removed_at: dt.datetime | None
    withdrawn_reason: str


class PublicEntryOut(Schema):
    id: int
    region_code: str
    region_name: str
    subject: str
    school_name: str
    school_code: str
    principal: str  # masked
    violation: str
    legal_basis: str
    published_at: dt.datetime
    exit_eligible_at: dt.datetime


class ProposeIn(Schema):
    subject: str
    violation: str
    legal_basis: str
    school_id: int | None = None
    school_name: str = ""
    school_code: str = ""
    principal_name: str = ""
    objection_days: int | None = None
    repair_days: int | None = None


class TextIn(Schema):
    text: str


class ObjectionDecisionIn(Schema):
    upheld: bool
    reason: str


class PublicationDecisionIn(Schema):
    approve: bool
    reason: str = ""


class ExitReviewIn(Schema):
    passed: bool
    review: str


class ReasonIn(Schema):
    reason: str


@router.get("/public", response=list[PublicEntryOut], auth=None)
def public_list(request: HttpRequest, region: str = "") -> Any:
    prefix = region if region.isdigit() and len(region) <= 6 else ""
    return [{**asdict(e), "id": e.pk} for e in public_entries(prefix)]


@router.get("/", response=list[EntryOut], auth=django_auth)
def entry_list(request: HttpRequest, status: str = "") -> Any:
    entries = blacklist_visible_to(_reader(request))
    return entries.filter(status=status) if status else entries


@router.post("/", response={201: EntryOut}, auth=django_auth)
def propose(request: HttpRequest, body: ProposeIn) -> Any:
    user = _reader(request)
    data = body.model_dump()
    school_id = data.pop("school_id")
    school = None
    if school_id is not None:
        school = School.objects.select_related("season").filter(pk=school_id).first()
        if school is None:
            raise Invalid("no such school", field="school_id")
    entry = blacklist.propose_entry(actor=user, now=timezone.now(), school=school, **data)
    return Status(201, entry)


def _entry(request: HttpRequest, entry_id: int) -> tuple[Any, BlacklistEntry]:
    user = _reader(request)
    return user, get_object_or_404(blacklist_visible_to(user), pk=entry_id)


@router.get("/{int:entry_id}", response=EntryOut, auth=django_auth)
def entry_detail(request: HttpRequest, entry_id: int) -> Any:
    return _entry(request, entry_id)[1]


@router.post("/{int:entry_id}/objection", response=EntryOut, auth=django_auth)
def record_objection(request: HttpRequest, entry_id: int, body: TextIn) -> Any:
    user, entry = _entry(request, entry_id)
    return blacklist.record_objection(entry, actor=user, text=body.text, now=timezone.now())


@router.post("/{int:entry_id}/objection-decision", response=EntryOut, auth=django_auth)
def decide_objection(request: HttpRequest, entry_id: int, body: ObjectionDecisionIn) -> Any:
    user, entry = _entry(request, entry_id)
    return blacklist.decide_objection(
        entry, actor=user, upheld=body.upheld, reason=body.reason, now=timezone.now()
    )


@router.post("/{int:entry_id}/publication-request", response=EntryOut, auth=django_auth)
def request_publication(request: HttpRequest, entry_id: int) -> Any:
    user, entry = _entry(request, entry_id)
    return blacklist.request_publication(entry, actor=user, now=timezone.now())


@router.post("/{int:entry_id}/publication-decision", response=EntryOut, auth=django_auth)
def decide_publication(request: HttpRequest, entry_id: int, body: PublicationDecisionIn) -> Any:
    user, entry = _entry(request, entry_id)
    return blacklist.decide_publication(
        entry, actor=user, approve=body.approve, reason=body.reason, now=timezone.now()
    )


@router.post("/{int:entry_id}/exit-review", response=EntryOut, auth=django_auth)
def review_exit(request: HttpRequest, entry_id: int, body: ExitReviewIn) -> Any:
    user, entry = _entry(request, entry_id)
    return blacklist.review_exit(
        entry, actor=user, passed=body.passed, review=body.review, now=timezone.now()
    )


@router.post("/{int:entry_id}/withdraw", response=EntryOut, auth=django_auth)
def withdraw(request: HttpRequest, entry_id: int, body: ReasonIn) -> Any:
    user, entry = _entry(request, entry_id)
    return blacklist.withdraw_entry(entry, actor=user, reason=body.reason, now=timezone.now())
