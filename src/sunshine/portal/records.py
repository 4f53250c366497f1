"""Reading the public record: published lists and their versions, and lottery ceremonies.
The pages and the JSON API both read through here, so they can never show different things."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from sunshine.admissions.models import PublishedList, PublishedVersion
from sunshine.ceremony.lookup import NumberDerivation, derive_number, find_published
from sunshine.ceremony.models import Ceremony
from sunshine.core.publication import RowDiff, diff_rows
from sunshine.errors import NotFound

# A ceremony's typed values and seed are public only once drawn (docs/lottery.md).
DRAWN_STATES = (Ceremony.State.DRAWN, Ceremony.State.PUBLISHED)


def published_lists() -> QuerySet[PublishedList]:
    """Every published list with its latest version number and version count."""
    return (
        PublishedList.objects.select_related("season", "school")
        .annotate(latest=Max("versions__number"), count=Count("versions"))
        .order_by("-season__school_year", "season__region_code", "kind", "school__code")
    )


def published_version(list_id: int, number: int) -> PublishedVersion:
    version = (
        PublishedVersion.objects.select_related(
            "list__season", "list__school", "published_by", "approved_by"
        )
        .filter(list_id=list_id, number=number)
        .first()
    )
    if version is None:
        raise NotFound(_("没有第 %(n)s 版这份名单。") % {"n": number})
    return version


@dataclass(frozen=True, slots=True)
class VersionDiff:
    before: PublishedVersion
    after: PublishedVersion
    steps: list[PublishedVersion]  # every version in (old, new], each with approver and reason
    diff: RowDiff


def version_diff(list_id: int, old: int, new: int) -> VersionDiff:
    if old >= new:
        raise NotFound(_("比较时，较早的版本在前。"))
    before, after = published_version(list_id, old), published_version(list_id, new)
    steps = list(
        PublishedVersion.objects.filter(list_id=list_id, number__gt=old, number__lte=new)
        .select_related("published_by", "approved_by")
        .order_by("number")
    )
    return VersionDiff(before, after, steps, diff_rows(before.rows, after.rows))


def public_ceremonies() -> QuerySet[Ceremony]:
    return Ceremony.objects.select_related("season").defer("pool_ids", "pool_groups", "transcript")


def public_ceremony(pk: int) -> Ceremony:
    ceremony = Ceremony.objects.select_related("season").filter(pk=pk).first()
    if ceremony is None:
        raise NotFound(_("没有这场摇号。"))
    return ceremony


def published_transcript(pk: int) -> str:
    """The transcript (canonical JSON) of a published ceremony."""
    ceremony = Ceremony.objects.filter(pk=pk, state=Ceremony.State.PUBLISHED).first()
    if ceremony is None:
        raise NotFound(_("这场摇号的记录尚未公布。"))
    return ceremony.transcript


def lottery_number(public_id: str) -> NumberDerivation:
    """A family's number in the latest published ceremony holding ``public_id``, derived again
    step by step with the core functions."""
    public_id = public_id.strip()
    ceremony = find_published(public_id) if public_id else None
    if ceremony is None:
        raise NotFound(
            _("没有找到报名编号 %(id)s：它不在任何已公布的摇号中。请核对编号。")
            % {"id": public_id},
            field="public_id",
        )
    return derive_number(ceremony, public_id)
