"""Staff pages for cases: the scoped list and its export, the case page with its clocks and one
form per lifecycle step, hotline entry, and the unified answers. Views parse, call a service
and render; role and scope are checked again in every service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Application
from sunshine.audit.models import AuditEvent
from sunshine.errors import DomainError
from sunshine.oversight import answers, casework, clocks, exports, services
from sunshine.oversight import forms as f
from sunshine.oversight.models import Case, CaseClock
from sunshine.oversight.queries import CASE_ROLES, cases_visible_to, is_handler, visible_case

PAGE_SIZE = 50
HANDLING = (Case.Status.ACCEPTED, Case.Status.TRANSFERRED)
OPEN = (Case.Status.RECEIVED, *HANDLING, Case.Status.REPLIED)


def _staff(request: HttpRequest) -> Any:
    user = request.user
    if not (user.is_authenticated and user.is_active and user.role in CASE_ROLES):
        raise PermissionDenied
    return user


@require_safe
@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    cases = cases_visible_to(user).select_related("handler")
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    page = Paginator(cases.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    running = {
        c.case_id: c
        for c in CaseClock.objects.filter(
            case__in=page.object_list, stopped_at__isnull=True
        ).order_by("due_at")
    }
    rows = [(case, running.get(case.pk)) for case in page.object_list]
    context = {
        "rows": rows,
        "page": page,
        "status": status,
        "statuses": Case.Status.choices,
        "now": timezone.now(),
    }
    return render(request, "oversight/case_list.html", context)


@require_safe
@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    data = exports.export_cases(actor=_staff(request))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="cases.xlsx"'
    return response


def _handlers_for(case: Case) -> list[User]:
    users = User.objects.filter(is_active=True, role__in=CASE_ROLES)
    if case.handler_id is not None:
        users = users.exclude(pk=case.handler_id)
    users = users.filter(region_code__in=[case.handling_region[:n] for n in range(2, 7)])
    ordered = users.order_by("role", "username")
    return [u for u in ordered if cases_visible_to(u).filter(pk=case.pk).exists()]


def _offered(user: Any, case: Case) -> dict[str, bool]:
    handler = is_handler(user, case)
    manager = user.role in services.MANAGERS
    named = not case.anonymous
    feedback_due = named and clocks.running_clock(case, CaseClock.Name.FEEDBACK) is not None
    return {
        "decide": case.status == Case.Status.RECEIVED and (handler or manager),
        "transfer": case.status == Case.Status.ACCEPTED
        and user.role in (Role.INSPECTOR, Role.SUPERVISOR, Role.BUREAU_ADMIN),
        "extend": case.status in HANDLING and manager and not handler and not case.extension_days,
        "reply": case.status in HANDLING and handler,
        "close": case.status == Case.Status.REPLIED and (handler or manager),
        "feedback": feedback_due and handler,
        "reassign": case.status in OPEN and manager,
        "reopen": case.status in (Case.Status.CLOSED, Case.Status.DECLINED) and manager,
        "identity": named and handler,
    }


def _forms(case: Case, user: Any) -> dict[str, forms.Form]:
    return {
        "decide": f.DecisionForm(),
        "transfer": f.TransferForm(),
        "extend": f.ExtensionForm(),
        "reply": f.ReplyForm(case=case),
        "close": f.CloseForm(),
        "feedback": f.NoteForm(),
        "reassign": f.ReassignForm(handlers=_handlers_for(case)),
        "reopen": f.ReasonForm(),
    }


def _detail(
    request: HttpRequest,
    case: Case,
    *,
    bound: tuple[str, forms.Form] | None = None,
    identity: casework.Identity | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    step_forms = _forms(case, user)
    if bound is not None:
        step_forms[bound[0]] = bound[1]
    offered = _offered(user, case)
    now = timezone.now()
    history = AuditEvent.objects.filter(object_type="case", object_id=case.code).order_by("seq")
    context = {
        "case": case,
        "clocks": [clocks.view_of(c, now) for c in case.clocks.order_by("started_at", "pk")],
        "steps": [
            (name, step_forms[name]) for name, ok in offered.items() if ok and name in step_forms
        ],
        "offered": offered,
        "identity": identity,
        "history": history,
        "is_handler": is_handler(user, case),
    }
    return render(request, "oversight/case_detail.html", context, status=status)


@require_safe
@login_required
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = _staff(request)
    return _detail(request, visible_case(user, code))


def _run_step(name: str, case: Case, form: forms.Form, actor: Any) -> None:
    data = form.cleaned_data
    steps: dict[str, Callable[[], object]] = {
        "decide": lambda: services.decide_case(
            case, actor=actor, accept=data["accept"], reason=data["reason"]
        ),
        "extend": lambda: services.extend_case(
            case, actor=actor, days=data["days"], reason=data["reason"]
        ),
        "reply": lambda: casework.reply_case(
            case, actor=actor, template=data["template"], note=data["note"]
        ),
        "close": lambda: casework.close_case(
            case, actor=actor, satisfaction=data["satisfaction"] or None
        ),
        "feedback": lambda: casework.give_feedback(case, actor=actor, note=data["note"]),
        "reassign": lambda: casework.reassign_case(
            case,
            actor=actor,
            handler=User.objects.get(pk=data["handler"]),
            reason=data["reason"],
        ),
        "reopen": lambda: casework.reopen_case(case, actor=actor, reason=data["reason"]),
        "transfer": lambda: casework.transfer_case(
            case, actor=actor, disposition=data["disposition"], note=data["note"]
        ),
    }
    steps[name]()


@require_POST
@login_required
def case_step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    user = _staff(request)
    case = visible_case(user, code)
    blank = _forms(case, user)
    if step not in blank:
        raise PermissionDenied
    form = type(blank[step])
    kwargs: dict[str, Any] = {}
    if step == "reply":
        kwargs["case"] = case
    if step == "reassign":
        kwargs["handlers"] = _handlers_for(case)
    bound = form(request.POST, **kwargs)
    if not bound.is_valid():
        return _detail(request, case, bound=(step, bound), status=422)
    try:
        _run_step(step, case, bound, user)
    except DomainError as e:
        bound.add_error(e.field if e.field in bound.fields else None, str(e))
        return _detail(request, case, bound=(step, bound), status=e.http_status)
    return redirect("oversight:case_detail", code=case.code)


@require_POST
@login_required
def case_identity(request: HttpRequest, code: str) -> HttpResponse:
    user = _staff(request)
    case = visible_case(user, code)
    return _detail(request, case, identity=casework.reporter_identity(case, actor=user))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def hotline(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = f.HotlineForm(request.POST or None, initial={"region_code": user.region_code})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        application = None
        if data["application_code"]:
            application = Application.objects.filter(
                code=data["application_code"], season__region_code=data["region_code"]
            ).first()
            if application is None:
                form.add_error("application_code", _("本县（区）没有这个报名编号。"))
        if form.is_valid():
            try:
                case = services.receive_case(
                    actor=user,
                    kind=data["kind"],
                    category=data["category"],
                    summary=data["summary"],
                    region_code=data["region_code"],
                    channel=data["channel"],
                    school=form.school_object(),
                    application=application,
                    anonymous=data["anonymous"],
                    reporter_name=data["reporter_name"],
                    reporter_contact=data["reporter_contact"],
                    received_at=data["received_at"],
                    about_unit_head=data["about_unit_head"],
                )
            except DomainError as e:
                form.add_error(e.field if e.field in form.fields else None, str(e))
                status = e.http_status  # a refusal is a 403 here as on every other page
            else:
                if cases_visible_to(user).filter(pk=case.pk).exists():
                    return redirect("oversight:case_detail", code=case.code)
                return render(request, "oversight/hotline_done.html", {"case": case})
    return render(request, "oversight/hotline.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = f.TemplateForm(request.POST or None, initial={"region_prefix": user.region_code})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            answers.draft_template(actor=user, **form.cleaned_data)
        except DomainError as e:
            form.add_error(e.field if e.field in form.fields else None, str(e))
            status = e.http_status
        else:
            return redirect("oversight:templates")
    context = {
        "templates": answers.templates_visible_to(user),
        "form": form,
        "can_approve": user.role in answers.APPROVERS,
    }
    return render(request, "oversight/templates.html", context, status=status)


@require_POST
@login_required
def template_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = _staff(request)
    template = answers.templates_visible_to(user).filter(pk=pk).first()
    if template is None or step not in ("approve", "retire"):
        raise PermissionDenied
    if step == "approve":
        answers.approve_template(template, actor=user)
    else:
        answers.retire_template(template, actor=user)
    return redirect("oversight:templates")
