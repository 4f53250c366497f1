"""Unified answers (统一答复口径): drafted per question type, approved by a second person
before anyone may use them, retired when outdated. Uses are counted when a handler replies."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.audit.services import Actor, record_event
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.oversight.models import AnswerTemplate, Category
from sunshine.oversight.queries import CASE_ROLES

AUTHORS = (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR, Role.SUPERVISOR)
APPROVERS = (Role.BUREAU_ADMIN, Role.SUPERVISOR)

__all__ = ["approve_template", "draft_template", "retire_template", "templates_visible_to"]


def templates_visible_to(user: object) -> QuerySet[AnswerTemplate]:
    """Templates in force for a staff user's region: its own prefix and every wider one."""
    templates = AnswerTemplate.objects.select_related("created_by", "approved_by")
    code = getattr(user, "region_code", "") or ""
    if getattr(user, "role", None) not in CASE_ROLES or len(code) < 2:
        return templates.none()
    wider = [code[:n] for n in range(2, len(code) + 1)]
    return templates.filter(Q(region_prefix__in=wider) | Q(region_prefix__startswith=code))


def _in_scope(actor: Actor, prefix: str) -> bool:
    """A county's staff keep the county's own templates; a supervisor those under its prefix."""
    if isinstance(actor, str):
        return True
    code = actor.region_code or ""
    if actor.role == Role.SUPERVISOR:
        return len(code) >= 2 and prefix.startswith(code)
    return len(code) == 6 and prefix == code


def _event(template: AnswerTemplate, action: str, actor: Actor) -> None:
    record_event(
        actor=actor,
        action=action,
        object_type="answer_template",
        object_id=str(template.pk),
        after={"title": template.title, "body": template.body, "status": template.status},
        detail={"region_prefix": template.region_prefix, "category": template.category},
    )


def draft_template(
    *, actor: Actor, region_prefix: str, category: str, title: str, body: str
) -> AnswerTemplate:
    require_role(actor, *AUTHORS, action="draft an answer template")
    title, body = title.strip(), body.strip()
    if category not in Category.values:
        raise Invalid(f"unknown question type {category!r}", field="category")
    if not (2 <= len(region_prefix) <= 6 and region_prefix.isdigit()):
        raise Invalid("the region prefix is 2 to 6 digits", field="region_prefix")
    if not title:
        raise Invalid("give the template a title", field="title")
    if not body:
        raise Invalid("write the answer", field="body")
    if not _in_scope(actor, region_prefix):
        raise NotAllowed(f"region {region_prefix} is outside your scope")
    if isinstance(actor, str):
        raise NotAllowed("a template is drafted by a person, who may then not approve it")
    with transaction.atomic():
        template = AnswerTemplate.objects.create(
            region_prefix=region_prefix,
            category=category,
            title=title[:200],
            body=body,
            created_by=actor,
            created_at=timezone.now(),
        )
        _event(template, "answer_template.drafted", actor)
    return template


def approve_template(template: AnswerTemplate, *, actor: Actor) -> AnswerTemplate:
    require_role(actor, *APPROVERS, action="approve an answer template")
    if isinstance(actor, str):
        raise NotAllowed("an answer template is approved by a person")
    with transaction.atomic():
        template = AnswerTemplate.objects.select_for_update().get(pk=template.pk)
        if not _in_scope(actor, template.region_prefix):
            raise NotAllowed(f"region {template.region_prefix} is outside your scope")
        if template.created_by_id == actor.pk:
            raise NotAllowed("the author of an answer cannot approve it: ask a second person")
        if template.status != AnswerTemplate.Status.DRAFT:
            raise Conflict(f"the template is {template.status}, not awaiting approval")
        template.status = AnswerTemplate.Status.APPROVED
        template.approved_by = actor
        template.approved_at = timezone.now()
        template.save()
        _event(template, "answer_template.approved", actor)
    return template


def retire_template(template: AnswerTemplate, *, actor: Actor) -> AnswerTemplate:
    require_role(actor, *APPROVERS, action="retire an answer template")
    with transaction.atomic():
        template = AnswerTemplate.objects.select_for_update().get(pk=template.pk)
        if not _in_scope(actor, template.region_prefix):
            raise NotAllowed(f"region {template.region_prefix} is outside your scope")
        if template.status == AnswerTemplate.Status.RETIRED:
            raise Conflict("the template is already retired")
        template.status = AnswerTemplate.Status.RETIRED
        template.save()
        _event(template, "answer_template.retired", actor)
    return template
