"""Ledger pages: the index, each ledger's list, the add/edit form, void, import and export.
Views parse, call a service and render; scope and permission are decided in the services
(``scope.require_*``), and asked again here only to choose which buttons to show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sunshine.errors import DomainError
from sunshine.ledgers import scope, services, xlsx_services
from sunshine.ledgers.checklist import load_checklist
from sunshine.ledgers.forms import CompleteForm, FollowUpForm, ImportForm, LedgerForm, ReasonForm
from sunshine.ledgers.models import LedgerRow, Rectification
from sunshine.ledgers.queries import (
    counties_visible_to,
    county_name,
    county_summary,
    ledger_rows,
    region_summaries,
)
from sunshine.ledgers.specs import SPECS, LedgerSpec, row_values, spec_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(export: xlsx_services.Export) -> HttpResponse:
    response = HttpResponse(export.data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    return response


def _spec(kind: str) -> LedgerSpec:
    try:
        return spec_for(kind)
    except KeyError:
        raise Http404(kind) from None


def _base(request: HttpRequest, region: str) -> dict[str, Any]:
    scope.require_read(request.user, region)
    return {"region": region, "county_name": county_name(region)}


def add_error(form: Any, error: DomainError) -> None:
    """Show a service's refusal beside its field when the form has that field."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A county user's own county; a supervisor's counties side by side."""
    scope.require_ledger_staff(request.user)
    own = scope.home_region(request.user)
    if own is not None:
        return county(request, own)
    names = dict(counties_visible_to(request.user))
    summaries = region_summaries(names)
    rows = [(s, names[s.region_code]) for s in summaries]
    return render(request, "ledgers/home.html", {"rows": rows, "specs": list(SPECS.values())})


@require_safe
@login_required
def county(request: HttpRequest, region: str) -> HttpResponse:
    context = _base(request, region)
    summary = county_summary(region)
    context["ledgers"] = [(spec, summary.ledgers[spec.kind]) for spec in SPECS.values()]
    context["summary"] = summary
    context["checklist_title"] = load_checklist().label(get_language() or "zh-hans")
    return render(request, "ledgers/county.html", context)


@dataclass(frozen=True, slots=True)
class RowView:
    row: LedgerRow
    cells: list[Any]  # display values, in column order
    extras: list[Any]


def _display(spec: LedgerSpec, row: LedgerRow) -> RowView:
    values = row_values(spec, row)
    cells = []
    for column in spec.columns:
        value = values[column.field]
        if column.choices is not None and value:
            value = dict(column.choices.choices).get(value, value)
        cells.append(value)
    extras: list[Any] = []
    for name in spec.extras:
        value = getattr(row, name)
        extras.append(value.number if isinstance(value, LedgerRow) else value)
    return RowView(row, cells, extras)


def _extra_labels(spec: LedgerSpec) -> list[str]:
    labels = {"case_code": _("关联投诉案件编号"), "clue": _("关联问题线索")}
    return [labels[name] for name in spec.extras]


@require_safe
@login_required
def row_list(request: HttpRequest, region: str, kind: str) -> HttpResponse:
    spec = _spec(kind)
    context = _base(request, region)
    rows = [_display(spec, r) for r in ledger_rows(spec.kind, region)]
    context.update(
        spec=spec,
        headers=[_(h) for h in spec.headers[1:]],
        extra_labels=_extra_labels(spec),
        rows=rows,
        can_write=scope.can_write(request.user, region, spec.writers),
        is_visits=spec.kind == "visit",
    )
    return render(request, "ledgers/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def row_create(request: HttpRequest, region: str, kind: str) -> HttpResponse:
    spec = _spec(kind)
    context = _base(request, region)
    if not scope.can_write(request.user, region, spec.writers):
        raise PermissionDenied
    form = LedgerForm(request.POST or None, spec=spec, region_code=region)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.create_row(
                spec.kind, region, actor=request.user, values=form.values(), extras=form.extras()
            )
        except DomainError as e:
            add_error(form, e)
        else:
            messages.success(request, _("已添加第 %(n)s 号记录") % {"n": row.number})
            return redirect("ledgers:list", region=region, kind=spec.slug)
    context.update(spec=spec, form=form, row=None)
    return render(request, "ledgers/form.html", context, status=400 if form.errors else 200)


def _row(spec: LedgerSpec, region: str, number: int) -> LedgerRow:
    row = ledger_rows(spec.kind, region).filter(number=number).first()
    if row is None:
        raise Http404(f"{spec.kind} {region} {number}")
    return row


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def row_edit(request: HttpRequest, region: str, kind: str, number: int) -> HttpResponse:
    spec = _spec(kind)
    context = _base(request, region)
    row = _row(spec, region, number)
    can_write = scope.can_write(request.user, region, spec.writers) and not row.voided
    if request.method == "POST" and not can_write:
        raise PermissionDenied
    view = _display(spec, row)
    initial = {**row_values(spec, row), **dict(zip(spec.extras, view.extras, strict=True))}
    form = LedgerForm(
        request.POST if request.method == "POST" else None,
        spec=spec,
        region_code=region,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_row(
                spec.kind,
                region,
                number,
                actor=request.user,
                changes=form.values(),
                extras=form.extras(),
            )
        except DomainError as e:
            add_error(form, e)
        else:
            messages.success(request, _("已保存第 %(n)s 号记录") % {"n": number})
            return redirect("ledgers:list", region=region, kind=spec.slug)
    is_rectification = isinstance(row, Rectification)
    context.update(
        spec=spec,
        form=form,
        row=row,
        view=view,
        columns=list(zip([_(h) for h in spec.headers[1:]], view.cells, strict=True)),
        extra_cells=list(zip(_extra_labels(spec), view.extras, strict=True)),
        can_write=can_write,
        void_form=ReasonForm(),
        complete_form=CompleteForm() if is_rectification else None,
        follow_up_form=FollowUpForm() if is_rectification else None,
        can_review=is_rectification and scope.can_review(request.user, region),
    )
    return render(request, "ledgers/form.html", context, status=400 if form.errors else 200)


def _back(region: str, spec: LedgerSpec, number: int) -> HttpResponse:
    return redirect("ledgers:edit", region=region, kind=spec.slug, number=number)


@require_POST
@login_required
def row_void(request: HttpRequest, region: str, kind: str, number: int) -> HttpResponse:
    spec = _spec(kind)
    scope.require_read(request.user, region)  # outsiders learn nothing, whatever they send
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写作废原因"))
        return _back(region, spec, number)
    services.void_row(
        spec.kind, region, number, actor=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("已作废第 %(n)s 号记录") % {"n": number})
    return redirect("ledgers:list", region=region, kind=spec.slug)


@require_POST
@login_required
def rectification_complete(request: HttpRequest, region: str, number: int) -> HttpResponse:
    spec = spec_for("rectification")
    scope.require_read(request.user, region)  # outsiders learn nothing, whatever they send
    form = CompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写完成时间"))
        return _back(region, spec, number)
    services.complete_rectification(
        region, number, actor=request.user, on=form.cleaned_data["completed_on"]
    )
    messages.success(request, _("第 %(n)s 号整改事项已标记为完成") % {"n": number})
    return _back(region, spec, number)


@require_POST
@login_required
def rectification_follow_up(request: HttpRequest, region: str, number: int) -> HttpResponse:
    spec = spec_for("rectification")
    scope.require_read(request.user, region)  # outsiders learn nothing, whatever they send
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择回头看结论并填写意见"))
        return _back(region, spec, number)
    reopen = form.cleaned_data["outcome"] == "reopen"
    services.follow_up_rectification(
        region,
        number,
        actor=request.user,
        reopen=reopen,
        note=form.cleaned_data["note"],
        on=form.cleaned_data["reviewed_on"],
    )
    done = _("已重开") if reopen else _("已确认整改到位")
    messages.success(request, _("回头看已记录：%(done)s") % {"done": done})
    return _back(region, spec, number)


@require_safe
@login_required
def export(request: HttpRequest, region: str, kind: str) -> HttpResponse:
    spec = _spec(kind)
    return xlsx_response(xlsx_services.export_ledger(spec.kind, region, actor=request.user))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def import_view(request: HttpRequest, region: str, kind: str) -> HttpResponse:
    spec = _spec(kind)
    context = _base(request, region)
    if not scope.can_write(request.user, region, spec.writers):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result = xlsx_services.import_ledger(spec.kind, region, data, actor=request.user)
        except xlsx_services.ImportRejected as e:
            problems = e.problems
            form.add_error("file", str(e))
            status = 422
        except DomainError as e:
            add_error(form, e)
            status = e.http_status
        else:
            messages.success(
                request,
                _("导入完成：新增 %(c)s 条，更新 %(u)s 条，未变 %(s)s 条")
                % {"c": len(result.created), "u": len(result.updated), "s": result.unchanged},
            )
            return redirect("ledgers:list", region=region, kind=spec.slug)
    elif form.errors:
        status = 400
    context.update(
        spec=spec,
        form=form,
        problems=problems,
        title=_(spec.title),
        back=reverse("ledgers:list", kwargs={"region": region, "kind": spec.slug}),
    )
    return render(request, "ledgers/import.html", context, status=status)
