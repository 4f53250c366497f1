"""Staff pages of the blacklist: the list (every state), a proposal form, and one entry with
the form of each step its state allows. Every step is a service in ``blacklist.py``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from sunshine.accounts.models import Role
from sunshine.admissions.models import School
from sunshine.audit.models import AuditEvent
from sunshine.campaigns import blacklist
from sunshine.campaigns.forms import DecisionForm, ProposeForm, TextForm
from sunshine.campaigns.models import BlacklistEntry
from sunshine.campaigns.scope import blacklist_visible_to, region_of
from sunshine.campaigns.web import place_error, reader_required
from sunshine.errors import DomainError

Status = BlacklistEntry.Status


def _schools(user: Any) -> Any:
    return School.objects.filter(season__region_code=region_of(user)).select_related("season")


@require_safe
@reader_required
def entry_list(request: HttpRequest) -> HttpResponse:
    entries = blacklist_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        entries = entries.filter(status=status)
    context = {
        "entries": entries,
        "status": status,
        "statuses": Status.choices,
        "can_propose": getattr(request.user, "role", None) == Role.BUREAU_ADMIN,
    }
    return render(request, "campaigns/blacklist_list.html", context)


@reader_required
def propose(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role != Role.BUREAU_ADMIN:
        raise PermissionDenied  # the service refuses too; no form for those who cannot send it
    form = ProposeForm(request.POST or None, schools=_schools(user))
    if request.method == "POST" and form.is_valid():
        try:
            entry = blacklist.propose_entry(actor=user, now=timezone.now(), **form.cleaned_data)
        except DomainError as e:
            if not place_error(form, e):
                raise
        else:
            return redirect("campaigns:blacklist_detail", pk=entry.pk)
    status = 422 if form.errors else 200
    return render(request, "campaigns/blacklist_propose.html", {"form": form}, status=status)


def _entry(request: HttpRequest, pk: int) -> BlacklistEntry:
    return get_object_or_404(blacklist_visible_to(request.user), pk=pk)


ACTION_LABELS = {
    "blacklist.notified": gettext_lazy("告知"),
    "blacklist.objection_recorded": gettext_lazy("登记异议"),
    "blacklist.objection_decided": gettext_lazy("决定异议"),
    "blacklist.publication_requested": gettext_lazy("提请公示"),
    "blacklist.published": gettext_lazy("批准公示"),
    "blacklist.publication_refused": gettext_lazy("不同意公示"),
    "blacklist.removed": gettext_lazy("复核通过，移出"),
    "blacklist.exit_refused": gettext_lazy("复核不通过"),
    "blacklist.withdrawn": gettext_lazy("撤销"),
}


def _history(entry: BlacklistEntry) -> list[dict[str, Any]]:
    events = AuditEvent.objects.filter(object_type="blacklist_entry", object_id=str(entry.pk))
    return [
        {
            "seq": e.seq,
            "at": e.created_at,
            "action": e.action,
            "label": ACTION_LABELS.get(e.action, e.action),
            "actor": e.actor,
        }
        for e in events.order_by("seq")
    ]


# step -> (form factory, the state it needs)
STEPS: dict[str, tuple[Callable[..., forms.Form], str]] = {
    "objection": (lambda data=None: TextForm(data), Status.NOTIFIED),
    "objection_decision": (
        lambda data=None: DecisionForm(data, yes=_("异议成立（撤销）"), no=_("异议不成立")),
        Status.OBJECTED,
    ),
    "request_publication": (lambda data=None: forms.Form(data), Status.NOTIFIED),
    "publication_decision": (
        lambda data=None: DecisionForm(data, yes=_("同意公示"), no=_("不同意，退回")),
        Status.PENDING,
    ),
    "exit_review": (
        lambda data=None: DecisionForm(data, yes=_("复核通过，移出"), no=_("复核不通过")),
        Status.PUBLISHED,
    ),
    "withdraw": (lambda data=None: TextForm(data), ""),
}


def _render(
    request: HttpRequest, entry: BlacklistEntry, bound: dict[str, forms.Form], status: int = 200
) -> HttpResponse:
    user: Any = request.user
    actor = user.role == Role.BUREAU_ADMIN and region_of(user) == entry.region_code
    now = timezone.now()
    offered = _offered(entry, now) if actor else set()
    step_forms = {
        step: bound.get(step) or factory()
        for step, (factory, _needed) in STEPS.items()
        if step in offered or step in bound
    }
    context = {"entry": entry, "forms": step_forms, "history": _history(entry), "now": now}
    return render(request, "campaigns/blacklist_detail.html", context, status=status)


def _offered(entry: BlacklistEntry, now: dt.datetime) -> set[str]:
    """The steps worth offering now (the services check the same rules again)."""
    steps = {step for step, (_f, needed) in STEPS.items() if entry.status == needed}
    if entry.status in (Status.NOTIFIED, Status.OBJECTED, Status.PENDING):
        steps.add("withdraw")
    window_open = now <= entry.objection_deadline
    if not window_open or entry.objection_at is not None:
        steps.discard("objection")
    if window_open and entry.objection_outcome != BlacklistEntry.Outcome.REJECTED:
        steps.discard("request_publication")
    if entry.exit_eligible_at is None or now < entry.exit_eligible_at:
        steps.discard("exit_review")
    return steps


@require_safe
@reader_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _entry(request, pk), {})


@require_POST
@reader_required
def entry_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404("no such step")
    entry = _entry(request, pk)
    form = STEPS[step][0](request.POST)
    if form.is_valid():
        try:
            _run(step, entry, request.user, form)
        except DomainError as e:
            if not place_error(form, e):
                raise
        else:
            return redirect("campaigns:blacklist_detail", pk=entry.pk)
    return _render(request, entry, {step: form}, status=422)


def _run(step: str, entry: BlacklistEntry, user: Any, form: forms.Form) -> None:
    now, data = timezone.now(), form.cleaned_data
    yes = isinstance(form, DecisionForm) and form.yes
    reason = data.get("reason", "")
    if step == "objection":
        blacklist.record_objection(entry, actor=user, text=data["text"], now=now)
    elif step == "objection_decision":
        blacklist.decide_objection(entry, actor=user, upheld=yes, reason=reason, now=now)
    elif step == "request_publication":
        blacklist.request_publication(entry, actor=user, now=now)
    elif step == "publication_decision":
        blacklist.decide_publication(entry, actor=user, approve=yes, reason=reason, now=now)
    elif step == "exit_review":
        blacklist.review_exit(entry, actor=user, passed=yes, review=reason, now=now)
    else:
        blacklist.withdraw_entry(entry, actor=user, reason=data["text"], now=now)
