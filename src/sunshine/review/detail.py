"""One application as a reviewer sees it: the engine's checks, the registry evidence behind
them, what the family answered, the review so far and the overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunshine.accounts.permissions import sees_unmasked_personal_data
from sunshine.admissions.disclosure import record_unmasked_view
from sunshine.admissions.models import Application, FindingResponse, School
from sunshine.core.ids import mask_id, mask_name
from sunshine.datasets.policy_toml import parse_policy
from sunshine.registry.models import (
    BirthRecord,
    HouseholdMember,
    PropertyOwnership,
    ResidencePermit,
    SeatUsage,
    SocialSecurity,
    VaccinationRecord,
)
from sunshine.review.access import (
    can_approve,
    can_decide,
    can_reopen,
    can_request,
    require_reader,
    visible_application,
)
from sunshine.review.assessment import Assessment, tier_names
from sunshine.review.models import CaseState, Override, ReviewCase, ReviewRecord
from sunshine.review.overrides import current_assessment


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    source: str | Promise  # which registry
    facts: list[tuple[str | Promise, str]]  # (what, value)


@dataclass(frozen=True, slots=True)
class ReviewDetail:
    application: Application
    child_name: str
    child_id_number: str
    case: ReviewCase | None
    records: list[ReviewRecord]
    overrides: list[Override]
    assessment: Assessment
    tiers: list[dict[str, str]]  # the stage's policy tiers, 1 = first, by language
    schools: dict[str, School]  # by code: the schools of the child's list
    evidence: list[EvidenceItem]
    findings: list[FindingResponse]
    next_level: int | None  # the level that decides next; None once final
    may_decide: bool  # the reader may take the next level's decision
    may_request: bool
    may_approve: bool  # also: may withdraw an approved override
    may_reopen: bool  # may reopen the final decision (a bureau admin who did not make it)
    unmasked: bool = field(default=False)


def next_level(case: ReviewCase | None) -> int | None:
    if case is None or case.state == CaseState.RETURNED:
        return 1
    return 2 if case.state == CaseState.PENDING_SECOND else None


def review_detail(*, actor: Any, application_id: int) -> ReviewDetail:
    user = require_reader(actor)
    application = visible_application(user, application_id)
    case = ReviewCase.objects.filter(application=application).first()
    records = list(
        ReviewRecord.objects.filter(application=application)
        .select_related("reviewer", "reopened_by")
        .order_by("round", "level", "decided_at", "pk")
    )
    overrides = list(
        Override.objects.filter(application=application).select_related(
            "school", "requested_by", "decided_by", "withdrawn_by"
        )
    )
    assessment = current_assessment(application)
    codes = [e.school_code for e in assessment.entries]
    schools = {s.code: s for s in School.objects.filter(season=application.season, code__in=codes)}
    unmasked = sees_unmasked_personal_data(user)
    if unmasked:
        record_unmasked_view(actor=user, season=application.season, codes=[application.code])
    level = next_level(case)
    return ReviewDetail(
        application=application,
        child_name=application.child_name if unmasked else mask_name(application.child_name),
        child_id_number=(
            application.child_id_number if unmasked else mask_id(application.child_id_number)
        ),
        case=case,
        records=records,
        overrides=overrides,
        assessment=assessment,
        tiers=tier_names(parse_policy(application.season.policy_toml), application.stage),
        schools=schools,
        evidence=registry_evidence(application, unmasked),
        findings=list(FindingResponse.objects.filter(application=application)),
        next_level=level,
        may_decide=level is not None and can_decide(user, level),
        may_request=can_request(user),
        may_approve=can_approve(user),
        may_reopen=(
            case is not None
            and case.state in (CaseState.PASSED, CaseState.REJECTED)
            and can_reopen(user)
            and case.last_record.reviewer_id != user.pk
        ),
        unmasked=unmasked,
    )


def registry_evidence(application: Application, unmasked: bool) -> list[EvidenceItem]:
    """The registry rows the checks read for this child, one item per row."""
    season, child = application.season, application.child_id_number
    guardians = list(application.guardian_ids)
    cert = application.claimed_certificate_no

    def person(value: str) -> str:
        return value if unmasked or not value else mask_id(value)

    def guardian(value: str) -> str:
        role = _("（监护人）") if value in guardians else ""
        return f"{person(value)}{role}"

    items: list[EvidenceItem] = []
    for h in HouseholdMember.objects.filter(season=season, person_id=child).select_related(
        "address"
    ):
        items.append(
            EvidenceItem(
                _("户籍"),
                [
                    (_("户籍地址"), h.address.text),
                    (_("迁入日期"), h.registered_on.isoformat()),
                    (_("户号"), h.household_id),
                ],
            )
        )
    for b in BirthRecord.objects.filter(season=season, child_id=child):
        items.append(
            EvidenceItem(
                _("出生医学证明"),
                [
                    (_("出生日期"), b.birth_date.isoformat()),
                    (_("母亲"), guardian(b.mother_id) if b.mother_id else "—"),
                    (_("父亲"), guardian(b.father_id) if b.father_id else "—"),
                ],
            )
        )
    if cert:
        for p in PropertyOwnership.objects.filter(
            season=season, certificate_no=cert
        ).select_related("address"):
            items.append(
                EvidenceItem(
                    _("房产"),
                    [
                        (_("不动产权证号"), p.certificate_no),
                        (_("房产地址"), p.address.text),
                        (_("权利人"), guardian(p.owner_id)),
                        (_("份额"), f"{p.share:.0%}"),
                        (_("登记日期"), p.acquired_on.isoformat()),
                    ],
                )
            )
        for u in SeatUsage.objects.filter(season=season, certificate_no=cert):
            items.append(
                EvidenceItem(
                    _("学位使用记录"),
                    [(_("使用年份"), str(u.year)), (_("使用人"), person(u.child_id))],
                )
            )
    for pm in ResidencePermit.objects.filter(season=season, person_id__in=guardians).select_related(
        "address"
    ):
        items.append(
            EvidenceItem(
                _("居住证"),
                [
                    (_("持证人"), guardian(pm.person_id)),
                    (_("居住地址"), pm.address.text),
                    (_("有效期"), f"{pm.issued_on.isoformat()} — {pm.valid_until.isoformat()}"),
                ],
            )
        )
    for ss in SocialSecurity.objects.filter(season=season, person_id__in=guardians):
        items.append(
            EvidenceItem(
                _("社保"),
                [
                    (_("参保人"), guardian(ss.person_id)),
                    (_("连续缴纳月数"), str(ss.months_continuous)),
                    (_("截至日期"), ss.as_of.isoformat()),
                ],
            )
        )
    for v in VaccinationRecord.objects.filter(season=season, child_id=child):
        items.append(
            EvidenceItem(
                _("预防接种"), [(_("接种记录"), str(_("完整") if v.complete else _("不完整")))]
            )
        )
    return items
