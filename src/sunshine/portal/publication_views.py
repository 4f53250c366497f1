"""Public pages of published lists (公示): every list, each version with its digest and the
roles of who published and approved it, and what changed between two versions."""

from __future__ import annotations

from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sunshine.admissions.models import Application, PublishedList, PublishedVersion
from sunshine.core.canonical import canonical_json
from sunshine.core.publication import SPECS, Row, Value, diff_rows

COLUMN_LABELS: dict[str, Promise] = {
    "code": _("报名编号"),
    "name": _("姓名"),
    "id_number": _("身份证号"),
    "school_code": _("学校代码"),
    "school_name": _("学校"),
    "class_no": _("班级"),
    "status": _("状态"),
    "lottery_number": _("摇号号码"),
    "waitlist_position": _("候补顺位"),
}
_STATUS = dict(Application.Status.choices)


def _cell(column: str, value: Value) -> object:
    if column == "status" and isinstance(value, str):
        return _STATUS.get(value, value)
    return "" if value is None else value


def _table(kind: str, rows: list[Row]) -> list[list[object]]:
    columns = SPECS[kind].columns
    return [[_cell(c, row.get(c)) for c in columns] for row in rows]


def _headers(kind: str) -> list[Promise]:
    return [COLUMN_LABELS[c] for c in SPECS[kind].columns]


def _version(list_id: int, number: int) -> PublishedVersion:
    return get_object_or_404(
        PublishedVersion.objects.select_related(
            "list__season", "list__school", "published_by", "approved_by"
        ),
        list_id=list_id,
        number=number,
    )


@require_safe
def publication_index(request: HttpRequest) -> HttpResponse:
    lists = (
        PublishedList.objects.select_related("season", "school")
        .annotate(latest=Max("versions__number"), count=Count("versions"))
        .order_by("-season__school_year", "season__region_code", "kind", "school__code")
    )
    return render(request, "portal/publication_index.html", {"lists": lists})


@require_safe
def publication_version(request: HttpRequest, list_id: int, number: int) -> HttpResponse:
    version = _version(list_id, number)
    newest = version.list.versions.filter(number__gt=number).order_by("number").last()
    context = {
        "version": version,
        "listing": version.list,
        "headers": _headers(version.list.kind),
        "table": _table(version.list.kind, version.rows),
        "newest": newest,
    }
    return render(request, "portal/publication_version.html", context)


@require_safe
def publication_rows_json(request: HttpRequest, list_id: int, number: int) -> HttpResponse:
    """The rows exactly as hashed: sha256 of this body is the version's digest."""
    version = _version(list_id, number)
    return HttpResponse(canonical_json(version.rows), content_type="application/json")


@require_safe
def publication_diff(request: HttpRequest, list_id: int, old: int, new: int) -> HttpResponse:
    if old >= new:
        raise Http404("the earlier version comes first")
    before, after = _version(list_id, old), _version(list_id, new)
    kind = after.list.kind
    diff = diff_rows(before.rows, after.rows)
    # Every version in (old, new] carries its own approver and reason: show them all.
    steps = (
        PublishedVersion.objects.filter(list_id=list_id, number__gt=old, number__lte=new)
        .select_related("published_by", "approved_by")
        .order_by("number")
    )
    context = {
        "listing": after.list,
        "before": before,
        "after": after,
        "steps": steps,
        "headers": _headers(kind),
        "added": _table(kind, list(diff.added)),
        "removed": _table(kind, list(diff.removed)),
        "changed": [(_table(kind, [was])[0], _table(kind, [now])[0]) for was, now in diff.changed],
        "summary": diff.summary(),
    }
    return render(request, "portal/publication_diff.html", context)
