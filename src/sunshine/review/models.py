"""Two-level review (分级审核) of applications and overrides that need a second person.

* :class:`ReviewRecord`: one decision per (application, level, round). Level 1 is a school's
  admissions officer, level 2 a county bureau reviewer. A level-2 record names the level-1
  record it reviews (so it cannot exist first) and carries its reviewer, so the database itself
  refuses a level 2 by the level-1 reviewer. A return for correction ends a round; the next
  level-1 decision opens the next one. A bureau administrator may reopen a final level-2
  decision (never their own): it stays, marked reopened, and level 2 decides again; the
  uniqueness constraints hold for the current (not reopened) records.
* :class:`ReviewCase`: where one application stands in review, kept by the services in the
  same transaction as each record, so the queues are plain indexed queries.
* :class:`Override`: a request to change an automatic result (a tier at a school, or an
  exception that makes a failed check count as passed), with its reason; it takes effect only
  once a second person of the county bureau approves it. The database refuses a decision by
  the requester. An approved override may be withdrawn (with a reason): it stays, marked
  withdrawn, and the engine no longer applies it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import Application, School
from sunshine.review.labels import CHECK_CHOICES


class Level(models.IntegerChoices):
    FIRST = 1, _("第一级（学校初审）")
    SECOND = 2, _("第二级（教育局复审）")


class Verdict(models.TextChoices):
    PASS = "pass", _("通过")
    REJECT = "reject", _("不通过")
    RETURN = "return", _("退回补正")


class ReviewRecord(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="reviews"
    )
    level = models.PositiveSmallIntegerField(_("审核级别"), choices=Level.choices)
    round = models.PositiveSmallIntegerField(_("审核轮次"), default=1)
    decision = models.CharField(_("审核结论"), max_length=8, choices=Verdict.choices)
    reason = models.TextField(_("理由"), blank=True)
    notes = models.TextField(_("备注"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"))
    # Level 2 only: the level-1 record it reviews, and (a copy of) that record's reviewer.
    first_level = models.ForeignKey(
        "self",
        verbose_name=_("初审记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="second_levels",
    )
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("初审人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Level 2 only: a final decision reopened by a bureau administrator (not its decider), when
    # and why. It stays in the history; the application awaits level 2 again.
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("重新审核发起人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("重新审核时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("重新审核理由"), blank=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["application", "round", "level"]
        constraints = [
            # One current decision per level and round; a reopened one stays beside it.
            models.UniqueConstraint(
                fields=["application", "level", "round"],
                condition=Q(reopened_at__isnull=True),
                name="one_review_per_level_and_round",
            ),
            # One current level-2 decision per level-1 record.
            models.UniqueConstraint(
                fields=["first_level"],
                condition=Q(reopened_at__isnull=True),
                name="one_current_second_level",
            ),
            models.CheckConstraint(
                condition=(
                    Q(reopened_at__isnull=True, reopened_by__isnull=True, reopen_reason="")
                    | Q(level=Level.SECOND, reopened_at__isnull=False, reopened_by__isnull=False)
                    & ~Q(reopen_reason="")
                ),
                name="reopened_level_2_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(reopened_by__isnull=True) | ~Q(reopened_by=F("reviewer")),
                name="reopened_by_another_person",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[Level.FIRST, Level.SECOND]), name="review_level_1_or_2"
            ),
            # Level 2 cannot precede level 1: it must name the level-1 record it reviews.
            models.CheckConstraint(
                condition=(
                    Q(level=Level.FIRST, first_level__isnull=True, first_reviewer__isnull=True)
                    | Q(level=Level.SECOND, first_level__isnull=False, first_reviewer__isnull=False)
                ),
                name="second_level_follows_first",
            ),
            models.CheckConstraint(
                condition=Q(first_reviewer__isnull=True) | ~Q(reviewer=F("first_reviewer")),
                name="second_level_by_another_person",
            ),
            models.CheckConstraint(
                condition=Q(decision=Verdict.PASS) | ~Q(reason=""),
                name="rejection_or_return_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} L{self.level} r{self.round}: {self.decision}"


class CaseState(models.TextChoices):
    PENDING_SECOND = "pending_second", _("待复审")
    RETURNED = "returned", _("已退回补正")
    PASSED = "passed", _("审核通过")
    REJECTED = "rejected", _("审核不通过")


class ReviewCase(models.Model):
    """An application with no case has not been reviewed yet (pending level 1)."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="review_case"
    )
    state = models.CharField(_("审核状态"), max_length=16, choices=CaseState.choices)
    round = models.PositiveSmallIntegerField(_("审核轮次"))
    since = models.DateTimeField(_("进入此状态时间"))
    last_record = models.OneToOneField(ReviewRecord, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("审核进度")
        verbose_name_plural = _("审核进度")
        indexes = [models.Index(fields=["state", "since"])]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.state}"


class Override(models.Model):
    class Kind(models.TextChoices):
        TIER = "tier", _("类别变更")
        EXCEPTION = "exception", _("例外认定")

    class State(models.TextChoices):
        REQUESTED = "requested", _("待审批")
        APPROVED = "approved", _("已批准")
        REFUSED = "refused", _("已驳回")
        WITHDRAWN = "withdrawn", _("已撤销")

    application = models.ForeignKey(
        Application, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="overrides"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    # A tier change: the school, and the policy tier (1 = first) before and after; None = none.
    school = models.ForeignKey(
        School,
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_tier = models.PositiveSmallIntegerField(_("原类别"), null=True, blank=True)
    to_tier = models.PositiveSmallIntegerField(_("新类别"), null=True, blank=True)
    # An exception: the check that is to count as passed, and its result when requested.
    check_name = models.CharField(_("核验项目"), max_length=20, choices=CHECK_CHOICES, blank=True)
    check_result = models.CharField(_("原核验结果"), max_length=8, blank=True)
    reason = models.TextField(_("理由"))
    state = models.CharField(
        _("状态"), max_length=10, choices=State.choices, default=State.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    # The second person: who approved or refused it (see ``state``), when and why.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # An approved override withdrawn by the county bureau: who, when and why. It stays in the
    # history (state ``withdrawn``) and the engine no longer applies it.
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("撤销理由"), blank=True)

    class Meta:
        verbose_name = _("结果更正申请")
        verbose_name_plural = _("结果更正申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="override_decided_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="requested", decided_by__isnull=True, decided_at__isnull=True)
                    | Q(
                        state__in=["approved", "refused", "withdrawn"],
                        decided_by__isnull=False,
                        decided_at__isnull=False,
                    )
                ),
                name="override_decided_iff_closed",
            ),
            models.CheckConstraint(
                condition=~Q(state="refused") | ~Q(decision_note=""),
                name="override_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        state="withdrawn",
                        withdrawn_by__isnull=False,
                        withdrawn_at__isnull=False,
                    )
                    & ~Q(withdrawal_reason="")
                    | ~Q(state="withdrawn")
                    & Q(withdrawn_by__isnull=True, withdrawn_at__isnull=True, withdrawal_reason="")
                ),
                name="override_withdrawn_iff_recorded",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="tier", school__isnull=False, check_name="")
                    | Q(kind="exception", school__isnull=True, from_tier__isnull=True)
                    & Q(to_tier__isnull=True)
                    & ~Q(check_name="")
                ),
                name="override_kind_fields",
            ),
            # One open request per thing to change: a second one would race the first.
            models.UniqueConstraint(
                fields=["application", "school"],
                condition=Q(state="requested", kind="tier"),
                name="one_open_tier_change",
            ),
            models.UniqueConstraint(
                fields=["application", "check_name"],
                condition=Q(state="requested", kind="exception"),
                name="one_open_exception",
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.application_id}: {self.state}"
