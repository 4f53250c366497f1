"""Small helpers the planning use cases share (services and apply)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.admissions.models import Admission, School, Zone
from sunshine.errors import Invalid


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise Invalid(_("请填写带时区的日期和时间。"), field=name)
    return value


def _admitted(school: School) -> int:
    return Admission.objects.filter(school=school).count()


def _zone_state(zone: Zone) -> dict[str, Any]:
    codes = sorted(zone.schools.values_list("code", flat=True))
    return {"geometry": zone.geometry, "schools": codes}
