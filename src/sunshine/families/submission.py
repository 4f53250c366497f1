"""Submitting a registration: the one step that creates or changes an Application.

Submitting is idempotent twice over. The submit form carries a one-time token: the same token
again (a double click, a browser retry, an API client's retry) returns the application it made
and changes nothing. And the database allows one application per child per season, so even two
different forms, or two parents racing, never make a second one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.admissions.models import Application, FindingResponse, Preference, School
from sunshine.audit.services import Actor, personal_ref, record_event
from sunshine.core.canonical import canonical_json
from sunshine.errors import Conflict, Invalid
from sunshine.families.models import Registration, SubmissionToken
from sunshine.families.queries import application_of, require_parent
from sunshine.families.registration import (
    assess_registration,
    choice_problem,
    lock_registration,
    require_editable,
    require_open,
    unanswered,
)

# Public application codes: "W" and eight characters no one misreads (no 0/O, 1/I/L).
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_TRIES = 8


@dataclass(frozen=True, slots=True)
class Submitted:
    application: Application
    created: bool  # a new application was made
    changed: bool  # its content changed (False for a replayed token or an unchanged resubmit)


def new_token() -> str:
    """A fresh token for a submit form."""
    return secrets.token_urlsafe(24)


def new_code() -> str:
    return "W" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def submit_registration(
    *, actor: Actor, registration: Registration, token: str, at: dt.datetime | None = None
) -> Submitted:
    """Submit (or resubmit) a registration within the window. The submission time decides
    nothing: the engine never reads it and the lottery number depends on the ceremony's seed."""
    at = at or timezone.now()
    require_parent(actor, "family.submit")
    token = (token or "").strip()
    if not token or len(token) > 64:
        raise Invalid(_("提交令牌无效，请刷新页面后重新提交"), field="token")
    with transaction.atomic():
        locked = lock_registration(
            actor, registration
        )  # serialises submissions of one registration
        used = SubmissionToken.objects.filter(token=token).select_related("application").first()
        if used is not None:
            if used.registration_id != locked.pk:
                raise Conflict(_("提交令牌无效，请刷新页面后重新提交"), field="token")
            return Submitted(used.application, created=False, changed=False)
        require_open(locked.season, at)
        require_editable(locked)
        _require_complete(locked)
        application, created = _target(actor, locked, at)
        before = None if created else _content(application)
        if not created:
            _fill(application, locked, at)
            application.save()
        _write_children(application, locked, at)
        after = _content(application)
        changed = created or before != after
        if created:
            record_event(
                actor=actor,
                action="application.registered",
                object_type="application",
                object_id=application.code,
                after=after,
                detail={
                    "season": locked.season_id,
                    "content": personal_ref(canonical_json(after).decode()),
                    "source": Application.Source.ONLINE,
                },
                at=at,
            )
        elif changed:
            record_event(
                actor=actor,
                action="application.updated",
                object_type="application",
                object_id=application.code,
                before=before,
                after=after,
                detail={"season": locked.season_id, "registration": locked.pk},
                at=at,
            )
        SubmissionToken.objects.create(
            token=token, registration=locked, application=application, used_at=at
        )
        actor.applications.add(application)
        locked.application = application
        locked.submitted_at = at
        locked.save(update_fields=["application", "submitted_at"])
    return Submitted(application, created=created, changed=changed)


def _require_complete(registration: Registration) -> None:
    assessment = assess_registration(registration)
    missing = unanswered(registration, assessment)
    if missing:
        raise Conflict(
            _("请先核对登记信息：还有%(n)s项未确认或说明") % {"n": len(missing)}, field="findings"
        )
    choice_problem(assessment, registration.preferences, registration.private_school_code)
    if assessment.candidates and not registration.preferences:
        raise Invalid(_("请至少填报一个志愿"), field="preferences")


def _target(actor: Any, registration: Registration, at: dt.datetime) -> tuple[Application, bool]:
    """The application this registration submits to, created if there is none yet."""
    if registration.application_id is not None:
        return Application.objects.select_for_update().get(pk=registration.application_id), False
    for _try in range(_CODE_TRIES):
        existing = _existing(actor, registration)
        if existing is not None:
            return existing, False
        application = Application(
            season=registration.season,
            code=new_code(),
            source=Application.Source.ONLINE,
            status=Application.Status.SUBMITTED,
        )
        _fill(application, registration, at)
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError:
            continue  # the child was registered meanwhile (found above), or the code was taken
        return application, True
    raise Conflict(_("系统繁忙，请稍后再试"))


def _existing(actor: Any, registration: Registration) -> Application | None:
    existing = (
        Application.objects.select_for_update()
        .filter(season=registration.season, child_id_number=registration.child_id_number)
        .first()
    )
    if existing is not None and not actor.applications.filter(pk=existing.pk).exists():
        raise Conflict(
            _("这名儿童已有报名记录。如有疑问，请联系教育局招生咨询电话"), field="child_id_number"
        )
    return existing


def _schools(registration: Registration) -> dict[str, School]:
    return {s.code: s for s in School.objects.filter(season=registration.season)}


def _fill(application: Application, r: Registration, at: dt.datetime) -> None:
    schools = _schools(r)
    application.child_id_number = r.child_id_number
    application.child_name = r.child_name
    application.gender = r.gender
    application.birth_date = r.birth_date
    application.stage = r.stage
    application.guardian_ids = r.guardian_ids
    assert r.claimed_address is not None  # the child step requires it
    application.claimed_address = r.claimed_address
    application.claimed_certificate_no = r.claimed_certificate_no
    application.private_school = schools.get(r.private_school_code)
    application.current_school = schools.get(r.current_school_code)
    application.submitted_at = at


def _write_children(application: Application, r: Registration, at: dt.datetime) -> None:
    """Preferences and finding responses, replaced as a whole."""
    schools = _schools(r)
    Preference.objects.filter(application=application).delete()
    Preference.objects.bulk_create(
        Preference(application=application, rank=rank, school=schools[code])
        for rank, code in enumerate(r.preferences, start=1)
    )
    FindingResponse.objects.filter(application=application).delete()
    FindingResponse.objects.bulk_create(
        FindingResponse(
            application=application,
            check_name=check,
            reason=answer["reason"],
            confirmed=answer["confirmed"],
            explanation=answer.get("explanation", ""),
            answered_at=at,
        )
        for check, answer in sorted(r.responses.items())
    )


def _content(application: Application) -> dict[str, Any]:
    """The application as submitted, read back from the database (compared and digested)."""
    prefs = Preference.objects.filter(application=application).order_by("rank")
    responses = FindingResponse.objects.filter(application=application).order_by("check_name")
    return {
        "application_id": application.code,
        "child_id": application.child_id_number,
        "child_name": application.child_name,
        "gender": application.gender,
        "birth_date": application.birth_date.isoformat(),
        "stage": application.stage,
        "guardian_ids": list(application.guardian_ids),
        "claimed_address_id": application.claimed_address.code,
        "claimed_certificate_no": application.claimed_certificate_no,
        "preferences": list(prefs.values_list("school__code", flat=True)),
        "private_school_id": application.private_school.code if application.private_school else "",
        "current_school_id": application.current_school.code if application.current_school else "",
        "responses": [
            [c, r, ok, text]
            for c, r, ok, text in responses.values_list(
                "check_name", "reason", "confirmed", "explanation"
            )
        ],
    }


def edit_application(
    *, actor: Actor, application_pk: int, at: dt.datetime | None = None
) -> Registration:
    """The registration through which the family changes a submitted application; made from
    the application itself when it came in another way (a bureau import, another device)."""
    at = at or timezone.now()
    require_parent(actor, "family.edit_application")
    with transaction.atomic():
        application = application_of(actor, application_pk)
        require_open(application.season, at)
        existing = Registration.objects.filter(application=application).first()
        if existing is not None:
            if existing.owner_id != actor.pk:
                raise Conflict(_("这份报名由另一位家长的账号填写，请用该账号修改"))
            require_editable(existing)
            return existing
        # A draft for the same child, never submitted (the application came another way).
        Registration.objects.filter(
            owner=actor,
            season=application.season,
            child_id_number=application.child_id_number,
            application__isnull=True,
        ).delete()
        if application.status not in (
            Application.Status.SUBMITTED,
            Application.Status.VERIFIED,
        ):
            raise Conflict(_("报名已进入录取阶段，不能再修改"))
        guardians = [*application.guardian_ids, "", ""]
        registration = Registration.objects.create(
            owner=actor,
            season=application.season,
            child_name=application.child_name,
            child_id_number=application.child_id_number,
            gender=application.gender,
            birth_date=application.birth_date,
            stage=application.stage,
            own_id_number=guardians[0],
            other_guardian_id=guardians[1],
            claimed_address=application.claimed_address,
            claimed_certificate_no=application.claimed_certificate_no,
            current_school_code=application.current_school.code
            if application.current_school
            else "",
            preferences=list(
                application.preferences.order_by("rank").values_list("school__code", flat=True)
            ),
            private_school_code=application.private_school.code
            if application.private_school
            else "",
            responses={
                r.check_name: {
                    "reason": r.reason,
                    "confirmed": r.confirmed,
                    "explanation": r.explanation,
                }
                for r in application.finding_responses.all()
            },
            application=application,
            created_at=at,
            updated_at=at,
        )
        record_event(
            actor=actor,
            action="registration.opened_for_edit",
            object_type="registration",
            object_id=str(registration.pk),
            detail={"application": application.code},
            at=at,
        )
    return registration
