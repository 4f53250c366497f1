"""Publishing lists (公示): admitted children, waitlists and class lists, masked, k-checked,
approved by a second person and kept as immutable numbered versions.

A later version never overwrites an earlier one: it names its predecessor, gives a reason, and
the public page shows the difference with who approved it. Each version's digest goes into the
audit log in the same transaction, so a version cannot be swapped afterwards unnoticed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sunshine.accounts.models import Role, User
from sunshine.admissions.errors import AdmissionsError
from sunshine.admissions.models import (
    Admission,
    Decision,
    PublishedList,
    PublishedVersion,
    School,
    Season,
    SeasonRun,
)
from sunshine.audit.services import record_event
from sunshine.core.publication import (
    SPECS,
    Entry,
    KAnonymityError,
    Row,
    build_rows,
    check_k_anonymity,
    diff_rows,
    list_digest,
)

__all__ = ["PublicationNotAnonymous", "PublicationRefused", "publication_k", "publish_list"]

BUREAU_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})
DEFAULT_K = 2


class PublicationRefused(AdmissionsError):
    """A list that may not be published as asked (approver, reason, nothing to publish)."""


class PublicationNotAnonymous(PublicationRefused):
    """The masked list singles children out: some equivalence class is smaller than k."""

    def __init__(self, error: KAnonymityError) -> None:
        self.report = error.report
        super().__init__(f"refused by the k-anonymity check: {error}")


def publication_k() -> int:
    k = int(getattr(settings, "SUNSHINE_PUBLICATION_K", DEFAULT_K))
    if k < 1:
        raise PublicationRefused(f"SUNSHINE_PUBLICATION_K must be at least 1, got {k}")
    return k


def _entries(season: Season, kind: str, school: School | None) -> list[Entry]:
    """Plain data for the list from the current admissions or the latest run's decisions."""
    if kind == PublishedList.Kind.WAITLIST:
        run = SeasonRun.objects.filter(season=season).order_by("-started_at", "-pk").first()
        if run is None:
            raise PublicationRefused("no season run yet: run the season before publishing")
        # A child placed elsewhere may still hold a waitlist position at a preferred school.
        decisions = Decision.objects.filter(
            run=run, waitlist_position__isnull=False
        ).select_related("application")
        if school is not None:
            decisions = decisions.filter(school=school)
        return [
            Entry(
                code=d.application.code,
                name=d.application.child_name,
                id_number=d.application.child_id_number,
                status=d.status,
                lottery_number=d.lottery_number,
                waitlist_position=d.waitlist_position,
            )
            for d in decisions
        ]
    admissions = Admission.objects.filter(season=season).select_related("application", "school")
    if school is not None:
        admissions = admissions.filter(school=school)
    if kind == PublishedList.Kind.CLASSES:
        admissions = admissions.filter(class_no__isnull=False)
    return [
        Entry(
            code=a.application.code,
            name=a.application.child_name,
            id_number=a.application.child_id_number,
            status=a.kind,
            school_code=a.school.code,
            school_name=a.school.name,
            class_no=a.class_no,
        )
        for a in admissions
    ]


def _check_people(actor: object, approver: object) -> tuple[User, User]:
    if not isinstance(actor, User) or not actor.is_staff_role:
        raise PublicationRefused("the publisher must be a staff user")
    if not isinstance(approver, User):
        raise PublicationRefused("a second person must approve the publication")
    if approver.pk == actor.pk:
        raise PublicationRefused("the approver must be a different person from the publisher")
    if approver.role not in BUREAU_ROLES or not approver.is_active:
        raise PublicationRefused("the approver must be an active education-bureau user")
    return actor, approver


def publish_list(
    season: Season,
    kind: str,
    school: School | None,
    *,
    actor: object,
    approver: object,
    reason: str = "",
) -> PublishedVersion:
    """Publish the next version of a list, in one transaction with its audit event."""
    if kind not in SPECS:
        raise PublicationRefused(f"unknown list kind {kind!r}; one of {', '.join(SPECS)}")
    if school is not None and school.season_id != season.pk:
        raise PublicationRefused(f"school {school.code} is not in season {season}")
    publisher, approved_by = _check_people(actor, approver)
    spec = SPECS[kind]
    k = publication_k()
    reason = reason.strip()
    with transaction.atomic():
        Season.objects.select_for_update().get(pk=season.pk)  # one publisher at a time
        rows = build_rows(_entries(season, kind, school), spec)
        if not rows:
            raise PublicationRefused(f"the {kind} list is empty: nothing to publish")
        try:
            check_k_anonymity(rows, spec.quasi_identifiers, k)
        except KAnonymityError as error:
            raise PublicationNotAnonymous(error) from error
        now = timezone.now()
        listing, _ = PublishedList.objects.get_or_create(
            season=season, kind=kind, school=school, defaults={"created": now}
        )
        previous = listing.versions.order_by("-number").first()
        if previous is not None and not reason:
            raise PublicationRefused("a version after the first needs a reason")
        old_rows: list[Row] = previous.rows if previous is not None else []
        diff = diff_rows(old_rows, rows)
        if previous is not None and diff.empty:
            raise PublicationRefused("nothing changed since the last version")
        version = PublishedVersion.objects.create(
            list=listing,
            number=1 if previous is None else previous.number + 1,
            rows=rows,
            sha256=list_digest(rows),
            published_at=now,
            published_by=publisher,
            approved_by=approved_by,
            reason=reason,
            previous=previous,
        )
        record_event(
            actor=publisher,
            action="publication.published",
            object_type="published_list",
            object_id=str(listing.pk),
            before=None if previous is None else previous.sha256,
            after=version.sha256,
            detail={
                "list": listing.pk,
                "kind": kind,
                "school": None if school is None else school.code,
                "version": version.number,
                "sha256": version.sha256,
                "previous_sha256": None if previous is None else previous.sha256,
                "rows": len(rows),
                "k": k,
                "diff": diff.summary(),
                "approved_by": f"user:{approved_by.pk}",
            },
        )
    return version
