"""Staff side of publishing lists (公示): who may publish what, a masked preview before
publishing, and the scoped call of :func:`~sunshine.admissions.publication.publish_list`.

``publish_list`` checks the two people (a staff publisher, a different bureau approver); this
module adds the scope: school staff publish only their own school's lists, bureau staff their
county's, and the approver must belong to the season's county. Inspectors and supervisors
read the published lists on the public pages; they do not publish.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role, User
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import PublishedList, PublishedVersion, School, Season
from sunshine.admissions.publication import (
    BUREAU_ROLES,
    PublicationRefused,
    _entries,
    publication_k,
    publish_list,
)
from sunshine.core.publication import SPECS, KReport, Row, build_rows, diff_rows, k_report
from sunshine.errors import Invalid, NotAllowed

__all__ = [
    "APPROVER_ROLES",
    "PUBLISHER_ROLES",
    "Preview",
    "lists_in_scope",
    "preview_list",
    "publish_in_scope",
    "require_publisher",
]

PUBLISHER_ROLES = (Role.SCHOOL_STAFF, Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN)
APPROVER_ROLES = tuple(BUREAU_ROLES)
PREVIEW_ROWS = 200  # a phone shows this many; the counts and digest cover every row


def require_publisher(actor: Any, season: Season, school: School | None) -> None:
    """Refuse unless ``actor`` may publish ``season``'s list for ``school`` (None: the whole
    season, which only the bureau may)."""
    require_role(actor, *PUBLISHER_ROLES, action=_("发布公示名单"))
    if school is not None and school.season_id != season.pk:
        raise Invalid(_("该学校不属于本招生季。"), field="school")
    if actor.role == Role.SCHOOL_STAFF:
        if school is None or school.pk != actor.school_id:
            raise NotAllowed(_("学校招生人员只能发布本校的名单。"), field="school")
    elif actor.region_code != season.region_code:
        raise NotAllowed(_("只能发布本县（区）招生季的名单。"))


def _kind(kind: str) -> str:
    if kind not in SPECS:
        raise Invalid(_("请选择名单类型。"), field="kind")
    return kind


@dataclass(frozen=True, slots=True)
class Preview:
    kind: str
    school: School | None
    rows: list[Row]  # masked, as they would be published
    total: int
    k: int
    report: KReport
    previous: PublishedVersion | None
    diff: dict[str, int] | None  # against the previous version
    refusal: str = ""  # why publishing would be refused now, if it would

    @property
    def shown(self) -> list[Row]:
        return self.rows[:PREVIEW_ROWS]


def preview_list(season: Season, kind: str, school: School | None, *, actor: Any) -> Preview:
    """What publishing would put on the public page now: masked rows only, nothing written."""
    require_publisher(actor, season, school)
    spec = SPECS[_kind(kind)]
    try:
        rows = build_rows(_entries(season, kind, school), spec)
    except PublicationRefused as error:
        rows, refusal = [], str(error)
    else:
        refusal = "" if rows else _("名单为空：没有可公示的内容。")
    k = publication_k()
    report = k_report(rows, spec.quasi_identifiers, k)
    if rows and not report.ok:
        refusal = _("脱敏后仍有 %(n)d 行可被单独识别（k=%(k)d），不能公示。") % {
            "n": report.rows_at_risk,
            "k": k,
        }
    listing = PublishedList.objects.filter(season=season, kind=kind, school=school).first()
    previous = None if listing is None else listing.versions.order_by("-number").first()
    diff = None if previous is None else diff_rows(previous.rows, rows).summary()
    if diff is not None and not any(diff.values()) and not refusal:
        refusal = _("与上一版相比没有变化。")
    return Preview(kind, school, rows, len(rows), k, report, previous, diff, refusal)


def publish_in_scope(
    season: Season,
    kind: str,
    school: School | None,
    *,
    actor: Any,
    approver: User,
    reason: str = "",
) -> PublishedVersion:
    """Publish the next version, co-signed by ``approver`` (a bureau user of the county)."""
    require_publisher(actor, season, school)
    if approver.region_code != season.region_code:
        raise NotAllowed(_("会签人必须属于本县（区）教育局。"), field="cosigner_username")
    return publish_list(season, _kind(kind), school, actor=actor, approver=approver, reason=reason)


def lists_in_scope(season: Season, user: Any) -> QuerySet[PublishedList]:
    """The season's published lists the user could publish a next version of."""
    versions = PublishedVersion.objects.only("pk", "list_id", "number").order_by("number")
    lists = PublishedList.objects.filter(season=season).select_related("school")
    if user.role == Role.SCHOOL_STAFF:
        lists = lists.filter(school_id=user.school_id)
    return lists.prefetch_related(Prefetch("versions", queryset=versions)).order_by(
        "kind", "school__code"
    )
