"""Review pages. Views parse, call one service and render; a refusal is shown beside the form
that caused it, with the status the service's error carries."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sunshine.core.policy import AdmissionPolicy
from sunshine.datasets.policy_toml import parse_policy
from sunshine.errors import DomainError, NotFound
from sunshine.review import overrides as override_services
from sunshine.review import services
from sunshine.review.access import can_approve
from sunshine.review.assessment import tier_names
from sunshine.review.detail import ReviewDetail, review_detail
from sunshine.review.effects import tier_label
from sunshine.review.forms import DecisionForm, OverrideDecisionForm, OverrideForm, ReasonForm
from sunshine.review.labels import CHECK_LABELS, RESULT_LABELS
from sunshine.review.models import Override
from sunshine.review.queues import overrides_visible_to, review_queue

PAGE_SIZE = 30


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


@require_safe
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    q = review_queue(
        actor=request.user,
        season_id=_int(request.GET.get("season")),
        level=_int(request.GET.get("level")),
        page=request.GET.get("page"),
    )
    context = {"queue": q, "season": q.season, "lang": _lang(), **_labels()}
    return render(request, "review/queue.html", context)


def _labels() -> dict[str, object]:
    return {"check_labels": CHECK_LABELS, "result_labels": RESULT_LABELS}


def _override_form(detail: ReviewDetail, data: object = None) -> OverrideForm:
    lang = _lang()
    schools = [
        (e.school_code, detail.schools[e.school_code].name)
        for e in detail.assessment.entries
        if not e.private and e.school_code in detail.schools
    ]
    tiers = [(str(i), t[lang]) for i, t in enumerate(detail.tiers, start=1)]
    return OverrideForm(data, schools=schools, tiers=tiers)


def _detail_page(
    request: HttpRequest,
    pk: int,
    *,
    decision_form: DecisionForm | None = None,
    override_form: OverrideForm | None = None,
    reopen_form: ReasonForm | None = None,
    withdraw_form: tuple[int, ReasonForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = review_detail(actor=request.user, application_id=pk)
    if decision_form is None:
        decision_form = DecisionForm(initial={"level": detail.next_level or 1})
    # One withdrawal form per approved override (its own ids); the one that failed, bound.
    withdraw_forms = {
        o.pk: ReasonForm(auto_id=f"id_withdraw_{o.pk}_%s")
        for o in detail.overrides
        if o.state == Override.State.APPROVED
    }
    if withdraw_form is not None:
        withdraw_forms[withdraw_form[0]] = withdraw_form[1]
    context = {
        "detail": detail,
        "season": detail.application.season,
        "decision_form": decision_form,
        "override_form": override_form or _override_form(detail),
        "reopen_form": reopen_form or ReasonForm(auto_id="id_reopen_%s"),
        "withdraw_forms": withdraw_forms,
        "lang": _lang(),
        **_labels(),
    }
    return render(request, "review/application.html", context, status=status)


@require_safe
@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _refused(form: Form, error: DomainError) -> int:
    """Put the service's refusal beside its field (or above the form); the status to answer."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))
    return error.http_status


@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, decision_form=form, status=422)
    data = form.cleaned_data
    try:
        record = services.decide(
            actor=request.user,
            application_id=pk,
            level=data["level"],
            decision=data["decision"],
            reason=data["reason"],
            notes=data["notes"],
        )
    except DomainError as error:
        status = _refused(form, error)
        return _detail_page(request, pk, decision_form=form, status=status)
    messages.success(
        request,
        _("已记录第%(level)s级审核结论：%(decision)s")
        % {"level": record.level, "decision": record.get_decision_display()},
    )
    return redirect(f"{reverse('review:queue')}?level={record.level}")


@require_POST
@login_required
def request_override(request: HttpRequest, pk: int) -> HttpResponse:
    detail = review_detail(actor=request.user, application_id=pk)
    form = _override_form(detail, request.POST)
    if not form.is_valid():
        return _detail_page(request, pk, override_form=form, status=422)
    data = form.cleaned_data
    try:
        override = override_services.request_override(
            actor=request.user,
            application_id=pk,
            kind=data["kind"],
            reason=data["reason"],
            school=data["school"],
            to_tier=form.to_tier_value(),
            check=data["check"],
        )
    except DomainError as error:
        status = _refused(form, error)
        return _detail_page(request, pk, override_form=form, status=status)
    messages.success(
        request, _("更正申请 #%(n)s 已提交，须由另一位审核人员审批后生效") % {"n": override.pk}
    )
    return redirect("review:application", pk=pk)


@require_POST
@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST, auto_id="id_reopen_%s")
    if not form.is_valid():
        return _detail_page(request, pk, reopen_form=form, status=422)
    try:
        services.reopen(actor=request.user, application_id=pk, reason=form.cleaned_data["reason"])
    except DomainError as error:
        status = _refused(form, error)
        return _detail_page(request, pk, reopen_form=form, status=status)
    messages.success(request, _("第二级审核结论已重新打开，等待重新进行第二级审核"))
    return redirect("review:application", pk=pk)


@require_POST
@login_required
def withdraw_override(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST, auto_id=f"id_withdraw_{pk}_%s")
    override = Override.objects.filter(pk=pk).only("application_id").first()
    try:
        if override is None:
            raise NotFound(_("没有这份更正申请"))
        if not form.is_valid():
            return _detail_page(
                request, override.application_id, withdraw_form=(pk, form), status=422
            )
        withdrawn = override_services.withdraw_override(
            actor=request.user, override_id=pk, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        if override is None:
            raise  # answered by the error handler
        status = _refused(form, error)
        return _detail_page(
            request, override.application_id, withdraw_form=(pk, form), status=status
        )
    messages.success(request, _("更正 #%(n)s 已撤销，下次运行时不再适用") % {"n": withdrawn.pk})
    return redirect("review:application", pk=withdrawn.application_id)


def _overrides_page(
    request: HttpRequest, *, failed: int | None = None, error: str = "", status: int = 200
) -> HttpResponse:
    state = request.GET.get("state", Override.State.REQUESTED)
    found = overrides_visible_to(actor=request.user, state=state)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tiers": _tier_changes(page.object_list),
        "state": state,
        "states": Override.State.choices,
        "failed": failed,
        "error": error,
        "check_labels": CHECK_LABELS,
        "may_approve": can_approve(request.user),
    }
    return render(request, "review/overrides.html", context, status=status)


def _tier_changes(shown: Iterable[Override]) -> dict[int, tuple[str, str]]:
    """(from, to) tier names of each tier change shown, in the page's language."""
    lang = _lang()
    policies: dict[int, AdmissionPolicy] = {}
    out = {}
    for o in shown:
        if o.kind != Override.Kind.TIER:
            continue
        season = o.application.season
        if season.pk not in policies:
            policies[season.pk] = parse_policy(season.policy_toml)
        names = tier_names(policies[season.pk], o.application.stage)
        out[o.pk] = (tier_label(names, o.from_tier, lang), tier_label(names, o.to_tier, lang))
    return out


@require_safe
@login_required
def override_list(request: HttpRequest) -> HttpResponse:
    return _overrides_page(request)


@require_POST
@login_required
def decide_override(request: HttpRequest, pk: int) -> HttpResponse:
    form = OverrideDecisionForm(request.POST)
    if not form.is_valid():
        return _overrides_page(request, failed=pk, error=_("请选择批准或驳回"), status=422)
    action, note = form.cleaned_data["action"], form.cleaned_data["note"]
    try:
        if action == "approve":
            override = override_services.approve_override(
                actor=request.user, override_id=pk, note=note
            )
        else:
            override = override_services.refuse_override(
                actor=request.user, override_id=pk, note=note
            )
    except DomainError as error:
        return _overrides_page(request, failed=pk, error=str(error), status=error.http_status)
    messages.success(
        request,
        _("更正申请 #%(n)s：%(state)s") % {"n": override.pk, "state": override.get_state_display()},
    )
    return redirect("review:overrides")
