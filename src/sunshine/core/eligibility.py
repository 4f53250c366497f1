"""Eligibility: the checks, the tiers and the market of one stage, from registry evidence.

    result = assess(policy, Stage.PRIMARY, evidence)
    market = result.market(lottery)          # the pipeline draws the lottery
    for row in check_rows(result): ...       # verification.csv rows, rendered on demand

Rules: docs/policy.md ("Predicate semantics"); verification codes: :mod:`sunshine.core.reasons`;
priority levels: :mod:`sunshine.core.tiers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from sunshine.core.checks import Verified, verify
from sunshine.core.evidence import Evidence
from sunshine.core.market import NOT_ADMISSIBLE, Market
from sunshine.core.policy import AdmissionPolicy, Stage
from sunshine.core.reasons import MANDATORY, RESULT_OF, TEMPLATES, Check, Reason, Result
from sunshine.core.tiers import Basis, Kind, build_lists, priorities
from sunshine.core.zoning import OUTSIDE, ZoneIndex

CheckRow = tuple[str, str, str, str, str]  # application_id, check, result, reason_zh, reason_en


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    stage: Stage
    application_id: np.ndarray  # object [n]
    reason: np.ndarray  # int16 [n, len(Check)]: a Reason per (application, check)
    params: dict[Check, dict[str, np.ndarray]]  # template parameters per application
    constants: dict[str, str]  # template parameters fixed by the policy
    zone_id: tuple[str, ...]  # of the stage's layer, for rendering zone indices
    eligible: np.ndarray  # bool [n]: ID valid and matching, of age
    ineligible_reason: np.ndarray  # int16 [n]: the failing mandatory Reason, -1 if eligible
    claimed_zone: np.ndarray  # int32 [n]: zone of the claimed address, -1 outside all
    outside_zone: np.ndarray  # int64: applications whose claimed address is in no zone
    outside_addresses: np.ndarray  # int64: addresses (package rows) in no zone of this stage
    capacity: np.ndarray  # int64 [m]
    is_private: np.ndarray  # bool [m]
    pref_ptr: np.ndarray  # int64 [n + 1]
    pref_school: np.ndarray  # int32 [nnz]
    pref_priority: np.ndarray  # int16 [nnz]: lower is better, NOT_ADMISSIBLE = never
    pref_tier: np.ndarray  # int8 [nnz]: policy tier index earned there, -1 none
    pref_basis: np.ndarray  # int8 [nnz]: a tiers.Basis
    pref_kind: np.ndarray  # int8 [nnz]: a tiers.Kind

    @property
    def n_applications(self) -> int:
        return len(self.application_id)

    def market(self, lottery: np.ndarray) -> Market:
        market = Market(
            capacity=self.capacity,
            is_private=self.is_private,
            pref_ptr=self.pref_ptr,
            pref_school=self.pref_school,
            pref_priority=self.pref_priority,
            lottery=np.asarray(lottery, dtype=np.uint64),
        )
        market.validate()
        return market

    def results(self) -> np.ndarray:
        """Result strings ("pass" | "fail" | "missing") [n, len(Check)]."""
        return np.array([str(r) for r in RESULT_OF], dtype=object)[self.reason]


def assess(
    policy: AdmissionPolicy,
    stage: Stage | str,
    ev: Evidence,
    *,
    index: ZoneIndex | None = None,
    as_of: dt.date | None = None,
) -> EligibilityResult:
    """Verify every application of ``ev`` (all of one stage) and build its preference list
    with priorities. Pass ``index`` when the zone layer's grid is already built.

    ``as_of`` is the day residence permits must be valid on: the opening of registration.
    Default: 1 May of the school year (:func:`registration_day`)."""
    stage = Stage(stage)
    as_of = as_of if as_of is not None else registration_day(policy)
    sp = policy.stage(stage)
    index = index if index is not None else ZoneIndex.build(ev.zones)
    address_zone = index.locate(ev.addresses.lon, ev.addresses.lat)
    verified = verify(policy, stage, ev, address_zone, as_of)
    lists = build_lists(policy, sp, ev, verified.claimed_zone)
    serves = ev.zones.serves_keys(len(ev.schools))
    pref_priority, pref_tier, pref_basis = priorities(policy, sp, ev, verified, lists, serves)
    reason = verified.reason
    reason[:, Check.PREFERENCES] = lists.reason
    return EligibilityResult(
        stage=stage,
        application_id=ev.applicants.application_id,
        reason=reason,
        params=verified.params,
        constants=_constants(policy, stage, as_of),
        zone_id=ev.zones.zone_id,
        eligible=verified.eligible,
        ineligible_reason=_ineligible_reason(verified),
        claimed_zone=verified.claimed_zone,
        outside_zone=np.flatnonzero(verified.claimed_zone == OUTSIDE),
        outside_addresses=np.flatnonzero(address_zone == OUTSIDE),
        capacity=ev.schools.capacity.astype(np.int64),
        is_private=ev.schools.is_private.astype(bool),
        pref_ptr=lists.ptr,
        pref_school=lists.school,
        pref_priority=pref_priority,
        pref_tier=pref_tier,
        pref_basis=pref_basis,
        pref_kind=lists.kind,
    )


def _ineligible_reason(verified: Verified) -> np.ndarray:
    out = np.full(len(verified.eligible), -1, dtype=np.int16)
    for check in reversed(MANDATORY):  # the first mandatory failure wins
        code = verified.reason[:, check]
        failed = np.array([r is Result.FAIL for r in RESULT_OF])[code]
        out[failed] = code[failed]
    return out


def registration_day(policy: AdmissionPolicy) -> dt.date:
    """1 May of the school year: when registration usually opens (the default ``as_of``)."""
    return dt.date(policy.school_year, 5, 1)


def _constants(policy: AdmissionPolicy, stage: Stage, as_of: dt.date) -> dict[str, str]:
    sp = policy.stage(stage)
    return {
        "cutoff": policy.age_cutoff.isoformat(),
        "ref": as_of.isoformat(),
        "age": "" if sp.min_age is None else str(sp.min_age),
        "n": str(policy.preferences_allowed),
    }


def check_rows(result: EligibilityResult, rows: Iterable[int] | None = None) -> Iterator[CheckRow]:
    """(application_id, check, result, reason_zh, reason_en) for every check of the given
    applications (all when ``rows`` is None), in application then check order."""
    static = {r: (TEMPLATES[r].zh, TEMPLATES[r].en) for r in Reason if not TEMPLATES[r].has_params}
    labels = [c.label for c in Check]
    results = [str(r) for r in RESULT_OF]
    selected = range(result.n_applications) if rows is None else rows
    codes = result.reason
    for i in selected:
        app_id = str(result.application_id[i])
        for check in Check:
            code = Reason(int(codes[i, check]))
            text = static.get(code)
            if text is None:
                text = _render(result, check, code, i)
            yield app_id, labels[check], results[code], text[0], text[1]


def _render(result: EligibilityResult, check: Check, code: Reason, i: int) -> tuple[str, str]:
    values: dict[str, Any] = dict(result.constants)
    for name, column in result.params.get(check, {}).items():
        values[name] = _show(name, column[i], result.zone_id)
    template = TEMPLATES[code]
    return template.zh.format(**values), template.en.format(**values)


def _show(name: str, value: Any, zone_id: tuple[str, ...]) -> str:
    if isinstance(value, np.datetime64):
        return "—" if np.isnat(value) else str(value.astype("datetime64[D]"))
    if name == "share":
        return f"{float(value):.0%}"
    if name == "zone":
        return zone_id[int(value)] if int(value) >= 0 else "—"
    return str(int(value))


__all__ = [
    "NOT_ADMISSIBLE",
    "Basis",
    "CheckRow",
    "EligibilityResult",
    "Kind",
    "assess",
    "check_rows",
    "registration_day",
]
