"""The campaign summary (page and .xlsx) and the upper-level roll-up page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sunshine.campaigns.rollup import Rollup, rollup_for
from sunshine.campaigns.summary import campaign_summary, visible_campaign
from sunshine.campaigns.tables import RATES, county_table, percent
from sunshine.campaigns.web import reader_required
from sunshine.campaigns.xlsx import summary_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
@reader_required
def summary(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = visible_campaign(request.user, pk)
    report = campaign_summary(campaign, user=request.user, as_of=timezone.now())
    context = {
        "report": report,
        "campaign": campaign,
        "view": report.view,
        "table": county_table(report.counties, tasks=False),
    }
    return render(request, "campaigns/summary.html", context)


@require_safe
@reader_required
def summary_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = visible_campaign(request.user, pk)
    report = campaign_summary(campaign, user=request.user, as_of=timezone.now())
    response = HttpResponse(summary_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-summary.xlsx"'
    return response


@require_safe
@reader_required
def rollup(request: HttpRequest) -> HttpResponse:
    report = rollup_for(request.user, as_of=timezone.now(), prefix=request.GET.get("prefix", ""))
    context = {"report": report, "table": county_table(report.counties), "ranks": _ranks(report)}
    return render(request, "campaigns/rollup.html", context)


def _ranks(report: Rollup) -> list[dict[str, Any]]:
    by_code = {c.region_code: c for c in report.counties}
    return [
        {
            "label": str(label),
            "items": [
                {"name": by_code[code].region_name, "rate": percent(by_code[code].cases.rate(key))}
                for code in report.rankings[key]
            ],
        }
        for key, label, _n, _d in RATES
    ]
