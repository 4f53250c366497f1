"""What the public sees of the blacklist: published entries only, principals' names masked.

A school is named in full: listing it is a public punishment of an institution. A principal is
a person, so the page shows the name masked as the admission lists are (``core.ids.mask_name``:
张*三), and the same masking is applied wherever the name appears in the violation text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from sunshine.admissions.models import Season
from sunshine.campaigns.models import BlacklistEntry
from sunshine.core.ids import mask_name


@dataclass(frozen=True, slots=True)
class PublicEntry:
    pk: int
    region_code: str
    region_name: str
    subject: str
    subject_label: str
    school_name: str
    school_code: str
    principal: str  # masked; "" for a school entry
    violation: str
    legal_basis: str
    published_at: dt.datetime
    exit_eligible_at: dt.datetime


def published() -> QuerySet[BlacklistEntry]:
    return BlacklistEntry.objects.filter(status=BlacklistEntry.Status.PUBLISHED).order_by(
        "-published_at", "-pk"
    )


def _mask_in(text: str, name: str) -> str:
    return text.replace(name, mask_name(name)) if name else text


def public_entries(region_prefix: str = "") -> list[PublicEntry]:
    entries = list(published().filter(region_code__startswith=region_prefix))
    codes = {e.region_code for e in entries}
    names = dict(
        Season.objects.filter(region_code__in=codes)
        .order_by("school_year", "pk")
        .values_list("region_code", "region_name")
    )
    out = []
    for e in entries:
        assert e.published_at is not None
        assert e.exit_eligible_at is not None
        out.append(
            PublicEntry(
                pk=e.pk,
                region_code=e.region_code,
                region_name=names.get(e.region_code, e.region_code),
                subject=e.subject,
                subject_label=str(e.get_subject_display()),
                school_name=e.school_name,
                school_code=e.school_code,
                principal=mask_name(e.principal_name) if e.principal_name else "",
                violation=_mask_in(e.violation, e.principal_name),
                legal_basis=_mask_in(e.legal_basis, e.principal_name),
                published_at=e.published_at,
                exit_eligible_at=e.exit_eligible_at,
            )
        )
    return out
