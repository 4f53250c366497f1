"""The status timeline of one application: what was recorded about it in the audit log (its
registration, changes, reviews, answers to the offer), the engine's decisions, the lottery's
publication and the cases the family lodged, in time order."""

from __future__ import annotations

import bisect
import datetime as dt
import json
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import Application, Decision
from sunshine.audit.models import AuditEvent
from sunshine.ceremony.models import Ceremony
from sunshine.oversight.models import Case

ACTIONS: dict[str, Promise] = {
    "application.registered": _("报名已登记"),
    "application.updated": _("报名已修改并重新提交"),
    "application.offer_accepted": _("已确认接受录取"),
    "application.offer_declined": _("已放弃录取学位"),
}
ONLINE_REGISTERED = _("网上报名已提交")
IMPORTED_REGISTERED = _("报名信息已由教育局录入")
OTHER = _("审核记录")
# Event details that may be shown to the family (a reviewer's reason is meant for it).
SHOWN_DETAILS = ("reason", "note", "result")


@dataclass(frozen=True, slots=True)
class Step:
    at: dt.datetime
    kind: str  # event | decision | lottery | case
    label: str
    note: str = ""
    link: str = ""  # an application's own page refers to e.g. the ceremony


def timeline(application: Application) -> list[Step]:
    steps = [_event(e) for e in _events(application)]
    for decision in (
        Decision.objects.filter(application=application, run__finished_at__isnull=False)
        .select_related("run", "school")
        .order_by("run__started_at")
    ):
        assert decision.run.finished_at is not None
        label = str(_("录取结果：%(status)s")) % {"status": decision.get_status_display()}
        note = decision.school.name if decision.school else ""
        steps.append(Step(decision.run.finished_at, "decision", label, note))
    for ceremony in Ceremony.objects.filter(
        season=application.season_id, state=Ceremony.State.PUBLISHED, published_at__isnull=False
    ).only("pk", "label", "published_at", "pool_ids"):
        if _in_pool(ceremony.pool_ids, application.code):
            assert ceremony.published_at is not None
            steps.append(
                Step(ceremony.published_at, "lottery", str(_("摇号结果已公布")), ceremony.label)
            )
    for case in Case.objects.filter(application=application).order_by("received_at"):
        label = str(_("%(kind)s已提交，编号 %(code)s")) % {
            "kind": case.get_kind_display(),
            "code": case.code,
        }
        steps.append(Step(case.received_at, "case", label, case.get_status_display()))
    steps.sort(key=lambda s: s.at)
    return steps


def _events(application: Application) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="application", object_id=application.code)
        .order_by("seq")
        .only("created_at", "action", "canonical")
    )


def _event(event: AuditEvent) -> Step:
    detail = json.loads(event.canonical).get("detail") or {}
    if event.action == "application.registered":
        online = detail.get("source") == Application.Source.ONLINE
        return Step(
            event.created_at, "event", str(ONLINE_REGISTERED if online else IMPORTED_REGISTERED)
        )
    label = ACTIONS.get(event.action)
    if label is not None:
        return Step(event.created_at, "event", str(label))
    shown = [str(detail[k]) for k in SHOWN_DETAILS if isinstance(detail.get(k), str)]
    return Step(event.created_at, "event", str(OTHER), " · ".join([event.action, *shown]))


def _in_pool(ids: list[str], code: str) -> bool:
    i = bisect.bisect_left(ids, code)  # a frozen pool is sorted
    return i < len(ids) and ids[i] == code
