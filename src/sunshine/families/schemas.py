"""The JSON shapes of the family API (django-ninja schemas) and how to build them."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from sunshine.admissions.models import Application, School, Season
from sunshine.ceremony.lookup import NumberDerivation
from sunshine.families.assessment import Assessment
from sunshine.families.models import Registration
from sunshine.families.outcome import Outcome
from sunshine.families.timeline import Step


class SeasonOut(Schema):
    id: int
    region_code: str
    region_name: str
    school_year: int
    registration_opens: dt.datetime | None
    registration_closes: dt.datetime | None


class AddressOut(Schema):
    id: int
    code: str
    text: str


class ChildIn(Schema):
    season: int
    child_name: str
    child_id_number: str
    stage: str
    own_id_number: str
    other_guardian_id: str = ""
    address: int | None = None
    certificate_no: str = ""
    current_school: str = ""


class RegistrationOut(Schema):
    id: int
    season: int
    child_name: str
    child_id_number: str
    gender: str
    birth_date: dt.date
    stage: str
    guardian_ids: list[str]
    address: AddressOut | None
    certificate_no: str
    current_school: str
    preferences: list[str]
    private_school: str
    responses: dict[str, dict[str, object]]
    application: int | None
    application_code: str | None
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


def registration_out(r: Registration) -> RegistrationOut:
    a = r.claimed_address
    return RegistrationOut(
        id=r.pk,
        season=r.season_id,
        child_name=r.child_name,
        child_id_number=r.child_id_number,
        gender=r.gender,
        birth_date=r.birth_date,
        stage=r.stage,
        guardian_ids=r.guardian_ids,
        address=AddressOut(id=a.pk, code=a.code, text=a.text) if a else None,
        certificate_no=r.claimed_certificate_no,
        current_school=r.current_school_code,
        preferences=list(r.preferences),
        private_school=r.private_school_code,
        responses=r.responses,
        application=r.application_id,
        application_code=r.application.code if r.application else None,
        submitted_at=r.submitted_at,
        updated_at=r.updated_at,
    )


class FindingOut(Schema):
    check: str
    reason: str
    result: str
    text_zh: str
    text_en: str
    answer: dict[str, object] | None = None  # the family's current answer to this finding


class FindingsOut(Schema):
    eligible: bool
    findings: list[FindingOut]
    unanswered: list[str]


class AnswerIn(Schema):
    confirmed: bool
    explanation: str = ""


class AnswersIn(Schema):
    answers: dict[str, AnswerIn]


def findings_out(
    assessment: Assessment, responses: dict[str, dict[str, object]], unanswered: list[str]
) -> FindingsOut:
    return FindingsOut(
        eligible=assessment.eligible,
        findings=[
            FindingOut(
                check=f.check,
                reason=f.reason,
                result=f.result,
                text_zh=f.zh,
                text_en=f.en,
                answer=responses.get(f.check),
            )
            for f in assessment.findings
        ],
        unanswered=unanswered,
    )


class SchoolOut(Schema):
    code: str
    name: str
    kind: str
    plan_seats: int
    lon: float
    lat: float


class CandidateOut(SchoolOut):
    level: int | None
    level_zh: str
    level_en: str


class SchoolsOut(Schema):
    zone: str | None
    zone_geometry: dict[str, object] | None
    candidates: list[CandidateOut]
    private_schools: list[SchoolOut]
    preferences_allowed: int
    mechanism: str
    preferences: list[str]
    private_school: str


class ChoicesIn(Schema):
    preferences: list[str]
    private_school: str = ""


def _school(school: School) -> SchoolOut:
    return SchoolOut(
        code=school.code,
        name=school.name,
        kind=school.kind,
        plan_seats=school.plan_seats,
        lon=school.lon,
        lat=school.lat,
    )


def schools_out(assessment: Assessment, registration: Registration) -> SchoolsOut:
    return SchoolsOut(
        zone=assessment.zone.code if assessment.zone else None,
        zone_geometry=assessment.zone.geometry if assessment.zone else None,
        candidates=[
            CandidateOut(
                **_school(c.school).model_dump(),
                level=c.level,
                level_zh=c.level_zh,
                level_en=c.level_en,
            )
            for c in assessment.candidates
        ],
        private_schools=[_school(x) for x in assessment.private_schools],
        preferences_allowed=assessment.preferences_allowed,
        mechanism=assessment.mechanism,
        preferences=list(registration.preferences),
        private_school=registration.private_school_code,
    )


class SubmitIn(Schema):
    token: str


class SubmitOut(Schema):
    application: int
    code: str
    created: bool
    changed: bool


class ApplicationSummaryOut(Schema):
    id: int
    code: str
    child_name: str
    season: int
    stage: str
    status: str
    status_label: str
    source: str
    school: str | None  # where admitted, if anywhere


def summary_out(a: Application) -> ApplicationSummaryOut:
    admission = getattr(a, "admission", None)
    return ApplicationSummaryOut(
        id=a.pk,
        code=a.code,
        child_name=a.child_name,
        season=a.season_id,
        stage=a.stage,
        status=a.status,
        status_label=str(a.get_status_display()),
        source=a.source,
        school=admission.school.code if admission else None,
    )


class StepOut(Schema):
    at: dt.datetime
    kind: str
    label: str
    note: str


class CutoffOut(Schema):
    school: str
    school_name: str
    listed_as: str
    plan_seats: int
    admitted: int
    full_in_round: int | None
    cutoff_level: str
    cutoff_number: int | None


class OutcomeOut(Schema):
    run: int
    status: str
    school: str | None
    tier: int | None
    tier_name: str
    lottery_position: str
    waitlist_position: int | None
    explanation: str
    cutoffs: list[CutoffOut]
    offer_accepted: bool | None
    has_offer: bool


class LotteryOut(Schema):
    ceremony: int
    seed: str
    key: str
    message: str
    digest: str
    number_hex: str
    number: int
    position: int
    groups: int


class ApplicationOut(ApplicationSummaryOut):
    findings: list[FindingOut]
    timeline: list[StepOut]
    outcome: OutcomeOut | None
    lottery: LotteryOut | None
    editable: bool


def outcome_out(o: Outcome) -> OutcomeOut:
    d = o.decision
    return OutcomeOut(
        run=o.run.pk,
        status=d.status,
        school=d.school.code if d.school else None,
        tier=d.tier,
        tier_name=o.tier_name,
        lottery_position=d.lottery_number,
        waitlist_position=d.waitlist_position,
        explanation=o.explanation,
        cutoffs=[
            CutoffOut(
                school=c.school.code,
                school_name=c.school.name,
                listed_as=c.listed_as,
                plan_seats=c.plan_seats,
                admitted=c.admitted,
                full_in_round=c.full_in_round,
                cutoff_level=c.cutoff_level,
                cutoff_number=c.cutoff_number,
            )
            for c in o.cutoffs
        ],
        offer_accepted=o.admission.accepted if o.admission else None,
        has_offer=o.admission is not None,
    )


def lottery_out(n: NumberDerivation) -> LotteryOut:
    return LotteryOut(
        ceremony=n.ceremony.pk,
        seed=n.seed,
        key=n.key,
        message=n.message,
        digest=n.digest,
        number_hex=n.number_hex,
        number=n.number,
        position=n.position,
        groups=n.groups,
    )


def step_out(s: Step) -> StepOut:
    return StepOut(at=s.at, kind=s.kind, label=s.label, note=s.note)


class OfferIn(Schema):
    accept: bool


class OfferOut(Schema):
    school: str
    kind: str
    accepted: bool | None


class ObjectionIn(Schema):
    summary: str


class ComplaintIn(Schema):
    category: str
    summary: str
    school: int | None = None
    application: int | None = None
    anonymous: bool = True


class CaseOut(Schema):
    code: str
    kind: str
    category: str
    status: str
    received_at: dt.datetime


def season_out(s: Season) -> SeasonOut:
    return SeasonOut(
        id=s.pk,
        region_code=s.region_code,
        region_name=s.region_name,
        school_year=s.school_year,
        registration_opens=s.registration_opens,
        registration_closes=s.registration_closes,
    )
