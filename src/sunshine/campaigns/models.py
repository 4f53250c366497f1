"""Special campaigns (专项行动) with phases and tasks, and the blacklist (黑名单).

A campaign runs in phases with dates; its tasks name a responsible unit and a deadline. The
seeds' campaigns run 自查自纠 → 督查整改 → 建章立制 → 总结 (or similar).

The blacklist lists schools and principals found in serious admission violations. Listing is
a punishment, so it follows 国办发〔2020〕49号: the party is told first (告知: the facts, the
basis, its right to object), may object within a window, and is published only after that and
after a second person's approval; it leaves the list (移出) after a repair period and a review.
The steps are services in ``sunshine.campaigns.blacklist``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Campaign(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("市（州）级")
        COUNTY = "county", _("县（市、区）级")

    name = models.CharField(_("名称"), max_length=200)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    # The region the campaign covers, as a code prefix whose length the level fixes
    # (see LEVEL_DIGITS): "33" a province, "3301" a city, "330110" a county.
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="campaign_starts_before_it_ends",
            )
        ]

    def __str__(self) -> str:
        return self.name


LEVEL_DIGITS = {
    Campaign.Level.PROVINCE: 2,
    Campaign.Level.CITY: 4,
    Campaign.Level.COUNTY: 6,
}


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("阶段"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    description = models.TextField(_("工作内容"), blank=True)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="phase_starts_before_it_ends",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Task(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("未开始")
        IN_PROGRESS = "in_progress", _("进行中")
        DONE = "done", _("已完成")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("阶段"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    number = models.PositiveIntegerField(_("序号"))
    title = models.TextField(_("主要工作"))
    responsible_unit = models.CharField(_("责任单位"), max_length=200)
    # The county that answers for the task when the campaign is a city's or a province's;
    # blank when the campaign's own bureau does. Its bureau may update the task's status.
    region_code = models.CharField(_("责任县区代码"), max_length=6, blank=True)
    deadline = models.DateField(_("完成时限"))  # done by the end of this day
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("进展说明"), blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # Set once by the overdue alert, so a task is alerted (and audited) at most once.
    overdue_alerted_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["campaign", "number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="task_number_unique"),
            # A finished task says when it was finished, and only a finished task does.
            models.CheckConstraint(
                condition=models.Q(status="done", completed_at__isnull=False)
                | (~models.Q(status="done") & models.Q(completed_at__isnull=True)),
                name="task_completed_at_iff_done",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.number}. {self.title[:30]}"


class BlacklistEntry(models.Model):
    class Subject(models.TextChoices):
        SCHOOL = "school", _("学校")
        PRINCIPAL = "principal", _("校长")

    class Status(models.TextChoices):
        NOTIFIED = "notified", _("已告知（异议期）")
        OBJECTED = "objected", _("异议待决定")
        PENDING = "pending", _("待审批公示")
        PUBLISHED = "published", _("已公示")
        REMOVED = "removed", _("已移出")
        WITHDRAWN = "withdrawn", _("已撤销")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("异议成立")
        REJECTED = "rejected", _("异议不成立")

    region_code = models.CharField(_("行政区划代码"), max_length=6)
    subject = models.CharField(_("对象类型"), max_length=10, choices=Subject.choices)
    # Schools are rows of one season; the name and code are kept so the entry outlives it.
    school = models.ForeignKey(
        "admissions.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    school_name = models.CharField(_("学校名称"), max_length=200)
    school_code = models.CharField(_("学校代码"), max_length=64, blank=True)
    principal_name = models.CharField(_("校长姓名"), max_length=64, blank=True)
    violation = models.TextField(_("违规事实"))
    legal_basis = models.TextField(_("依据"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    objection_days = models.PositiveSmallIntegerField(_("异议期（日）"))
    repair_days = models.PositiveIntegerField(_("整改期（日）"))

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    notified_at = models.DateTimeField(_("告知时间"))
    objection_deadline = models.DateTimeField(_("异议截止时间"))

    objection_text = models.TextField(_("异议内容"), blank=True)
    objection_at = models.DateTimeField(_("异议提出时间"), null=True, blank=True)
    objection_outcome = models.CharField(
        _("异议决定"), max_length=10, choices=Outcome.choices, blank=True
    )
    objection_reason = models.TextField(_("异议决定理由"), blank=True)
    objection_decided_at = models.DateTimeField(_("异议决定时间"), null=True, blank=True)

    publication_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    publication_requested_at = models.DateTimeField(_("提请公示时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    exit_eligible_at = models.DateTimeField(_("可申请移出时间"), null=True, blank=True)

    exit_review = models.TextField(_("移出复核意见"), blank=True)
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤销理由"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("黑名单")
        verbose_name_plural = _("黑名单")
        ordering = ["-notified_at", "-pk"]
        indexes = [models.Index(fields=["status", "region_code"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subject="school") | ~models.Q(principal_name=""),
                name="blacklist_principal_has_a_name",
            ),
            # Four eyes: whoever proposed or asked for publication cannot approve it.
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("proposed_by"))
                & ~models.Q(approved_by=models.F("publication_requested_by")),
                name="blacklist_publication_approved_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="blacklist_published_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        if self.subject == self.Subject.PRINCIPAL:
            return f"{self.school_name} · {self.principal_name}"
        return self.school_name
