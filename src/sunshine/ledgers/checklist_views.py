"""The checklist pages: the 26 items in their groups, each with its measures, conclusion and
evidence files; import and export of the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sunshine.errors import DomainError
from sunshine.ledgers import scope, xlsx_services
from sunshine.ledgers.checklist import load_checklist
from sunshine.ledgers.checklist_services import (
    CHECKLIST_WRITERS,
    fill_checklist_item,
    void_evidence,
)
from sunshine.ledgers.forms import ChecklistItemForm, ImportForm, ReasonForm
from sunshine.ledgers.models import ChecklistEvidence
from sunshine.ledgers.queries import checklist_entries, county_name, county_summary
from sunshine.ledgers.views import add_error, xlsx_response


def _anchor(region: str, item_no: int) -> str:
    return reverse("ledgers:checklist", kwargs={"region": region}) + f"#item-{item_no}"


@require_safe
@login_required
def checklist(request: HttpRequest, region: str) -> HttpResponse:
    scope.require_read(request.user, region)
    return _render(request, region, {})


def _render(
    request: HttpRequest, region: str, bound: dict[int, Any], status: int = 200
) -> HttpResponse:
    """The page; ``bound`` holds a submitted form (with its errors) by item number."""
    entries = checklist_entries(region)
    language = get_language() or "zh-hans"
    checklist = load_checklist()
    groups = []
    for group in checklist.groups:
        items = []
        for item in group.items:
            entry = entries.get(item.number)
            initial = {"measures": entry.measures, "conclusion": entry.conclusion} if entry else {}
            form = bound.get(item.number) or ChecklistItemForm(
                initial=initial, prefix=f"item{item.number}"
            )
            evidence = list(entry.evidence.all()) if entry else []
            items.append(
                {
                    "item": item,
                    "text": item.label(language),
                    "entry": entry,
                    "form": form,
                    "evidence": evidence,
                }
            )
        groups.append((group.label(language), items))
    context = {
        "region": region,
        "county_name": county_name(region),
        "groups": groups,
        "checklist": checklist,
        "title": checklist.label(language),
        "progress": county_summary(region).checklist,
        "can_write": scope.can_write(request.user, region, CHECKLIST_WRITERS),
        "void_form": ReasonForm(),
    }
    return render(request, "ledgers/checklist.html", context, status=status)


@require_POST
@login_required
def checklist_item(request: HttpRequest, region: str, item_no: int) -> HttpResponse:
    """Save one item's measures and conclusion, and its evidence file if one was chosen."""
    scope.require_read(request.user, region)
    form = ChecklistItemForm(request.POST, request.FILES, prefix=f"item{item_no}")
    if form.is_valid():
        try:
            fill_checklist_item(
                region,
                item_no,
                actor=request.user,
                measures=form.cleaned_data["measures"],
                conclusion=form.cleaned_data["conclusion"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as e:
            if e.http_status == 403:
                raise
            add_error(form, e)
        else:
            messages.success(request, _("第 %(n)s 项已保存") % {"n": item_no})
            return redirect(_anchor(region, item_no))
    return _render(request, region, {item_no: form}, status=400)


@require_POST
@login_required
def evidence_void(request: HttpRequest, region: str, pk: int) -> HttpResponse:
    scope.require_read(request.user, region)
    evidence = ChecklistEvidence.objects.select_related("entry").filter(pk=pk).first()
    if evidence is None or evidence.entry.region_code != region:
        raise Http404("evidence")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写作废原因"))
    else:
        void_evidence(region, pk, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("佐证材料已作废"))
    return redirect(_anchor(region, evidence.entry.item_no))


def evidence_response(region: str, pk: int) -> FileResponse:
    """The stored file of evidence ``pk`` of county ``region``; the caller checks the reader."""
    evidence = ChecklistEvidence.objects.select_related("entry").filter(pk=pk).first()
    if evidence is None or evidence.entry.region_code != region:
        raise Http404("evidence")
    # Always a download, never shown inline: the browser must not render what was uploaded.
    return FileResponse(
        evidence.file.storage.open(str(evidence.file.name), "rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type="application/octet-stream",
    )


@require_safe
@login_required
def evidence_download(request: HttpRequest, region: str, pk: int) -> FileResponse:
    scope.require_read(request.user, region)
    return evidence_response(region, pk)


@require_safe
@login_required
def checklist_export(request: HttpRequest, region: str) -> HttpResponse:
    return xlsx_response(xlsx_services.export_checklist(region, actor=request.user))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def checklist_import(request: HttpRequest, region: str) -> HttpResponse:
    scope.require_read(request.user, region)
    if not scope.can_write(request.user, region, CHECKLIST_WRITERS):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result = xlsx_services.import_checklist(region, data, actor=request.user)
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
                _("导入完成：新填 %(c)s 项，更新 %(u)s 项，未变 %(s)s 项")
                % {"c": len(result.created), "u": len(result.updated), "s": result.unchanged},
            )
            return redirect("ledgers:checklist", region=region)
    elif form.errors:
        status = 400
    context = {
        "region": region,
        "county_name": county_name(region),
        "form": form,
        "problems": problems,
        "title": load_checklist().label(get_language() or "zh-hans"),
        "back": reverse("ledgers:checklist", kwargs={"region": region}),
        "action": reverse("ledgers:checklist_import", kwargs={"region": region}),
    }
    return render(request, "ledgers/import.html", context, status=status)
