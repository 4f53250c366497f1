"""Oversight cases: complaints, tip-offs and petitions (投诉/举报/信访)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("投诉")
        TIP_OFF = "tip_off", _("举报")
        PETITION = "petition", _("信访")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已接收")
        ACCEPTED = "accepted", _("已受理")
        IN_PROGRESS = "in_progress", _("办理中")
        TRANSFERRED = "transferred", _("已移送")
        CLOSED = "closed", _("已办结")

    code = models.CharField(_("编号"), max_length=32, unique=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("问题类别"), max_length=64)
    summary = models.TextField(_("内容摘要"))
    received_at = models.DateTimeField(_("收到时间"))  # the legal clock starts here
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    anonymous = models.BooleanField(_("匿名"), default=True)
    reporter_name = models.CharField(_("反映人"), max_length=64, blank=True)
    reporter_contact = models.CharField(_("联系方式"), max_length=64, blank=True)
    school = models.ForeignKey(
        "admissions.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["region_code", "status"])]

    def __str__(self) -> str:
        return self.code
