"""Registering a child online, step by step: the child and guardians, the answers to the
registry findings, and the schools. Each step is one audited service on the family's
:class:`~sunshine.families.models.Registration`; submitting is :mod:`.submission`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sunshine.admissions.models import Address, Application, School, Season
from sunshine.audit.services import Actor, personal_ref, record_event
from sunshine.core.ids import id_birth_date, id_gender
from sunshine.datasets.policy_toml import parse_policy
from sunshine.errors import Conflict, Invalid, NotFound
from sunshine.families.assessment import Assessment, Claim, assess_claim
from sunshine.families.idcheck import id_problem, normalise_id
from sunshine.families.models import Registration
from sunshine.families.queries import require_parent

EDITABLE = frozenset({Application.Status.SUBMITTED, Application.Status.VERIFIED})
MAX_EXPLANATION = 1000


@dataclass(frozen=True, slots=True)
class ChildDetails:
    season: int  # Season pk
    child_name: str
    child_id_number: str
    stage: str
    own_id_number: str
    other_guardian_id: str = ""
    address: int | None = None  # Address pk, chosen from the season's addresses
    certificate_no: str = ""
    current_school: str = ""  # junior entry: code of the primary school the child attends


@dataclass(frozen=True, slots=True)
class Answer:
    confirmed: bool
    explanation: str = ""


def require_open(season: Season, at: dt.datetime) -> None:
    if not season.registration_is_open(at):
        if season.registration_opens is None or season.registration_closes is None:
            raise Conflict(_("本招生季尚未开放网上报名"))
        raise Conflict(
            _("网上报名时间为%(opens)s至%(closes)s，现在不能提交或修改")
            % {
                "opens": formats.date_format(
                    timezone.localtime(season.registration_opens), "DATETIME_FORMAT"
                ),
                "closes": formats.date_format(
                    timezone.localtime(season.registration_closes), "DATETIME_FORMAT"
                ),
            }
        )


def require_editable(registration: Registration) -> None:
    application = registration.application
    if application is not None and application.status not in EDITABLE:
        raise Conflict(_("报名已进入录取阶段，不能再修改"))


def claim_of(registration: Registration) -> Claim:
    address = registration.claimed_address
    return Claim(
        application_id=registration.application.code if registration.application else "draft",
        child_id=registration.child_id_number,
        child_name=registration.child_name,
        gender=registration.gender,
        birth_date=registration.birth_date,
        stage=registration.stage,
        guardian_ids=tuple(registration.guardian_ids),
        address_code=address.code if address else "",
        certificate_no=registration.claimed_certificate_no,
        preferences=tuple(registration.preferences),
        private_school=registration.private_school_code,
        current_school=registration.current_school_code,
    )


def assess_registration(registration: Registration) -> Assessment:
    return assess_claim(registration.season, claim_of(registration))


def claim_of_application(application: Application) -> Claim:
    prefs = application.preferences.order_by("rank").values_list("school__code", flat=True)
    return Claim(
        application_id=application.code,
        child_id=application.child_id_number,
        child_name=application.child_name,
        gender=application.gender,
        birth_date=application.birth_date,
        stage=application.stage,
        guardian_ids=tuple(application.guardian_ids),
        address_code=application.claimed_address.code,
        certificate_no=application.claimed_certificate_no,
        preferences=tuple(prefs),
        private_school=application.private_school.code if application.private_school else "",
        current_school=application.current_school.code if application.current_school else "",
        priority_group=application.priority_group,
        special_needs=application.special_needs,
    )


# --- step 1: the child ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Clean:
    child_name: str
    child_id: str
    gender: str
    birth_date: dt.date
    stage: str
    own_id: str
    other_id: str
    address: Address
    certificate_no: str
    current_school: str


def _id(value: str, field: str) -> str:
    value = normalise_id(value)
    problem = id_problem(value)
    if problem:
        raise Invalid(problem, field=field)
    return value


def _clean(season: Season, d: ChildDetails) -> _Clean:
    name = " ".join(d.child_name.split())
    if not name:
        raise Invalid(_("请填写儿童姓名"), field="child_name")
    if len(name) > 64:
        raise Invalid(_("姓名过长"), field="child_name")
    child = _id(d.child_id_number, "child_id_number")
    own = _id(d.own_id_number, "own_id_number")
    other = _id(d.other_guardian_id, "other_guardian_id") if d.other_guardian_id.strip() else ""
    if own == child:
        raise Invalid(_("家长的身份证号码不能与儿童的相同"), field="own_id_number")
    if other and other in (own, child):
        raise Invalid(_("另一位家长的身份证号码与已填号码重复"), field="other_guardian_id")
    stages = {s.value for s in parse_policy(season.policy_toml).stages}
    if d.stage not in stages:
        raise Invalid(_("本招生季没有这个学段"), field="stage")
    address = Address.objects.filter(season=season, pk=d.address).first() if d.address else None
    if address is None:
        raise Invalid(_("请从地址库中选择居住地址"), field="address")
    certificate = " ".join(d.certificate_no.split())
    if len(certificate) > 64:
        raise Invalid(_("不动产权证号过长"), field="certificate_no")
    current = d.current_school.strip()
    if current and not School.objects.filter(season=season, code=current, stage="primary").exists():
        raise Invalid(_("请选择本县的一所小学"), field="current_school")
    birth = id_birth_date(child)
    assert birth is not None  # checked above
    return _Clean(
        name, child, id_gender(child), birth, d.stage, own, other, address, certificate, current
    )


def _refuse_other_application(actor: Any, season: Season, child_id: str, mine: int | None) -> None:
    existing = Application.objects.filter(season=season, child_id_number=child_id).first()
    if existing is None or existing.pk == mine:
        return
    if actor.applications.filter(pk=existing.pk).exists():
        raise Conflict(_("这名儿童已经报名，请在“我的报名”中修改"), field="child_id_number")
    raise Conflict(
        _("这名儿童已有报名记录。如有疑问，请联系教育局招生咨询电话"), field="child_id_number"
    )


def _season(pk: int) -> Season:
    season = Season.objects.filter(pk=pk).first()
    if season is None:
        raise NotFound(_("没有这个招生季"))
    return season


def _write(registration: Registration, c: _Clean) -> bool:
    """Copy the cleaned details; True when the address or stage changed (choices reset)."""
    moved = (
        registration.claimed_address_id != c.address.pk
        or registration.stage != c.stage
        or registration.claimed_certificate_no != c.certificate_no
    )
    registration.child_name = c.child_name
    registration.child_id_number = c.child_id
    registration.gender = c.gender
    registration.birth_date = c.birth_date
    registration.stage = c.stage
    registration.own_id_number = c.own_id
    registration.other_guardian_id = c.other_id
    registration.claimed_address = c.address
    registration.claimed_certificate_no = c.certificate_no
    registration.current_school_code = c.current_school
    return moved


def register_child(
    *, actor: Actor, details: ChildDetails, at: dt.datetime | None = None
) -> Registration:
    """Start registering a child. Registering the same child again (a double click, a retry)
    returns the family's existing registration, updated, never a second one."""
    at = at or timezone.now()
    require_parent(actor, "family.register_child")
    with transaction.atomic():
        season = _season(details.season)
        require_open(season, at)
        c = _clean(season, details)
        _refuse_other_application(actor, season, c.child_id, None)
        existing = (
            Registration.objects.select_for_update()
            .filter(owner=actor, season=season, child_id_number=c.child_id)
            .first()
        )
        if existing is not None:
            return _update(actor, existing, c, at)
        registration = Registration(owner=actor, season=season, created_at=at, updated_at=at)
        _write(registration, c)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:  # a parallel request registered the same child first
            raced = Registration.objects.select_for_update().get(
                owner=actor, season=season, child_id_number=c.child_id
            )
            return _update(actor, raced, c, at)
        record_event(
            actor=actor,
            action="registration.created",
            object_type="registration",
            object_id=str(registration.pk),
            after=_content(registration),
            detail={"season": season.pk, "child": personal_ref(c.child_id), "stage": c.stage},
            at=at,
        )
    return registration


def update_child(
    *,
    actor: Actor,
    registration: Registration,
    details: ChildDetails,
    at: dt.datetime | None = None,
) -> Registration:
    at = at or timezone.now()
    require_parent(actor, "family.update_child")
    with transaction.atomic():
        locked = lock_registration(actor, registration)
        require_open(locked.season, at)
        require_editable(locked)
        if details.season != locked.season_id:
            raise Invalid(_("不能更换招生季"), field="season")
        c = _clean(locked.season, details)
        _refuse_other_application(actor, locked.season, c.child_id, locked.application_id)
        clash = Registration.objects.filter(
            owner=actor, season=locked.season, child_id_number=c.child_id
        ).exclude(pk=locked.pk)
        if clash.exists():
            raise Conflict(_("您已经为这名儿童填写过报名"), field="child_id_number")
        return _update(actor, locked, c, at)


def _update(actor: Actor, registration: Registration, c: _Clean, at: dt.datetime) -> Registration:
    require_editable(registration)
    if registration.application is not None and (
        c.child_id != registration.child_id_number or c.stage != registration.stage
    ):
        raise Invalid(
            _("报名提交后不能修改儿童身份证号码和学段；如需更正请联系教育局"),
            field="child_id_number",
        )
    before = _content(registration)
    if _write(registration, c):
        registration.preferences = []  # the zone may have changed: choose again
    registration.updated_at = at
    registration.save()
    record_event(
        actor=actor,
        action="registration.updated",
        object_type="registration",
        object_id=str(registration.pk),
        before=before,
        after=_content(registration),
        detail={"season": registration.season_id},
        at=at,
    )
    return registration


def lock_registration(actor: Actor, registration: Registration) -> Registration:
    locked = (
        # Lock the registration row only: its address and application are outer joins.
        Registration.objects.select_for_update(of=("self",))
        .select_related("season", "claimed_address", "application")
        .filter(pk=registration.pk, owner=actor)
        .first()
    )
    if locked is None:
        raise NotFound(_("没有找到这份报名"))
    return locked


def _content(r: Registration) -> dict[str, Any]:
    """What the audit digests stand for (never stored in the clear)."""
    return {
        "child_name": r.child_name,
        "child_id": r.child_id_number,
        "stage": r.stage,
        "guardian_ids": r.guardian_ids,
        "address": r.claimed_address.code if r.claimed_address else "",
        "certificate_no": r.claimed_certificate_no,
        "current_school": r.current_school_code,
        "preferences": list(r.preferences),
        "private_school": r.private_school_code,
        "responses": r.responses,
    }


# --- step 2: the registry findings ------------------------------------------------------------


def answer_findings(
    *,
    actor: Actor,
    registration: Registration,
    answers: Mapping[str, Answer],
    at: dt.datetime | None = None,
) -> Registration:
    """Record the family's answer to each finding shown: confirmed, or an explanation."""
    at = at or timezone.now()
    require_parent(actor, "family.answer_findings")
    with transaction.atomic():
        locked = lock_registration(actor, registration)
        require_open(locked.season, at)
        require_editable(locked)
        assessment = assess_registration(locked)
        shown = {f.check: f for f in assessment.findings}
        unknown = sorted(set(answers) - set(shown))
        if unknown:
            raise Invalid(_("没有这个核验项目：%(name)s") % {"name": unknown[0]}, field="answers")
        responses = dict(locked.responses)
        for check, answer in answers.items():
            text = answer.explanation.strip()
            if not answer.confirmed and not text:
                raise Invalid(_("请说明情况"), field=f"explanation_{check}")
            if len(text) > MAX_EXPLANATION:
                raise Invalid(
                    _("说明不超过%(n)s字") % {"n": MAX_EXPLANATION}, field=f"explanation_{check}"
                )
            responses[check] = {
                "reason": shown[check].reason,
                "confirmed": answer.confirmed,
                "explanation": "" if answer.confirmed else text,
            }
        before = _content(locked)
        locked.responses = responses
        locked.updated_at = at
        locked.save(update_fields=["responses", "updated_at"])
        record_event(
            actor=actor,
            action="registration.findings_answered",
            object_type="registration",
            object_id=str(locked.pk),
            before=before,
            after=_content(locked),
            detail={
                "confirmed": sorted(c for c, a in answers.items() if a.confirmed),
                "explained": sorted(c for c, a in answers.items() if not a.confirmed),
            },
            at=at,
        )
    return locked


def unanswered(registration: Registration, assessment: Assessment) -> list[str]:
    """Findings without an answer to what is shown now (an answer to an earlier finding, before
    the address or the registries changed, does not count)."""
    responses = registration.responses
    return [
        f.check for f in assessment.findings if responses.get(f.check, {}).get("reason") != f.reason
    ]


# --- step 3: the schools ----------------------------------------------------------------------


def set_choices(
    *,
    actor: Actor,
    registration: Registration,
    preferences: Sequence[str],
    private_school: str = "",
    at: dt.datetime | None = None,
) -> Registration:
    """Rank public schools of the address's zone (at most the policy's number) and choose at
    most one private school of the stage (公民同招)."""
    at = at or timezone.now()
    require_parent(actor, "family.set_choices")
    with transaction.atomic():
        locked = lock_registration(actor, registration)
        require_open(locked.season, at)
        require_editable(locked)
        assessment = assess_registration(locked)
        codes = [p.strip() for p in preferences if p.strip()]
        choice_problem(assessment, codes, private_school)
        before = _content(locked)
        locked.preferences = codes
        locked.private_school_code = private_school
        locked.updated_at = at
        locked.save(update_fields=["preferences", "private_school_code", "updated_at"])
        record_event(
            actor=actor,
            action="registration.choices_set",
            object_type="registration",
            object_id=str(locked.pk),
            before=before,
            after=_content(locked),
            detail={"preferences": codes, "private_school": private_school},
            at=at,
        )
    return locked


def choice_problem(assessment: Assessment, codes: Sequence[str], private_school: str) -> None:
    """Raise :class:`Invalid` unless the choices fit the zone and the policy."""
    candidates = {c.school.code for c in assessment.candidates}
    if len(set(codes)) != len(codes):
        raise Invalid(_("同一所学校只能填报一次"), field="preferences")
    if len(codes) > assessment.preferences_allowed:
        raise Invalid(
            _("最多填报%(n)s个志愿") % {"n": assessment.preferences_allowed}, field="preferences"
        )
    outside = [c for c in codes if c not in candidates]
    if outside:
        raise Invalid(
            _("%(code)s 不是您所在招生片区的公办学校") % {"code": outside[0]}, field="preferences"
        )
    if private_school and private_school not in {s.code for s in assessment.private_schools}:
        raise Invalid(_("请选择本学段的一所民办学校"), field="private_school")
