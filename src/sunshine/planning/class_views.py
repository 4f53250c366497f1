"""The class-assignment page: run balanced class assignment (均衡编班) and see the balance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sunshine.accounts.models import Role
from sunshine.admissions.class_assignment import assign_season_classes, class_balance
from sunshine.admissions.models import Season, SeasonRun
from sunshine.admissions.queries import schools_visible_to
from sunshine.errors import DomainError
from sunshine.planning import queries
from sunshine.planning.views import staff_season


def _context(request: HttpRequest, season: Season | None, error: str = "") -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "season": season,
        "seasons": queries.planning_seasons(user),
        "error": error,
    }
    if season is not None:
        balance = class_balance(season, schools_visible_to(user, season))
        context.update(
            balance=balance,
            all_balanced=all(b.balanced for b in balance),
            run=SeasonRun.objects.filter(season=season).order_by("-started_at", "-pk").first(),
            may_run=user.role == Role.BUREAU_ADMIN  # type: ignore[union-attr]
            and user.region_code == season.region_code,  # type: ignore[union-attr]
        )
    return context


@require_safe
@login_required
def classes(request: HttpRequest) -> HttpResponse:
    season = staff_season(request, request.GET.get("season"))
    return render(request, "planning/classes.html", _context(request, season))


@require_POST
@login_required
def classes_run(request: HttpRequest, season_id: int) -> HttpResponse:
    season = staff_season(request, season_id)
    assert season is not None
    try:
        result = assign_season_classes(season, actor=request.user)
    except DomainError as error:
        context = _context(request, season, error=str(error))
        return render(request, "planning/classes.html", context, status=error.http_status)
    messages.success(
        request,
        _("编班完成：%(children)d 名学生，%(classes)d 个班，%(changed)d 人的班级有变化。")
        % {"children": result.children, "classes": result.classes, "changed": result.changed},
    )
    return HttpResponseRedirect(f"{reverse('planning:classes')}?season={season.pk}")
