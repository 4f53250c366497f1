"""The staff dashboard: applications by status, seats against demand, the review backlog.
Charts are inline SVG drawn on the server, each with a data table under it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sunshine.accounts.permissions import is_staff_member
from sunshine.admissions.models import Season
from sunshine.admissions.queries import seasons_visible_to
from sunshine.analytics import queries
from sunshine.analytics.charts import Series, bar_chart


def dashboard_season(user: Any, season_id: str | int | None) -> Season | None:
    """The season asked for if in scope (404 otherwise), else the user's latest."""
    if not is_staff_member(user):
        raise PermissionDenied
    seasons = seasons_visible_to(user).defer("policy_toml", "extra_columns")
    if season_id in (None, ""):
        return seasons.first()
    try:
        return seasons.get(pk=int(season_id))
    except (ValueError, Season.DoesNotExist):
        raise Http404("no such season in your scope") from None


def _charts(user: Any, season: Season) -> dict[str, Any]:
    statuses = queries.status_counts(user, season)
    demand = queries.seats_and_demand(user, season)
    backlog = queries.review_backlog(user, season, timezone.now())
    ages = [str(label) for label, _first, _last in queries.AGE_BUCKETS]
    return {
        "statuses": statuses,
        "total": sum(s.count for s in statuses),
        "status_chart": bar_chart(
            [s.label for s in statuses], [Series(_("报名数"), "bar-a", [s.count for s in statuses])]
        ),
        "demand": demand,
        "demand_chart": bar_chart(
            [d.school.name for d in demand],
            [
                Series(_("招生计划"), "bar-e", [d.plan_seats for d in demand]),
                Series(_("第一志愿"), "bar-a", [d.first_choice for d in demand]),
                Series(_("全部志愿"), "bar-b", [d.listings for d in demand]),
                Series(_("已录取"), "bar-c", [d.admitted for d in demand]),
            ],
        ),
        "backlog": backlog,
        "ages": ages,
        "backlog_rows": [(label, [b.by_age[i] for b in backlog]) for i, label in enumerate(ages)],
        "backlog_chart": bar_chart(
            ages,
            [
                Series(_("第一级（学校初审）"), "bar-b", backlog[0].by_age),
                Series(_("第二级（教育局复审）"), "bar-d", backlog[1].by_age),
            ],
        ),
    }


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    season = dashboard_season(request.user, request.GET.get("season"))
    context: dict[str, Any] = {
        "season": season,
        "seasons": seasons_visible_to(request.user).defer("policy_toml", "extra_columns"),
    }
    if season is not None:
        context.update(_charts(request.user, season))
    return render(request, "analytics/dashboard.html", context)
