"""The staff page for publishing lists (公示): choose the list, preview its masked rows,
co-sign on the spot, publish; and the versions published so far."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from sunshine.admissions.models import Application, PublishedList, School, Season
from sunshine.admissions.queries import schools_visible_to, seasons_visible_to
from sunshine.admissions.staff_publication import (
    APPROVER_ROLES,
    PUBLISHER_ROLES,
    Preview,
    lists_in_scope,
    preview_list,
    publish_in_scope,
)
from sunshine.core.publication import SPECS
from sunshine.errors import DomainError
from sunshine.planning.cosign import cosigner
from sunshine.planning.forms import CosignForm, add_domain_error
from sunshine.portal.publication_views import COLUMN_LABELS

_STATUS = dict(Application.Status.choices)


class ListChoiceForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("名单类型"), choices=PublishedList.Kind.choices)
    school = forms.ModelChoiceField(
        label=gettext_lazy("学校"),
        queryset=School.objects.none(),
        required=False,
        empty_label=gettext_lazy("全部学校（全县名单）"),
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]


class PublishForm(ListChoiceForm, CosignForm):
    reason = forms.CharField(
        label=gettext_lazy("更正理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("第一版可不填；以后的每一版都必须说明为什么更正。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["kind", "school", "reason"])


def _season(request: HttpRequest, season_id: Any) -> Season | None:
    if getattr(request.user, "role", None) not in PUBLISHER_ROLES:
        raise PermissionDenied
    seasons = seasons_visible_to(request.user).defer("policy_toml", "extra_columns")
    if season_id in (None, ""):
        return seasons.first()
    try:
        return seasons.get(pk=int(season_id))
    except (ValueError, Season.DoesNotExist):
        raise Http404("no such season in your scope") from None


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _table(preview: Preview) -> tuple[list[Any], list[list[Any]]]:
    columns = SPECS[preview.kind].columns
    headers = [COLUMN_LABELS[c] for c in columns]
    rows = [
        [
            _STATUS.get(str(row.get(c)), row.get(c)) if c == "status" else _blank(row.get(c))
            for c in columns
        ]
        for row in preview.shown
    ]
    return headers, rows


def _context(
    request: HttpRequest,
    season: Season | None,
    choice_data: Any = None,
    publish_form: PublishForm | None = None,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "season": season,
        "seasons": seasons_visible_to(request.user).defer("policy_toml", "extra_columns"),
    }
    if season is None:
        return context
    schools = schools_visible_to(request.user, season)
    choice = ListChoiceForm(choice_data, schools=schools)
    context.update(choice_form=choice, lists=lists_in_scope(season, request.user))
    if choice.is_valid():
        kind, school = choice.cleaned_data["kind"], choice.cleaned_data["school"]
        try:
            preview = preview_list(season, kind, school, actor=request.user)
        except DomainError as error:
            add_domain_error(choice, error)
        else:
            headers, rows = _table(preview)
            initial = {"kind": kind, "school": school}
            context.update(
                preview=preview,
                headers=headers,
                rows=rows,
                publish_form=publish_form or PublishForm(initial=initial, schools=schools),
            )
    return context


@require_safe
@login_required
def publications(request: HttpRequest) -> HttpResponse:
    season = _season(request, request.GET.get("season"))
    choice = request.GET if "kind" in request.GET else None
    context = _context(request, season, choice)
    return render(request, "admissions/staff/publications.html", context)


@require_POST
@login_required
def publish(request: HttpRequest, season_id: int) -> HttpResponse:
    season = _season(request, season_id)
    assert season is not None
    schools = schools_visible_to(request.user, season)
    wanted = request.POST.get("school", "")
    if wanted and not schools.filter(pk=wanted if wanted.isdigit() else 0).exists():
        raise PermissionDenied  # another school's list: not theirs to publish
    form = PublishForm(request.POST, schools=schools)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            approver = cosigner(
                request,
                actor=request.user,  # type: ignore[arg-type]
                username=data["cosigner_username"],
                password=data["cosigner_password"],
                roles=set(APPROVER_ROLES),
                region_code=season.region_code,
            )
            version = publish_in_scope(
                season,
                data["kind"],
                data["school"],
                actor=request.user,
                approver=approver,
                reason=data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            messages.success(
                request,
                _("已发布第 %(n)d 版，摘要 %(sha)s。")
                % {"n": version.number, "sha": version.sha256[:16]},
            )
            url = reverse("portal:publication_version", args=[version.list_id, version.number])
            return HttpResponseRedirect(url)
    # Show the preview of what was asked for, with the refused form under it.
    context = _context(request, season, request.POST, publish_form=form)
    return render(request, "admissions/staff/publications.html", context, status=status)
