"""The campaign ledgers: problem clues, violations, the checklist, rectification, visits.

Every row belongs to one county (``region_code``) and carries its ledger number (序号), unique
in that county's ledger and never reused: a voided row keeps its number, so a gap in an export
shows that a row was voided (the reason is on the web page and in the audit log). Rows change
only through ``sunshine.ledgers.services``, which write the audit event.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Ledger(models.TextChoices):
    CLUE = "clue", _("问题线索管理台账")
    VIOLATION = "violation", _("违规招生行为查处登记表")
    RECTIFICATION = "rectification", _("整改台账")
    VISIT = "visit", _("明察暗访走访台账")
    VISIT_PROBLEM = "visit_problem", _("明察暗访问题台账")


class LedgerRow(models.Model):
    region_code = models.CharField(_("行政区划代码"), max_length=6)
    number = models.PositiveIntegerField(_("序号"))
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,  # official records: deactivate accounts, never delete them
        null=True,  # the CLI and system jobs act without a user account
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.TextField(_("作废原因"), blank=True)

    class Meta:
        abstract = True
        ordering = ["region_code", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "number"], name="%(app_label)s_%(class)s_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} #{self.number}"

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class ProblemClue(LedgerRow):
    """问题线索管理台账 (form 附件2)."""

    source = models.TextField(_("问题线索来源"), blank=True)
    summary = models.TextField(_("问题线索摘要"))
    handling = models.TextField(_("办理情况"), blank=True)
    result = models.TextField(_("处理结果"), blank=True)
    remarks = models.TextField(_("备注"), blank=True)
    # The oversight app's complaint code, as text: the two apps evolve separately.
    case_code = models.CharField(_("关联投诉案件编号"), max_length=64, blank=True)

    class Meta(LedgerRow.Meta):
        verbose_name = _("问题线索")
        verbose_name_plural = _("问题线索管理台账")


class Violation(LedgerRow):
    """违规招生行为查处登记表 (form 附件3)."""

    violator = models.TextField(_("违规主体"))
    behaviour = models.TextField(_("违规行为"))
    handling = models.TextField(_("查处和追责情况"), blank=True)
    clue = models.ForeignKey(
        ProblemClue,
        verbose_name=_("关联问题线索"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
    )

    class Meta(LedgerRow.Meta):
        verbose_name = _("违规招生行为")
        verbose_name_plural = _("违规招生行为查处登记表")


class Rectification(LedgerRow):
    """整改台账: an issue, its measures, who owns it, by when, and where it stands."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("整改中")
        DONE = "done", _("已完成")
        REOPENED = "reopened", _("回头看重开")

    issue = models.TextField(_("存在问题"))
    measures = models.TextField(_("整改措施"))
    owner = models.TextField(_("责任单位（责任人）"))
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(
        _("整改状态"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    completed_on = models.DateField(_("完成时间"), null=True, blank=True)
    review_note = models.TextField(_("回头看情况"), blank=True)

    class Meta(LedgerRow.Meta):
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改台账")


class RectificationReview(models.Model):
    """One 回头看 of a completed item: it either confirmed the rectification or reopened it."""

    rectification = models.ForeignKey(
        Rectification, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("回头看日期"))
    reopened = models.BooleanField(_("重开"))
    note = models.TextField(_("回头看意见"))
    at = models.DateTimeField(_("记录时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("回头看记录")
        verbose_name_plural = _("回头看记录")
        ordering = ["rectification", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.rectification} {self.reviewed_on}"


class InspectionVisit(LedgerRow):
    """明察暗访 visit ledger (走访台账): one row per visit."""

    class Method(models.TextChoices):
        OPEN = "open", _("明察")
        COVERT = "covert", _("暗访")

    visit_date = models.DateField(_("走访日期"))
    unit = models.TextField(_("走访单位"))
    method = models.CharField(_("走访方式"), max_length=16, choices=Method.choices)
    inspectors = models.TextField(_("走访人员"), blank=True)
    content = models.TextField(_("走访内容"), blank=True)
    remarks = models.TextField(_("备注"), blank=True)

    class Meta(LedgerRow.Meta):
        verbose_name = _("明察暗访走访")
        verbose_name_plural = _("明察暗访走访台账")


class VisitProblem(LedgerRow):
    """明察暗访 problem ledger (发现问题台账): each problem found on a visit."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("整改中")
        DONE = "done", _("已完成")

    visit = models.ForeignKey(
        InspectionVisit,
        verbose_name=_("对应走访"),
        on_delete=models.PROTECT,
        related_name="problems",
    )
    description = models.TextField(_("发现问题"))
    advice = models.TextField(_("整改意见"), blank=True)
    owner = models.TextField(_("整改责任单位"), blank=True)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    status = models.CharField(
        _("整改状态"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    progress = models.TextField(_("整改情况"), blank=True)

    class Meta(LedgerRow.Meta):
        verbose_name = _("明察暗访发现问题")
        verbose_name_plural = _("明察暗访问题台账")


class ChecklistEntry(models.Model):
    """A county's answer to one item of the checklist edition (对照检查表)."""

    region_code = models.CharField(_("行政区划代码"), max_length=6)
    edition = models.CharField(_("版本"), max_length=16)
    item_no = models.PositiveSmallIntegerField(_("序号"))
    measures = models.TextField(_("落实举措"), blank=True)
    conclusion = models.TextField(_("检查结论"), blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("对照检查项")
        verbose_name_plural = _("对照检查表")
        ordering = ["region_code", "edition", "item_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "edition", "item_no"], name="ledgers_checklist_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.edition} #{self.item_no}"


@deconstructible(path="sunshine.ledgers.models.EvidenceStorage")
class EvidenceStorage(FileSystemStorage):
    """Evidence files under MEDIA_ROOT, or SUNSHINE_HOME/media when MEDIA_ROOT is unset.

    Read from the settings when first used (and again when a test changes MEDIA_ROOT), so the
    location is never frozen into a migration."""

    def __init__(self) -> None:
        super().__init__()

    @cached_property
    def base_location(self) -> str:
        return str(settings.MEDIA_ROOT or (settings.HOME / "media"))


class ChecklistEvidence(models.Model):
    """A file backing a checklist answer; its SHA-256 is in the audit event that added it."""

    entry = models.ForeignKey(
        ChecklistEntry,
        verbose_name=_("对照检查项"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(_("文件"), storage=EvidenceStorage(), max_length=300)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    void_reason = models.TextField(_("作废原因"), blank=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["entry", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"


class LedgerCounter(models.Model):
    """The last number given in one county's ledger, locked while numbering a new row."""

    region_code = models.CharField(max_length=6)
    ledger = models.CharField(max_length=16, choices=Ledger.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("台账编号")
        verbose_name_plural = _("台账编号")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "ledger"], name="ledgers_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.ledger} {self.last_number}"
