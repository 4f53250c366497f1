"""School plans and catchment zones with effective dates; a zone change is published first.

A change never edits ``School.plan_seats`` or ``Zone`` directly: it is recorded here with the
moment it takes effect, and :func:`sunshine.planning.services.apply_due_changes` applies what is
due. A plan change is co-signed by a second person when it is requested; a zone change is
drafted, then published (公示, on a public page), and only then, once its date has come, made
effective.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import STAGE_CHOICES, School, Season, Zone


class PlanChange(models.Model):
    """A new enrollment plan (招生计划) for one school from a given moment."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("待生效")
        APPLIED = "applied", _("已生效")
        WITHDRAWN = "withdrawn", _("已撤回")

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="plan_changes")
    school = models.ForeignKey(
        School, verbose_name=_("学校"), on_delete=models.CASCADE, related_name="plan_changes"
    )
    plan_seats = models.PositiveIntegerField(_("新招生计划"))
    previous_seats = models.PositiveIntegerField(_("原招生计划"), null=True, blank=True)
    effective_from = models.DateTimeField(_("生效时间"))
    reason = models.TextField(_("调整理由"))
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.SCHEDULED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("会签人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    applied_at = models.DateTimeField(_("实际生效时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("招生计划调整")
        verbose_name_plural = _("招生计划调整")
        ordering = ["effective_from", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(requested_by=models.F("approved_by")),
                name="plan_change_cosigned_by_second_person",
            ),
            models.CheckConstraint(
                condition=models.Q(state="applied", applied_at__isnull=False)
                | (~models.Q(state="applied") & models.Q(applied_at__isnull=True)),
                name="plan_change_applied_when_applied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school_id}: {self.plan_seats} @ {self.effective_from:%Y-%m-%d}"


class ZoneChange(models.Model):
    """New boundaries or schools for a zone, or a new zone; public before it takes effect."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("公示中")
        EFFECTIVE = "effective", _("已生效")
        WITHDRAWN = "withdrawn", _("已撤回")

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="zone_changes")
    # An existing zone, or a new one (``new_zone``) with ``code`` and ``stage``; a new zone's
    # change points at the zone it created once it is effective.
    new_zone = models.BooleanField(_("新增片区"), default=False)
    zone = models.ForeignKey(
        Zone,
        verbose_name=_("片区"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
    )
    code = models.CharField(_("片区代码"), max_length=64)
    stage = models.CharField(_("学段"), max_length=8, choices=STAGE_CHOICES)
    geometry = models.JSONField(_("范围"))  # GeoJSON Polygon/MultiPolygon in lon/lat
    schools = models.ManyToManyField(School, verbose_name=_("学校"), related_name="+")
    effective_from = models.DateTimeField(_("生效时间"))
    reason = models.TextField(_("调整理由"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("起草时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    applied_at = models.DateTimeField(_("实际生效时间"), null=True, blank=True)
    # The zone as it was just before this change took effect (None for a new zone), so the
    # public page can show what changed after the fact.
    previous_geometry = models.JSONField(null=True, blank=True)
    previous_schools = models.JSONField(default=list, blank=True)  # school codes
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)

    class Meta:
        verbose_name = _("片区调整")
        verbose_name_plural = _("片区调整")
        ordering = ["effective_from", "pk"]
        constraints = [
            # The rule of the issue, kept by the database too: an effective change was
            # published, and published before the moment it took effect.
            models.CheckConstraint(
                condition=~models.Q(state="effective")
                | models.Q(
                    published_at__isnull=False,
                    applied_at__isnull=False,
                    published_at__lt=models.F("effective_from"),
                    applied_at__gte=models.F("effective_from"),
                ),
                name="zone_change_published_before_effective",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="published")
                | models.Q(published_at__isnull=False, published_by__isnull=False),
                name="zone_change_published_has_publisher",
            ),
            models.CheckConstraint(
                condition=models.Q(new_zone=True) | models.Q(zone__isnull=False),
                name="zone_change_names_its_zone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} @ {self.effective_from:%Y-%m-%d} ({self.state})"

    def old_geometry(self) -> dict[str, object] | None:
        """The boundary this change replaces (or replaced)."""
        if self.state == self.State.EFFECTIVE:
            return self.previous_geometry
        return self.zone.geometry if self.zone is not None else None
