"""Public pages of published lists (公示): every list, each version with its digest and the
roles of who published and approved it, and what changed between two versions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sunshine.admissions.models import Application
from sunshine.core.canonical import canonical_json
from sunshine.core.publication import SPECS, Row, Value
from sunshine.portal.records import published_lists, published_version, version_diff

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


@require_safe
def publication_index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/publication_index.html", {"lists": published_lists()})


@require_safe
def publication_version(request: HttpRequest, list_id: int, number: int) -> HttpResponse:
    version = published_version(list_id, number)
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
    version = published_version(list_id, number)
    return HttpResponse(canonical_json(version.rows), content_type="application/json")


@require_safe
def publication_diff(request: HttpRequest, list_id: int, old: int, new: int) -> HttpResponse:
    found = version_diff(list_id, old, new)
    before, after, diff = found.before, found.after, found.diff
    kind = after.list.kind
    context = {
        "listing": after.list,
        "before": before,
        "after": after,
        "steps": found.steps,
        "headers": _headers(kind),
        "added": _table(kind, list(diff.added)),
        "removed": _table(kind, list(diff.removed)),
        "changed": [(_table(kind, [was])[0], _table(kind, [now])[0]) for was, now in diff.changed],
        "summary": diff.summary(),
    }
    return render(request, "portal/publication_diff.html", context)
