"""Oversight cases: complaints, tip-offs, petitions and objections (投诉/举报/信访/异议), their
legal clocks, the unified answers (统一答复口径) and the per-region configuration.

A named reporter's identity lives in :class:`Reporter`, apart from the case, so that lists,
exports, the public status and the API, which all read :class:`Case`, cannot carry it by
accident. Only the designated handler reads it, through an audited service.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """问题类别: the violations the admission campaigns list (十项严禁 and the seeds), then the
    wider integrity categories of the same campaigns (株洲 2021 plan), then objections."""

    OUTSIDE_PLATFORM = "outside_platform", _("平台外招生")
    OVER_PLAN = "over_plan", _("无计划或超计划招生")
    ADMISSION_FEES = "admission_fees", _("收取与入学挂钩的费用")
    SELECTION_TESTS = "selection_tests", _("以选拔为目的的考试测试")
    KEY_CLASSES = "key_classes", _("设立重点班、快慢班")
    RECORD_MISMATCH = "record_mismatch", _("人籍分离、空挂学籍")
    BRIBERY = "bribery", _("收受钱物办理入学")
    AGENT_FRAUD = "agent_fraud", _("社会人员以办理入学为名诈骗")
    FALSE_MATERIALS = "false_materials", _("提供虚假入学材料")
    TEACHER_GIFTS = "teacher_gifts", _("教师违规收受礼品礼金")
    PAID_TUTORING = "paid_tutoring", _("教师违规有偿补课")
    TRAINING_INSTITUTIONS = "training_institutions", _("校外培训机构违规办学")
    TEACHING_MATERIALS = "teaching_materials", _("违规征订教辅材料")
    ADMISSION_RESULT = "admission_result", _("对本人报名或录取结果的异议")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    WEB = "web", _("网上投诉")
    API = "api", _("接口")
    HOTLINE = "hotline", _("热线电话")
    OPEN311 = "open311", _("Open311 接口")
    FAMILY = "family", _("家长个人页面")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Disposition(models.TextChoices):
    """The four ways a discipline-inspection body disposes of a problem clue (问题线索)."""

    TALK = "talk", _("谈话函询")
    VERIFY = "verify", _("初步核实")
    SHELVE = "shelve", _("暂存待查")
    CONCLUDE = "conclude", _("予以了结")


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")


class Case(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("投诉")
        TIP_OFF = "tip_off", _("举报")
        PETITION = "petition", _("信访")
        OBJECTION = "objection", _("异议")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已接收")
        ACCEPTED = "accepted", _("已受理")
        DECLINED = "declined", _("不予受理")
        TRANSFERRED = "transferred", _("已移送纪检监察")
        REPLIED = "replied", _("已答复")
        CLOSED = "closed", _("已办结")

    code = models.CharField(_("编号"), max_length=32, unique=True)
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    # The level that handles it: the county itself, or the level above when the complaint is
    # about the head of the unit that would otherwise handle it (conflict of interest).
    handling_region = models.CharField(_("承办层级"), max_length=6, default="")
    handling_unit = models.CharField(_("承办单位"), max_length=100, default="")
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("问题类别"), max_length=64, choices=Category.choices)
    channel = models.CharField(
        _("来源渠道"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    summary = models.TextField(_("内容摘要"))
    received_at = models.DateTimeField(_("收到时间"))  # the legal clock starts here
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    anonymous = models.BooleanField(_("匿名"), default=True)
    about_unit_head = models.BooleanField(_("反映单位负责人"), default=False)
    school = models.ForeignKey(
        "admissions.School", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        "admissions.Application",
        verbose_name=_("相关报名"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("受理决定理由"), blank=True)
    extension_days = models.PositiveSmallIntegerField(_("延期天数"), default=0)
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("延期批准人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    extended_at = models.DateTimeField(_("延期时间"), null=True, blank=True)
    template = models.ForeignKey(
        "oversight.AnswerTemplate",
        verbose_name=_("答复口径"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reply_text = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    satisfaction = models.CharField(
        _("满意度"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    feedback_note = models.TextField(_("反馈情况"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    disposition = models.CharField(
        _("处置方式"), max_length=16, choices=Disposition.choices, blank=True
    )
    transfer_note = models.TextField(_("移送说明"), blank=True)
    transferred_at = models.DateTimeField(_("移送时间"), null=True, blank=True)
    reassign_count = models.PositiveIntegerField(_("改派次数"), default=0)
    reopen_count = models.PositiveIntegerField(_("重新办理次数"), default=0)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    long = models.FloatField(_("经度"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("投诉举报")
        verbose_name_plural = _("投诉举报")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["region_code", "status"]),
            models.Index(fields=["handling_region", "status"]),
        ]

    def __str__(self) -> str:
        return self.code


class Reporter(models.Model):
    """A named reporter (实名反映人). Read only by the case's handler, and every read is logged."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")
    name = models.CharField(_("反映人"), max_length=64, blank=True)
    contact = models.CharField(_("联系方式"), max_length=64, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("实名反映人")
        verbose_name_plural = _("实名反映人")

    def __str__(self) -> str:
        return f"reporter of {self.case_id}"


class CaseClock(models.Model):
    """One legal clock of a case (one row per clock and round; a reopening starts a round).
    The ``warned_*``/``escalated_at`` stamps make the sweep record each warning once."""

    class Name(models.TextChoices):
        ACCEPTANCE = "acceptance", _("受理告知")
        HANDLING = "handling", _("办理")
        FEEDBACK = "feedback", _("结果反馈")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    name = models.CharField(_("时限"), max_length=16, choices=Name.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    length = models.PositiveSmallIntegerField(_("时限天数"))
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)
    source = models.TextField(_("依据"))
    started_at = models.DateTimeField(_("起算时间"))
    due_date = models.DateField(_("截止日期"))
    due_at = models.DateTimeField(_("截止时刻"))
    warn_70_at = models.DateTimeField(_("70% 预警时刻"))
    warn_90_at = models.DateTimeField(_("90% 预警时刻"))
    extended_by = models.PositiveSmallIntegerField(_("延期天数"), default=0)
    provisional = models.BooleanField(_("预计（节假日未公布）"), default=False)
    stopped_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    met = models.BooleanField(_("按时"), null=True, blank=True)
    warned_70_at = models.DateTimeField(null=True, blank=True)
    warned_90_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("法定时限")
        verbose_name_plural = _("法定时限")
        ordering = ["case", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "name", "round"], name="one_clock_per_round")
        ]
        indexes = [models.Index(fields=["stopped_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.name} #{self.round}"


class AnswerTemplate(models.Model):
    """统一答复口径: one approved answer per question type, usable in a region prefix."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("待审定")
        APPROVED = "approved", _("已审定")
        RETIRED = "retired", _("已停用")

    region_prefix = models.CharField(_("适用地区"), max_length=6)
    category = models.CharField(_("问题类别"), max_length=64, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("答复口径"))
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("拟定时间"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("审定时间"), null=True, blank=True)
    usage_count = models.PositiveIntegerField(_("使用次数"), default=0)

    class Meta:
        verbose_name = _("统一答复口径")
        verbose_name_plural = _("统一答复口径")
        ordering = ["category", "title"]
        constraints = [
            # Four eyes: the person who drafts an answer never approves it.
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("created_by")),
                name="template_approver_is_a_second_person",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ClockPolicy(models.Model):
    """Clock lengths for a region prefix; the longest matching prefix wins, and where none
    matches the defaults in :mod:`sunshine.oversight.clocks` apply."""

    region_prefix = models.CharField(_("地区代码前缀"), max_length=6, unique=True)
    acceptance_days = models.PositiveSmallIntegerField(_("受理告知时限"))
    acceptance_unit = models.CharField(max_length=16, choices=Unit.choices)
    handling_days = models.PositiveSmallIntegerField(_("办理时限"))
    handling_unit = models.CharField(max_length=16, choices=Unit.choices)
    extension_max_days = models.PositiveSmallIntegerField(_("延期上限"))
    feedback_days = models.PositiveSmallIntegerField(_("反馈时限"))
    feedback_unit = models.CharField(max_length=16, choices=Unit.choices)
    source = models.TextField(_("依据"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("时限设置")
        verbose_name_plural = _("时限设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extension_max_days__lte=30), name="extension_at_most_30_days"
            )
        ]

    def __str__(self) -> str:
        return self.region_prefix


class RoutingRule(models.Model):
    """Which desk (and optionally which person) handles a category in a region prefix."""

    class Desk(models.TextChoices):
        BUREAU_REVIEWER = "bureau_reviewer", _("教育局审核人员")
        BUREAU_ADMIN = "bureau_admin", _("教育局管理员")
        INSPECTOR = "inspector", _("纪检监察人员")

    region_prefix = models.CharField(_("地区代码前缀"), max_length=6)
    category = models.CharField(
        _("问题类别（空为全部）"), max_length=64, choices=Category.choices, blank=True
    )
    desk = models.CharField(_("承办岗位"), max_length=20, choices=Desk.choices)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指定承办人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    unit_name = models.CharField(_("承办单位名称"), max_length=100)

    class Meta:
        verbose_name = _("分办规则")
        verbose_name_plural = _("分办规则")
        constraints = [
            models.UniqueConstraint(
                fields=["region_prefix", "category"], name="one_route_per_prefix_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_prefix} {self.category or '*'} -> {self.desk}"
