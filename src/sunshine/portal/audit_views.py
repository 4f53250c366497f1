"""Pages of the audit log: the signed checkpoints (with the key that signs them) and a form that
checks a receipt, for everyone (checking happens in ``core.checkpoint``, the very code an
outsider can re-run from docs/audit.md); the events themselves for inspectors and supervisors."""

from __future__ import annotations

import base64
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from sunshine.audit.checkpoints import published_checkpoints
from sunshine.audit.reading import EventFilters, read_events
from sunshine.core.checkpoint import receipt_problem

MAX_RECEIPT_CHARS = 200_000  # a receipt for 10^9 events is well under 10 kB; refuse floods


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        label=_("回执（JSON）"),
        max_length=MAX_RECEIPT_CHARS,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    def clean_receipt(self) -> object:
        try:
            return json.loads(self.cleaned_data["receipt"])
        except ValueError as exc:
            raise forms.ValidationError(_("这不是有效的 JSON。")) from exc


@require_safe
def checkpoints(request: HttpRequest) -> HttpResponse:
    published = published_checkpoints()
    listed = list(reversed(published["checkpoints"]))  # newest first for people
    return render(
        request, "portal/audit_checkpoints.html", {"published": published, "listed": listed}
    )


@require_safe
def checkpoints_json(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(published_checkpoints(), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="checkpoints.json"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST or None)
    outcome: dict[str, object] | None = None
    if request.method == "POST" and form.is_valid():
        public = base64.b64decode(published_checkpoints()["public_key"])
        problem = receipt_problem(form.cleaned_data["receipt"], public)
        outcome = {"ok": problem is None, "problem": problem}
    return render(request, "portal/audit_receipt.html", {"form": form, "outcome": outcome})


class EventFilterForm(forms.Form):
    since = forms.IntegerField(label=_("起始序号"), required=False, min_value=0)
    action = forms.CharField(label=_("操作"), required=False, max_length=100)
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=100)
    object_id = forms.CharField(label=_("对象"), required=False, max_length=200)

    def filters(self) -> EventFilters:
        self.is_valid()
        data = self.cleaned_data
        return EventFilters(
            since=data.get("since") or 0,
            action=(data.get("action") or "").strip(),
            object_type=(data.get("object_type") or "").strip(),
            object_id=(data.get("object_id") or "").strip(),
        )


@require_safe
@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The audit events of the reader's region, 100 at a time (NotAllowed for other roles)."""
    form = EventFilterForm(request.GET)
    found = read_events(actor=request.user, filters=form.filters())
    following = found[-1].seq + 1 if found else None
    query = request.GET.copy()
    if following is not None:
        query["since"] = str(following)
    context = {"form": form, "events": found, "next_query": query.urlencode()}
    return render(request, "portal/audit_events.html", context)
