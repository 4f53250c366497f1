"""Registry evidence (户籍, 房产, 居住证, 社保, birth, vaccination, earlier seat use), as shared
by other departments for a season, and the student records (学籍) that Sunshine keeps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import Address, School, Season


class HouseholdMember(models.Model):
    """户籍: one person's household registration."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    person_id = models.CharField(_("身份证号"), max_length=18)
    household_id = models.CharField(_("户号"), max_length=64)
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+")
    registered_on = models.DateField(_("迁入日期"))
    relation = models.CharField(_("与户主关系"), max_length=8)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("户籍")
        verbose_name_plural = _("户籍")
        constraints = [
            models.UniqueConstraint(fields=["season", "person_id"], name="one_hukou_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.household_id}/{self.person_id}"


class PropertyOwnership(models.Model):
    """房产: one owner's share of one certificate."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    certificate_no = models.CharField(_("不动产权证号"), max_length=64)
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+")
    owner_id = models.CharField(_("权利人身份证号"), max_length=18)
    share = models.FloatField(_("份额"))
    acquired_on = models.DateField(_("登记日期"))
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("房产")
        verbose_name_plural = _("房产")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "certificate_no", "owner_id"], name="one_share_per_owner"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=1), name="share_in_0_1"
            ),
        ]
        indexes = [models.Index(fields=["season", "owner_id"])]

    def __str__(self) -> str:
        return self.certificate_no


class ResidencePermit(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    person_id = models.CharField(_("身份证号"), max_length=18)
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("签发日期"))
    valid_until = models.DateField(_("有效期至"))
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("居住证")
        verbose_name_plural = _("居住证")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "person_id", "issued_on"], name="one_permit_per_issue"
            )
        ]

    def __str__(self) -> str:
        return self.person_id


class SocialSecurity(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    person_id = models.CharField(_("身份证号"), max_length=18)
    months_continuous = models.PositiveIntegerField(_("连续缴纳月数"))
    as_of = models.DateField(_("截至日期"))
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("社保")
        verbose_name_plural = _("社保")
        constraints = [
            models.UniqueConstraint(fields=["season", "person_id"], name="one_ss_per_person")
        ]

    def __str__(self) -> str:
        return self.person_id


class BirthRecord(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    child_id = models.CharField(_("儿童身份证号"), max_length=18)
    birth_date = models.DateField(_("出生日期"))
    mother_id = models.CharField(_("母亲身份证号"), max_length=18, blank=True)
    father_id = models.CharField(_("父亲身份证号"), max_length=18, blank=True)
    address = models.ForeignKey(
        Address, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("出生医学证明")
        verbose_name_plural = _("出生医学证明")
        constraints = [
            models.UniqueConstraint(fields=["season", "child_id"], name="one_birth_per_child")
        ]

    def __str__(self) -> str:
        return self.child_id


class VaccinationRecord(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    child_id = models.CharField(_("儿童身份证号"), max_length=18)
    complete = models.BooleanField(_("接种完整"))
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("预防接种")
        verbose_name_plural = _("预防接种")
        constraints = [
            models.UniqueConstraint(fields=["season", "child_id"], name="one_vaccination_per_child")
        ]

    def __str__(self) -> str:
        return self.child_id


class SeatUsage(models.Model):
    """学位锁定: an earlier admission that used a home."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="+")
    certificate_no = models.CharField(_("不动产权证号"), max_length=64)
    year = models.PositiveIntegerField(_("年份"))
    stage = models.CharField(_("学段"), max_length=8)
    child_id = models.CharField(_("儿童身份证号"), max_length=18)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("学位使用记录")
        verbose_name_plural = _("学位使用记录")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "certificate_no", "year", "stage", "child_id"],
                name="seat_usage_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_no} {self.year}"


class StudentRecord(models.Model):
    """学籍: one per child (一人一籍), whatever the season; it follows the child (籍随人走)."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("在籍在读")
        TRANSFERRED = "transferred", _("已转出")
        SUSPENDED = "suspended", _("休学")
        GRADUATED = "graduated", _("毕业")

    student_no = models.CharField(_("学籍号"), max_length=19, unique=True)  # "G" + ID number
    child_id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    child_name = models.CharField(_("姓名"), max_length=64)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="student_records")
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.ENROLLED
    )
    created_at = models.DateTimeField(_("建籍时间"))

    class Meta:
        verbose_name = _("学籍")
        verbose_name_plural = _("学籍")

    def __str__(self) -> str:
        return self.student_no
