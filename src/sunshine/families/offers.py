"""What a family does with the result: accept or decline the seat, object to the result
(异议) or complain (投诉). Objections and complaints are oversight cases, received by the
oversight service with their legal clocks; this module only fills in the family's side."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.admissions.models import Admission, School
from sunshine.audit.services import Actor, record_event
from sunshine.errors import Conflict, Invalid
from sunshine.families.queries import application_of, applications_of, require_parent
from sunshine.oversight.models import Case, Category, Channel
from sunshine.oversight.services import submit_case
from sunshine.portal.queries import current_season

# What a family may complain about from its page (an objection is the admission_result one).
COMPLAINT_CATEGORIES = tuple(c for c in Category if c is not Category.ADMISSION_RESULT)


def respond_to_offer(
    *, actor: Actor, application_pk: int, accept: bool, at: dt.datetime | None = None
) -> Admission:
    """Accept or decline the seat offered. The answer is final; giving the same answer again
    (a double click) changes nothing."""
    at = at or timezone.now()
    require_parent(actor, "family.respond_to_offer")
    with transaction.atomic():
        application = application_of(actor, application_pk)
        admission = (
            Admission.objects.select_for_update(of=("self",))
            .select_related("school")
            .filter(application=application)
            .first()
        )
        if admission is None:
            raise Conflict(_("这份报名目前没有可以答复的录取结果"))
        if admission.accepted is not None:
            if admission.accepted == accept:
                return admission
            raise Conflict(_("您已经答复过这个录取结果；如需变更，请联系教育局"))
        admission.accepted = accept
        admission.save(update_fields=["accepted"])
        record_event(
            actor=actor,
            action="application.offer_accepted" if accept else "application.offer_declined",
            object_type="application",
            object_id=application.code,
            after={"accepted": accept, "school": admission.school.code},
            detail={
                "season": application.season_id,
                "school": admission.school.code,
                "kind": admission.kind,
            },
            at=at,
        )
    return admission


def lodge_objection(*, actor: Actor, application_pk: int, summary: str) -> Case:
    """An objection (异议) to the child's verification or admission result, in the family's
    name (never anonymous: the answer concerns its own child)."""
    require_parent(actor, "family.lodge_objection")
    application = application_of(actor, application_pk)
    admission = Admission.objects.filter(application=application).select_related("school").first()
    return submit_case(
        actor=actor,
        kind=Case.Kind.OBJECTION,
        category=Category.ADMISSION_RESULT,
        summary=summary,
        region_code=application.season.region_code,
        channel=Channel.FAMILY,
        school=admission.school if admission else None,
        application=application,
        anonymous=False,
        reporter_name=actor.get_full_name(),
        reporter_contact=actor.phone,
    )


def lodge_complaint(
    *,
    actor: Actor,
    category: str,
    summary: str,
    school_pk: int | None = None,
    application_pk: int | None = None,
    anonymous: bool = True,
) -> Case:
    """A complaint about a school or the admissions (e.g. fees tied to entry, tests), named or
    anonymous. It goes to the county of the application or school it names, else to the
    county of the latest season."""
    require_parent(actor, "family.lodge_complaint")
    if category not in {c.value for c in COMPLAINT_CATEGORIES}:
        raise Invalid(_("请选择问题类别"), field="category")
    application = application_of(actor, application_pk) if application_pk else None
    school = None
    if school_pk:
        school = School.objects.select_related("season").filter(pk=school_pk).first()
        if school is None:
            raise Invalid(_("请选择一所学校"), field="school")
    if application is not None:
        region_code = application.season.region_code
    elif school is not None:
        region_code = school.season.region_code
    else:
        mine = applications_of(actor).first()
        season = mine.season if mine else current_season()
        if season is None:
            raise Conflict(_("目前没有招生季，无法受理投诉"))
        region_code = season.region_code
    return submit_case(
        actor=actor,
        kind=Case.Kind.COMPLAINT,
        category=category,
        summary=summary,
        region_code=region_code,
        channel=Channel.FAMILY,
        school=school,
        application=application,
        anonymous=anonymous,
        reporter_name="" if anonymous else actor.get_full_name(),
        reporter_contact="" if anonymous else actor.phone,
    )
