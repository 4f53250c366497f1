"""The ceremony's steps. Each is one function that owns its transaction, takes ``actor=``
keyword-only, checks the state machine, and appends its audit event in that transaction.

    frozen --announce--> announced --(inputs)--draw--> drawn --publish--> published
                             ^                          |
                             +--------- redraw ---------+
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from sunshine.accounts.models import Role
from sunshine.admissions.models import Application, Season
from sunshine.audit.services import Actor, actor_ref, record_event
from sunshine.ceremony.errors import (
    InvalidInput,
    MissingInputs,
    NotPermitted,
    WrongState,
)
from sunshine.ceremony.models import Ceremony, Redraw, WitnessInput
from sunshine.core.lottery import Beacon, LotteryError, Witness, check_text, derive_seed
from sunshine.core.lottery import draw as core_draw
from sunshine.core.lottery import freeze_pool as core_freeze_pool
from sunshine.core.lottery_transcript import Transcript

State = Ceremony.State
# Who may type a witness input. A parent representative gets an account with the "witness"
# role; an ordinary parent account may not, or any family could enter the draw.
WITNESS_ROLES = frozenset({Role.NOTARY, Role.WITNESS, Role.INSPECTOR})
# Who runs the ceremony's other steps: the bureau's administrator, or the CLI/system (a str).
OPERATOR_ROLES = frozenset({Role.BUREAU_ADMIN})

__all__ = [
    "add_witness_input",
    "announce",
    "draw",
    "enter_beacon",
    "freeze_pool",
    "publish",
    "redraw",
]


def _require_operator(actor: Actor, step: str) -> None:
    if not isinstance(actor, str) and getattr(actor, "role", None) not in OPERATOR_ROLES:
        raise NotPermitted(f"{actor_ref(actor)} may not {step}: only a bureau administrator may")


def _lock(ceremony: Ceremony, step: str, *allowed: str) -> Ceremony:
    locked = Ceremony.objects.select_for_update().get(pk=ceremony.pk)
    if locked.state not in allowed:
        raise WrongState(step, locked.state, allowed)
    return locked


def _refresh(ceremony: Ceremony) -> Ceremony:
    # The caller keeps its object; give it the committed values.
    ceremony.refresh_from_db()
    return ceremony


def _check(value: str, what: str) -> str:
    try:
        return check_text(value, what)
    except LotteryError as e:
        raise InvalidInput(str(e)) from None


def freeze_pool(season: Season, *, actor: Actor, label: str) -> Ceremony:
    """Freeze the season's applications as the pool to be drawn and publish its fingerprint."""
    _require_operator(actor, "freeze a pool")
    label = _check(label, "label")
    with transaction.atomic():
        locked = Season.objects.select_for_update().get(pk=season.pk)
        rows = list(
            Application.objects.filter(season=locked)
            .order_by("code")
            .values_list("code", "sibling_codes")
        )
        if not rows:
            raise InvalidInput(f"season {locked} has no applications to draw")
        try:
            pool, _ = core_freeze_pool([r[0] for r in rows], [r[1] or () for r in rows])
        except LotteryError as e:
            raise InvalidInput(str(e)) from None
        from sunshine.provenance import program_sha256

        ceremony = Ceremony.objects.create(
            season=locked,
            label=label,
            state=State.FROZEN,
            pool_ids=list(pool.ids),
            pool_groups=[list(g) for g in pool.groups],
            pool_fingerprint=pool.fingerprint(),
            policy_digest=hashlib.sha256(locked.policy_toml.encode("utf-8")).hexdigest(),
            program_digest=program_sha256(),
            frozen_at=timezone.now(),
        )
        record_event(
            actor=actor,
            action="ceremony.frozen",
            object_type="ceremony",
            object_id=str(ceremony.pk),
            detail={
                "season": locked.pk,
                "label": label,
                "pool_fingerprint": ceremony.pool_fingerprint,
                "pool_size": len(pool),
                "policy_digest": ceremony.policy_digest,
                "program_digest": ceremony.program_digest,
            },
        )
    return ceremony


def announce(
    ceremony: Ceremony,
    *,
    actor: Actor,
    witness_roles: list[str],
    beacon_source: str = "",
    beacon_round: int | None = None,
) -> Ceremony:
    """The commit step: name, before the draw, every input the seed will be derived from."""
    _require_operator(actor, "announce a ceremony")
    roles = [_check(r, "witness role") for r in witness_roles]
    if len(set(roles)) != len(roles):
        raise InvalidInput("a witness role is announced twice")
    if bool(beacon_source) != (beacon_round is not None):
        raise InvalidInput("a beacon needs both its source and its round")
    if beacon_source:
        _check(beacon_source, "beacon source")
        if isinstance(beacon_round, bool) or not isinstance(beacon_round, int) or beacon_round < 0:
            raise InvalidInput(f"beacon round must be a whole number >= 0, got {beacon_round!r}")
    if not roles and not beacon_source:
        raise InvalidInput("announce at least one witness role or a beacon")
    with transaction.atomic():
        locked = _lock(ceremony, "announce", State.FROZEN)
        locked.witness_roles = sorted(roles)
        locked.beacon_source = beacon_source
        locked.beacon_round = beacon_round
        locked.announced_at = timezone.now()
        locked.state = State.ANNOUNCED
        locked.save()
        record_event(
            actor=actor,
            action="ceremony.announced",
            object_type="ceremony",
            object_id=str(locked.pk),
            detail={
                "witness_roles": locked.witness_roles,
                "beacon": {"source": beacon_source, "round": beacon_round}
                if beacon_source
                else None,
            },
        )
    return _refresh(ceremony)


def add_witness_input(
    ceremony: Ceremony, *, actor: Actor, role: str, name: str, value: str
) -> WitnessInput:
    """A witness types a value for an announced role (once per role, before the draw)."""
    if isinstance(actor, str) or getattr(actor, "role", None) not in WITNESS_ROLES:
        raise NotPermitted(
            f"{actor_ref(actor)} may not enter a witness input: "
            "only a notary, a witness (e.g. a parent representative) or an inspector may"
        )
    try:
        Witness(role, name, value)
    except LotteryError as e:
        raise InvalidInput(str(e)) from None
    with transaction.atomic():
        locked = _lock(ceremony, "enter a witness input", State.ANNOUNCED)
        if role not in locked.witness_roles:
            raise InvalidInput(
                f"role {role!r} was not announced ({', '.join(locked.witness_roles)})"
            )
        if locked.inputs.filter(role=role).exists():
            raise InvalidInput(f"the input for role {role!r} has already been entered")
        entry = WitnessInput.objects.create(
            ceremony=locked,
            role=role,
            name=name,
            value=value,
            entered_by=actor,
            entered_at=timezone.now(),
        )
        # The value itself stays out of the log until the transcript publishes it.
        record_event(
            actor=actor,
            action="ceremony.witness_input",
            object_type="ceremony",
            object_id=str(locked.pk),
            after={"role": role, "name": name, "value": value},
            detail={"role": role, "name": name},
        )
    return entry


def enter_beacon(ceremony: Ceremony, *, actor: Actor, value: str) -> Ceremony:
    """The announced beacon round's published value (lowercase hex)."""
    _require_operator(actor, "enter a beacon value")
    with transaction.atomic():
        locked = _lock(ceremony, "enter a beacon value", State.ANNOUNCED)
        if not locked.beacon_source or locked.beacon_round is None:
            raise InvalidInput("no beacon was announced for this ceremony")
        if locked.beacon_value:
            raise InvalidInput("the beacon value has already been entered")
        try:
            Beacon(locked.beacon_source, locked.beacon_round, value)
        except LotteryError as e:
            raise InvalidInput(str(e)) from None
        locked.beacon_value = value
        locked.save(update_fields=["beacon_value"])
        record_event(
            actor=actor,
            action="ceremony.beacon",
            object_type="ceremony",
            object_id=str(locked.pk),
            detail={"source": locked.beacon_source, "round": locked.beacon_round, "value": value},
        )
    return _refresh(ceremony)


def _missing(ceremony: Ceremony) -> list[str]:
    entered = set(ceremony.inputs.values_list("role", flat=True))
    missing = [f"witness {r}" for r in ceremony.witness_roles if r not in entered]
    if ceremony.beacon_source and not ceremony.beacon_value:
        missing.append(f"beacon {ceremony.beacon_source} round {ceremony.beacon_round}")
    return missing


def draw(ceremony: Ceremony, *, actor: Actor) -> Ceremony:
    """Derive the seed from the announced inputs and draw over the frozen pool."""
    _require_operator(actor, "draw")
    with transaction.atomic():
        locked = _lock(ceremony, "draw", State.ANNOUNCED)
        missing = _missing(locked)
        if missing:
            raise MissingInputs(missing)
        pool = locked.pool()
        if pool.fingerprint() != locked.pool_fingerprint:
            raise InvalidInput("the stored pool no longer has its published fingerprint")
        inputs = locked.seed_inputs()
        transcript = Transcript.from_draw(inputs, core_draw(pool, derive_seed(inputs)))
        data = transcript.to_json()
        locked.seed = transcript.seed
        locked.transcript = data.decode("utf-8")
        locked.drawn_at = timezone.now()
        locked.state = State.DRAWN
        locked.save()
        record_event(
            actor=actor,
            action="ceremony.drawn",
            object_type="ceremony",
            object_id=str(locked.pk),
            detail={
                "seed": transcript.seed,
                "transcript_sha256": hashlib.sha256(data).hexdigest(),
                "witnesses": [w.role + ":" + w.name for w in inputs.witnesses],
            },
        )
    return _refresh(ceremony)


def redraw(ceremony: Ceremony, *, actor: Actor, reason: str, approver: Actor) -> Redraw:
    """Set a draw aside (before publication) and go back to collecting fresh inputs.

    The old transcript is kept; the label gains "redraw N" so the new seed differs even if the
    witnesses typed the same values again."""
    _require_operator(actor, "order a redraw")
    _require_operator(approver, "approve a redraw")
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput("a redraw needs a reason")
    who, second = actor_ref(actor), actor_ref(approver)
    if who == second:
        raise NotPermitted("a redraw needs a second person: the approver must not be the actor")
    with transaction.atomic():
        locked = _lock(ceremony, "redraw", State.DRAWN)
        number = locked.redraws.count() + 1
        entry = Redraw.objects.create(
            ceremony=locked,
            number=number,
            reason=reason.strip(),
            actor=who,
            approver=second,
            previous_seed=locked.seed,
            previous_transcript=locked.transcript,
            at=timezone.now(),
        )
        before: dict[str, Any] = {"seed": locked.seed, "label": locked.label}
        locked.inputs.all().delete()
        base = locked.label.split(" · redraw ")[0]
        locked.label = f"{base} · redraw {number}"
        locked.beacon_value = ""
        locked.seed = ""
        locked.transcript = ""
        locked.drawn_at = None
        locked.state = State.ANNOUNCED
        locked.save()
        record_event(
            actor=actor,
            action="ceremony.redraw",
            object_type="ceremony",
            object_id=str(locked.pk),
            before=before,
            detail={
                "redraw": number,
                "reason": entry.reason,
                "approver": second,
                "previous_seed": entry.previous_seed,
                "label": locked.label,
            },
        )
    _refresh(ceremony)
    return entry


def publish(ceremony: Ceremony, *, actor: Actor) -> Ceremony:
    """Publish the transcript: from now on the public pages show the seed and every number."""
    _require_operator(actor, "publish")
    with transaction.atomic():
        locked = _lock(ceremony, "publish", State.DRAWN)
        locked.published_at = timezone.now()
        locked.state = State.PUBLISHED
        locked.save(update_fields=["published_at", "state"])
        record_event(
            actor=actor,
            action="ceremony.published",
            object_type="ceremony",
            object_id=str(locked.pk),
            detail={
                "seed": locked.seed,
                "transcript_sha256": hashlib.sha256(locked.transcript.encode()).hexdigest(),
            },
        )
    return _refresh(ceremony)
