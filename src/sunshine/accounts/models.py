"""Accounts: one user model for families and staff, with a role and a scope."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARENT = "parent", _("家长")
    SCHOOL_STAFF = "school_staff", _("学校招生人员")
    BUREAU_REVIEWER = "bureau_reviewer", _("教育局审核人员")
    BUREAU_ADMIN = "bureau_admin", _("教育局管理员")
    INSPECTOR = "inspector", _("纪检监察人员")
    SUPERVISOR = "supervisor", _("上级督导人员")
    NOTARY = "notary", _("公证人员")
    WITNESS = "witness", _("见证人")


STAFF_ROLES = frozenset(
    {Role.SCHOOL_STAFF, Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN, Role.INSPECTOR, Role.SUPERVISOR}
)


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.PARENT)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    # Scope: the region a bureau user, inspector or supervisor works in (a supervisor's code
    # is a prefix, e.g. "3301" for a whole city), and the school of a school officer.
    region_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    school = models.ForeignKey(
        "admissions.School",
        verbose_name=_("所属学校"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    # A family account's children's applications (both parents may hold the same application).
    applications = models.ManyToManyField(
        "admissions.Application",
        verbose_name=_("子女报名"),
        blank=True,
        related_name="family_accounts",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~models.Q(phone=""), name="phone_unique_when_set"
            )
        ]

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class PhoneCode(models.Model):
    """A one-time SMS code proving a phone belongs to the person signing up.

    Only a keyed digest of the code is stored; a code expires, allows a few wrong guesses and
    is spent on first use (see sunshine.accounts.phone)."""

    class Purpose(models.TextChoices):
        SIGN_UP = "sign_up", _("注册")

    phone = models.CharField(_("手机号"), max_length=20)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    # A keyed digest of the requesting client (its IP address), to rate-limit per client too.
    client_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [
            models.Index(fields=["phone", "purpose", "created_at"]),
            models.Index(fields=["client_digest", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class RateLimitHit(models.Model):
    """One counted attempt of a rate limit (see sunshine.accounts.ratelimit): a co-sign
    password that was wrong, a complaint posted through Open311.

    ``key`` is a keyed digest of what is limited (an account, an IP address), never the value
    itself. Rows older than their limit's window are deleted as new ones arrive, so the table
    holds only the last window's attempts and is never a lasting record of who did what (the
    audit log is that)."""

    scope = models.CharField(_("限流类别"), max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("限流记录")
        verbose_name_plural = _("限流记录")
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"
