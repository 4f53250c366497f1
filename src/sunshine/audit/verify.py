"""Checking the stored audit log against itself and against every signed checkpoint.

What this can see (docs/audit.md, "What verification detects"): an edited event whose stored
hash was left alone, a missing seq, renumbered rows, and *any* change — edit, deletion or
insertion — to events covered by a checkpoint, because their root no longer matches the signed
one. It can't see events appended after the last checkpoint: nothing signed covers them yet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sunshine.audit.checkpoints import signed
from sunshine.audit.keys import public_key_bytes
from sunshine.audit.models import AuditEvent, AuditHead, Checkpoint
from sunshine.core import merkle
from sunshine.core.checkpoint import key_id, signature_ok


@dataclass
class LogReport:
    events: int
    checkpoints: int
    uncovered: int  # events after the last checkpoint
    # (sort key, text): the event named, or for a root mismatch the checkpoint's size, so a
    # finding that names one event comes before one that can only name a range.
    findings: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def lines(self) -> list[str]:
        """One line per finding, the earliest event first."""
        return [text for _, text in sorted(self.findings, key=lambda f: f[0])]


def _check_events(report: LogReport) -> list[bytes]:
    """Recompute every leaf hash from the canonical text; report gaps and mismatches."""
    leaves: list[bytes] = []
    expected = 0
    claimed: dict[int, int] = {}  # seq recorded in the canonical JSON -> row holding it
    rows = AuditEvent.objects.order_by("seq").values_list("seq", "canonical", "leaf_hash")
    for seq, canonical, stored in rows.iterator(chunk_size=10_000):
        if seq != expected:
            report.findings.append(
                (expected, f"event #{expected} is missing (the next stored event is #{seq})")
            )
        expected = seq + 1
        data = canonical.encode("utf-8")
        leaf = merkle.leaf_hash(data)
        leaves.append(leaf)
        if leaf.hex() != stored:
            report.findings.append(
                (seq, f"event #{seq}: its canonical JSON does not hash to its stored leaf hash")
            )
        try:
            recorded = json.loads(data).get("seq")
        except (ValueError, AttributeError):
            recorded = None
        if recorded != seq:
            report.findings.append(
                (seq, f"event #{seq}: its canonical JSON records seq {recorded}")
            )
        if isinstance(recorded, int) and recorded in claimed:
            # Two rows claiming one seq: a row was slipped in (加塞) and the others moved up.
            first = claimed[recorded]
            report.findings.append(
                (first, f"events #{first} and #{seq} both record seq {recorded}: one was inserted")
            )
        elif isinstance(recorded, int):
            claimed[recorded] = seq
    head = AuditHead.objects.filter(pk=1).values_list("next_seq", flat=True).first() or 0
    if head != expected:
        report.findings.append(
            (
                min(head, expected),
                f"the log head expects {head} events, the log ends at #{expected - 1}",
            )
        )
    return leaves


def _check_checkpoints(report: LogReport, leaves: list[bytes]) -> None:
    checkpoints = list(Checkpoint.objects.order_by("tree_size"))
    report.checkpoints = len(checkpoints)
    public = public_key_bytes()
    roots = merkle.prefix_roots(leaves, [c.tree_size for c in checkpoints])
    good_size = 0  # events before this are proven by a checkpoint that matched
    previous: Checkpoint | None = None
    previous_matched = False
    for checkpoint in checkpoints:
        size = checkpoint.tree_size
        matched = size in roots and roots[size].hex() == checkpoint.root_hash
        note = signed(checkpoint).note()
        if checkpoint.key_id != key_id(public) or not signature_ok(
            note, checkpoint.signature, public
        ):
            report.findings.append(
                (size, f"checkpoint {size}: its signature does not verify with the audit key")
            )
        if size not in roots:
            report.findings.append(
                (
                    good_size,
                    f"checkpoint {size}: signed for {size} events, the log has {len(leaves)}",
                )
            )
        elif roots[size].hex() != checkpoint.root_hash:
            report.findings.append(
                (
                    size,
                    f"checkpoint {size}: events #{good_size}..#{size - 1} no longer give its "
                    f"signed root (an event from #{good_size} on was edited, inserted or deleted)",
                )
            )
        else:
            good_size = size
        # Two roots of prefixes of one leaf sequence are consistent by construction, so the
        # O(n) proof is only worth building when one of them did not match.
        if previous is not None and size <= len(leaves) and not (matched and previous_matched):
            proof = merkle.consistency_proof(leaves, previous.tree_size, size)
            old_root = bytes.fromhex(previous.root_hash)
            new_root = bytes.fromhex(checkpoint.root_hash)
            if not merkle.verify_consistency(previous.tree_size, size, old_root, new_root, proof):
                report.findings.append(
                    (
                        previous.tree_size,
                        f"checkpoints {previous.tree_size} and {size} are not consistent "
                        "over the stored events",
                    )
                )
        previous, previous_matched = checkpoint, matched
    last = checkpoints[-1].tree_size if checkpoints else 0
    report.uncovered = max(len(leaves) - last, 0)


def verify_log() -> LogReport:
    report = LogReport(events=0, checkpoints=0, uncovered=0)
    leaves = _check_events(report)
    report.events = len(leaves)
    _check_checkpoints(report, leaves)
    return report
