"""What the public portal publishes beyond the admissions data itself."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Hotline(models.Model):
    """An admissions hotline the bureau must publish (阳光招生专项行动: 招生热线)."""

    season = models.ForeignKey(
        "admissions.Season", on_delete=models.CASCADE, related_name="hotlines"
    )
    name = models.CharField(_("名称"), max_length=100)
    phone = models.CharField(_("电话"), max_length=40)
    hours = models.CharField(_("服务时间"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("招生热线")
        verbose_name_plural = _("招生热线")
        ordering = ["season", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.phone}"
