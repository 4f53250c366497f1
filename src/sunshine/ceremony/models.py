"""A lottery ceremony's record: the frozen pool, the announced inputs, the inputs typed at the
ceremony, the transcript, and every redraw with its reason and approvers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sunshine.admissions.models import Season
from sunshine.core.lottery import Beacon, Pool, SeedInputs, Witness


class Ceremony(models.Model):
    class State(models.TextChoices):
        FROZEN = "frozen", _("名单已冻结")
        ANNOUNCED = "announced", _("已公告")
        DRAWN = "drawn", _("已摇号")
        PUBLISHED = "published", _("已公布")

    # PROTECT: replacing a season must not make a held ceremony vanish.
    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="ceremonies")
    label = models.CharField(_("摇号名称"), max_length=200)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices)
    # The pool as frozen: the draw uses these, never the live applications.
    pool_ids = models.JSONField(default=list)
    pool_groups = models.JSONField(default=list)
    pool_fingerprint = models.CharField(max_length=64)
    policy_digest = models.CharField(max_length=64)
    program_digest = models.CharField(max_length=64)
    frozen_at = models.DateTimeField()
    witness_roles = models.JSONField(default=list)  # announced in advance
    beacon_source = models.CharField(max_length=100, blank=True)
    beacon_round = models.PositiveBigIntegerField(null=True, blank=True)
    beacon_value = models.CharField(max_length=1024, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    seed = models.CharField(max_length=64, blank=True)
    transcript = models.TextField(blank=True)  # canonical JSON (docs/lottery.md §7)
    drawn_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("摇号仪式")
        verbose_name_plural = _("摇号仪式")
        ordering = ["-frozen_at", "-pk"]

    def __str__(self) -> str:
        return self.label

    def pool(self) -> Pool:
        return Pool(tuple(self.pool_ids), tuple(tuple(g) for g in self.pool_groups))

    def beacon(self) -> Beacon | None:
        if not self.beacon_source or self.beacon_round is None or not self.beacon_value:
            return None
        return Beacon(self.beacon_source, self.beacon_round, self.beacon_value)

    def seed_inputs(self) -> SeedInputs:
        witnesses = tuple(Witness(w.role, w.name, w.value) for w in self.inputs.all())
        return SeedInputs(
            label=self.label,
            pool_fingerprint=self.pool_fingerprint,
            witnesses=witnesses,
            policy_digest=self.policy_digest,
            program_digest=self.program_digest,
            beacon=self.beacon(),
        )


class WitnessInput(models.Model):
    """A value typed at the ceremony, one per announced role."""

    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="inputs")
    role = models.CharField(_("角色"), max_length=64)
    name = models.CharField(_("姓名"), max_length=100)
    value = models.CharField(_("输入值"), max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name = _("见证输入")
        verbose_name_plural = _("见证输入")
        ordering = ["role", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ceremony", "role"], name="one_input_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.name}"


class Redraw(models.Model):
    """A draw set aside: its transcript is kept, with why and who approved."""

    ceremony = models.ForeignKey(Ceremony, on_delete=models.CASCADE, related_name="redraws")
    number = models.PositiveIntegerField()  # 1 = the first redraw
    reason = models.TextField(_("原因"))
    actor = models.CharField(max_length=100)
    approver = models.CharField(max_length=100)
    previous_seed = models.CharField(max_length=64)
    previous_transcript = models.TextField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("重新摇号")
        verbose_name_plural = _("重新摇号")
        ordering = ["ceremony", "number"]
        constraints = [
            models.UniqueConstraint(fields=["ceremony", "number"], name="redraw_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(actor=models.F("approver")), name="redraw_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ceremony_id} redraw {self.number}"
