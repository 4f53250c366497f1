"""Family accounts and the online registration of a child (一网通办).

A :class:`Registration` is the family's working copy of a child's application: filled in step
by step (the child, the registry findings, the schools), then submitted, which creates or
updates the :class:`~sunshine.admissions.models.Application` the engine reads. Drafts never
reach the engine, and a submitted application changes only by submitting again while the
registration window is open.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import STAGE_CHOICES, Address, Application, Season


class Registration(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    child_name = models.CharField(_("儿童姓名"), max_length=64)
    child_id_number = models.CharField(_("儿童身份证号"), max_length=18)
    gender = models.CharField(_("性别"), max_length=1)  # derived from the ID number
    birth_date = models.DateField(_("出生日期"))  # derived from the ID number
    stage = models.CharField(_("学段"), max_length=8, choices=STAGE_CHOICES)
    own_id_number = models.CharField(_("本人身份证号"), max_length=18)
    other_guardian_id = models.CharField(_("另一位家长身份证号"), max_length=18, blank=True)
    # SET_NULL: a season re-import replaces its addresses; the family then chooses again.
    claimed_address = models.ForeignKey(
        Address, verbose_name=_("居住地址"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    claimed_certificate_no = models.CharField(_("不动产权证号"), max_length=64, blank=True)
    current_school_code = models.CharField(_("就读小学"), max_length=64, blank=True)
    # School codes, best first (public schools of the claimed address's zone).
    preferences = models.JSONField(_("志愿"), default=list, blank=True)
    private_school_code = models.CharField(_("民办学校志愿"), max_length=64, blank=True)
    # Per registry check: {"reason": Reason name answered, "confirmed": bool, "explanation": str}
    responses = models.JSONField(_("核验答复"), default=dict, blank=True)
    application = models.OneToOneField(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("修改时间"))
    submitted_at = models.DateTimeField(_("最近提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("网上报名")
        verbose_name_plural = _("网上报名")
        ordering = ["-updated_at"]
        constraints = [
            # Registering the same child twice (a double click) finds the first registration.
            models.UniqueConstraint(
                fields=["owner", "season", "child_id_number"], name="one_registration_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.season_id}/{self.pk}"

    @property
    def guardian_ids(self) -> list[str]:
        return [self.own_id_number, *([self.other_guardian_id] if self.other_guardian_id else [])]


class SubmissionToken(models.Model):
    """A submit form's one-time token and the application it produced: a retried or doubled
    submission with the same token returns that application and changes nothing."""

    token = models.CharField(max_length=64, unique=True)
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    used_at = models.DateTimeField()

    class Meta:
        verbose_name = _("提交令牌")
        verbose_name_plural = _("提交令牌")

    def __str__(self) -> str:
        return self.token
