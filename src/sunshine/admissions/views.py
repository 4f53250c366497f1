"""Staff pages for admissions. Views parse, call queries and services, and render."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from sunshine.accounts.permissions import is_staff_member, sees_unmasked_personal_data
from sunshine.admissions.disclosure import record_unmasked_view
from sunshine.admissions.forms import ApplicationFilterForm
from sunshine.admissions.labels import PRIORITY_GROUP_LABELS, SPECIAL_NEEDS_LABELS
from sunshine.admissions.models import Application
from sunshine.admissions.queries import (
    applications_visible_to,
    filter_applications,
    schools_visible_to,
    seasons_visible_to,
    with_list_columns,
)
from sunshine.core.ids import mask_id, mask_name

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    application: Application
    child_name: str
    child_id_number: str
    priority_group: str
    special_needs: str


def _row(application: Application, unmasked: bool) -> ApplicationRow:
    name, id_number = application.child_name, application.child_id_number
    if not unmasked:
        name, id_number = mask_name(name), mask_id(id_number)
    group, needs = application.priority_group, application.special_needs
    return ApplicationRow(
        application,
        name,
        id_number,
        str(PRIORITY_GROUP_LABELS.get(group, group)),
        str(SPECIAL_NEEDS_LABELS.get(needs, needs)),
    )


@require_safe
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not is_staff_member(user):
        raise PermissionDenied
    # A user's scope holds a handful of seasons (one per county and year): fetch them once.
    seasons = list(seasons_visible_to(user).defer("policy_toml", "extra_columns"))
    wanted = request.GET.get("season", "")
    season = next((s for s in seasons if str(s.pk) == wanted), None) if wanted else None
    if season is None and not wanted and seasons:
        season = seasons[0]
    if season is None:
        if wanted:
            raise Http404("no such season in your scope")
        return render(request, "admissions/application_list.html", {"season": None})
    form = ApplicationFilterForm(request.GET, schools=schools_visible_to(user, season))
    form.is_valid()
    applications = filter_applications(
        applications_visible_to(user).filter(season=season), form.filters()
    )
    page = Paginator(with_list_columns(applications), PAGE_SIZE).get_page(request.GET.get("page"))
    unmasked = sees_unmasked_personal_data(user)
    rows = [_row(a, unmasked) for a in page.object_list]
    if unmasked:
        record_unmasked_view(actor=user, season=season, codes=[r.application.code for r in rows])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "season": season,
        "seasons": seasons,
        "form": form,
        "page": page,
        "rows": rows,
        "unmasked": unmasked,
        "query": query.urlencode(),
    }
    return render(request, "admissions/application_list.html", context)
