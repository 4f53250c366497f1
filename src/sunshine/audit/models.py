"""The audit log: every state change, in order, as canonical JSON.

Events are append-only. ``leaf_hash`` is the RFC 6962 leaf hash of ``canonical`` so the log can
be checked as a Merkle tree (see sunshine.core.merkle and docs/audit.md). Personal data never
appears here in the clear: only salted digests or references.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)  # 0-based leaf index
    created_at = models.DateTimeField(_("时间"))
    actor = models.CharField(_("操作人"), max_length=150)
    action = models.CharField(_("操作"), max_length=100)
    object_type = models.CharField(_("对象类型"), max_length=100)
    object_id = models.CharField(_("对象"), max_length=200)
    canonical = models.TextField()  # the exact bytes hashed, UTF-8 canonical JSON
    leaf_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditHead(models.Model):
    """A single row locked while appending, so sequence numbers have no gaps or races."""

    next_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("审计日志头")
        verbose_name_plural = _("审计日志头")

    def __str__(self) -> str:
        return f"next={self.next_seq}"


class Checkpoint(models.Model):
    """A signed statement "the log's first ``tree_size`` events have Merkle root ``root_hash``".

    Rows are only ever added (by ``audit.checkpoints.publish_checkpoint``); each must be
    consistent with the one before it. The signed bytes are ``core.checkpoint.checkpoint_note``.
    """

    tree_size = models.PositiveBigIntegerField(_("事件数"), unique=True)
    root_hash = models.CharField(_("根哈希"), max_length=64)  # hex
    created_at = models.DateTimeField(_("时间"))  # whole seconds, as signed
    origin = models.CharField(max_length=200)
    signature = models.CharField(max_length=100)  # base64 Ed25519
    key_id = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("检查点")
        verbose_name_plural = _("检查点")
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"checkpoint {self.tree_size}"
