"""Campaign pages: the list, a campaign's timeline and task table, and its forms. Views parse,
call a service or a query, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sunshine.campaigns import services
from sunshine.campaigns.forms import CampaignForm, PhaseForm, TaskForm, TaskStatusForm
from sunshine.campaigns.models import Campaign, Task
from sunshine.campaigns.scope import (
    MANAGER_ROLES,
    campaigns_visible_to,
    may_manage,
    may_update_task,
    region_of,
)
from sunshine.campaigns.summary import campaign_view, visible_campaign
from sunshine.campaigns.web import place_error, reader_required
from sunshine.errors import DomainError


@require_safe
@reader_required
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    campaigns = campaigns_visible_to(user).order_by("-starts_on", "-pk")
    context = {
        "campaigns": campaigns,
        "can_create": user.role in MANAGER_ROLES,
        "today": timezone.localdate(),
    }
    return render(request, "campaigns/home.html", context)


@reader_required
def create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role not in MANAGER_ROLES:
        raise PermissionDenied  # the service refuses too; no form for those who cannot send it
    own = region_of(user) or ""
    level = Campaign.Level.COUNTY if len(own) == 6 else Campaign.Level.CITY
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        initial={"region_code": own, "level": level},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=user, now=timezone.now(), **form.cleaned_data)
        except DomainError as e:
            if not place_error(form, e):
                raise
        else:
            return redirect("campaigns:detail", pk=campaign.pk)
    status = 422 if form.errors else 200
    return render(request, "campaigns/create.html", {"form": form}, status=status)


def _detail(
    request: HttpRequest, campaign: Campaign, status: int = 200, **forms: Any
) -> HttpResponse:
    user: Any = request.user
    view = campaign_view(campaign, today=timezone.localdate())
    manager = may_manage(user, campaign)
    context = {
        "view": view,
        "campaign": campaign,
        "manager": manager,
        "phase_form": forms.get("phase_form") or PhaseForm(),
        "task_form": forms.get("task_form") or TaskForm(phases=campaign.phases.all()),
        "status_error": forms.get("status_error"),
        "updatable": {row.task.pk for row in view.tasks if may_update_task(user, row.task)},
        "status_choices": Task.Status.choices,
    }
    return render(request, "campaigns/detail.html", context, status=status)


@require_safe
@reader_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, visible_campaign(request.user, pk))


@require_POST
@reader_required
def add_phase(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = visible_campaign(request.user, pk)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            services.add_phase(
                campaign, actor=request.user, now=timezone.now(), **form.cleaned_data
            )
        except DomainError as e:
            if not place_error(form, e):
                raise
        else:
            return _back(campaign, "phases")
    return _detail(request, campaign, status=422, phase_form=form)


@require_POST
@reader_required
def add_task(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = visible_campaign(request.user, pk)
    form = TaskForm(request.POST, phases=campaign.phases.all())
    if form.is_valid():
        try:
            services.add_task(campaign, actor=request.user, now=timezone.now(), **form.cleaned_data)
        except DomainError as e:
            if not place_error(form, e):
                raise
        else:
            return _back(campaign, "tasks")
    return _detail(request, campaign, status=422, task_form=form)


@require_POST
@reader_required
def task_status(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(
        Task.objects.select_related("campaign"),
        pk=pk,
        campaign__in=campaigns_visible_to(request.user),
    )
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_task_status(
                task, actor=request.user, now=timezone.now(), **form.cleaned_data
            )
        except DomainError as e:
            if not place_error(form, e):
                raise
        else:
            return _back(task.campaign, f"task-{task.number}")
    errors = "; ".join(str(m) for msgs in form.errors.values() for m in msgs)
    return _detail(request, task.campaign, status=422, status_error=(task.pk, errors))


@require_POST
@reader_required
def run_alerts(request: HttpRequest) -> HttpResponse:
    alerted = services.alert_overdue_tasks(actor=request.user, as_of=timezone.now())
    messages.info(
        request, _("新记录逾期提醒 %(n)d 条（已提醒过的任务不重复提醒）。") % {"n": len(alerted)}
    )
    return redirect("campaigns:home")


def _back(campaign: Campaign, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("campaigns:detail", args=[campaign.pk]) + f"#{anchor}")
