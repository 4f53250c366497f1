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
