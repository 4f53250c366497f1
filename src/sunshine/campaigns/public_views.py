"""The public blacklist page (公示): published entries only, principals' names masked."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sunshine.campaigns.publication import public_entries


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    prefix = request.GET.get("region", "").strip()
    if not prefix.isdigit() or len(prefix) > 6:
        prefix = ""
    context = {"entries": public_entries(prefix), "region": prefix}
    return render(request, "campaigns/public_blacklist.html", context)
