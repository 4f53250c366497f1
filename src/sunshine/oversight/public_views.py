"""Public complaint pages: the form (anonymous by default), the status of a case by its code
(status and dates only), and the case's receipt from the audit log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sunshine.audit.checkpoints import AuditError, receipt_for_object
from sunshine.errors import DomainError, NotFound
from sunshine.oversight import services
from sunshine.oversight.forms import ComplaintForm, StatusForm
from sunshine.oversight.public import public_case

# The public form acts as itself, never as whoever is signed in in this browser.
PUBLIC_ACTOR = "public:web"


@require_http_methods(["GET", "HEAD", "POST"])
def complaint_form(request: HttpRequest) -> HttpResponse:
    form = ComplaintForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.receive_case(
                actor=PUBLIC_ACTOR,
                kind=data["kind"],
                category=data["category"],
                summary=data["summary"],
                region_code=data["region_code"],
                channel="web",
                school=form.school_object(),
                anonymous=data["anonymous"],
                reporter_name=data["reporter_name"],
                reporter_contact=data["reporter_contact"],
                about_unit_head=data["about_unit_head"],
            )
        except DomainError as e:
            form.add_error(e.field if e.field in form.fields else None, str(e))
            status = e.http_status
        else:
            return redirect("complaints:status_detail", code=case.code)
    return render(request, "oversight/public_form.html", {"form": form}, status=status)


@require_safe
def status_lookup(request: HttpRequest) -> HttpResponse:
    form = StatusForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("complaints:status_detail", code=form.cleaned_data["code"].upper())
    return render(request, "oversight/public_status.html", {"form": form, "case": None})


@require_safe
def status_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        case = public_case(code)
    except NotFound:
        form = StatusForm({"code": code})
        form.is_valid()
        form.add_error("code", _("没有找到这个编号，请核对。"))
        return render(
            request, "oversight/public_status.html", {"form": form, "case": None}, status=404
        )
    return render(request, "oversight/public_status.html", {"form": StatusForm(), "case": case})


@require_safe
def receipt(request: HttpRequest, code: str) -> JsonResponse:
    """The receipt of the case's ``case.received`` event with its inclusion proof."""
    case = public_case(code)
    try:
        body = receipt_for_object("case", case.code)
    except AuditError as e:
        return JsonResponse({"error": "not_yet", "message": str(e)}, status=409)
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="receipt-{case.code}.json"'
    return response
