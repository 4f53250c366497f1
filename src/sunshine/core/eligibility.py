"""Eligibility: the checks, the tiers and the market of one stage, from registry evidence.

    result = assess(policy, Stage.PRIMARY, evidence)
    market = result.market(lottery)          # the pipeline draws the lottery
    for row in check_rows(result): ...       # verification.csv rows, rendered on demand

Rules: docs/policy.md ("Predicate semantics"); verification codes: :mod:`sunshine.core.reasons`;
priority levels: :mod:`sunshine.core.tiers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from string import Formatter
from typing import Any

import numpy as np

from sunshine.core.adjustments import Adjustments, adjust_verified, forced_tiers
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
    adjustments: Adjustments | None = None,
) -> EligibilityResult:
    """Verify every application of ``ev`` (all of one stage) and build its preference list
    with priorities. Pass ``index`` when the zone layer's grid is already built.

    ``as_of`` is the day residence permits must be valid on: the opening of registration.
    Default: 1 May of the school year (:func:`registration_day`).

    ``adjustments`` are the final review rejections and approved overrides to honour
    (:mod:`sunshine.core.adjustments`); the check results stay the registry's."""
    stage = Stage(stage)
    as_of = as_of if as_of is not None else registration_day(policy)
    sp = policy.stage(stage)
    index = index if index is not None else ZoneIndex.build(ev.zones)
    address_zone = index.locate(ev.addresses.lon, ev.addresses.lat)
    verified = verify(policy, stage, ev, address_zone, as_of)
    forced = None
    if adjustments:
        verified = adjust_verified(verified, ev, adjustments)
    lists = build_lists(policy, sp, ev, verified.claimed_zone)
    if adjustments:
        forced = forced_tiers(adjustments, ev, lists.ptr, lists.school)
    serves = ev.zones.serves_keys(len(ev.schools))
    pref_priority, pref_tier, pref_basis = priorities(
        policy, sp, ev, verified, lists, serves, forced_tier=forced
    )
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
    # A waived check no longer excludes; a review rejection has no check code (-1) to show.
    out[verified.eligible] = -1
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
    cols = check_columns(result, None if rows is None else np.fromiter(rows, dtype=np.int64))
    return zip(
        cols["application_id"], cols["check"], cols["result"], cols["zh"], cols["en"], strict=True
    )


def check_columns(
    result: EligibilityResult, rows: np.ndarray | None = None, langs: Sequence[str] = ("zh", "en")
) -> dict[str, list[str]]:
    """The same rows as :func:`check_rows`, as columns, rendered per reason code with numpy
    string arrays rather than per row: a 200k-child city has over two million check rows."""
    n_checks = len(Check)
    rows = np.arange(result.n_applications) if rows is None else np.asarray(rows, np.int64)
    codes = result.reason[rows].ravel()
    texts = {lang: np.empty(len(codes), dtype=object) for lang in langs}
    for reason, at, values in reason_values(result, rows):
        for lang in langs:
            texts[lang][at] = fill(getattr(TEMPLATES[reason], lang), values)
    labels = np.array([c.label for c in Check], dtype=object)
    words = np.array([str(r) for r in RESULT_OF], dtype=object)
    return {
        "application_id": np.repeat(result.application_id[rows], n_checks).tolist(),
        "check": np.tile(labels, len(rows)).tolist(),
        "result": words[codes].tolist(),
        **{lang: column.tolist() for lang, column in texts.items()},
    }


def reason_values(
    result: EligibilityResult, rows: np.ndarray
) -> Iterator[tuple[Reason, np.ndarray, dict[str, Any]]]:
    """Per reason code among the checks of ``rows``: the code, its positions in
    ``result.reason[rows].ravel()`` (ascending) and the values for :func:`fill`: each a
    ``str`` or an object array of str aligned with the positions. Writers render the text
    of a whole group at once, with their own framing (see :func:`fill`)."""
    n_checks = len(Check)
    codes = result.reason[rows].ravel()
    # One stable sort groups the positions of every code (each group stays ascending) rather
    # than one full scan of ``codes`` per code.
    by_code = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=len(Reason))
    ends = np.cumsum(counts).tolist()
    for code in np.flatnonzero(counts).tolist():
        at = by_code[ends[code] - counts[code] : ends[code]]
        template = TEMPLATES[Reason(code)]
        yield (
            Reason(code),
            at,
            _values(result, template.check, rows[at // n_checks], template.has_params),
        )


def _values(
    result: EligibilityResult, check: Check, rows: np.ndarray, has_params: bool
) -> dict[str, Any]:
    values: dict[str, Any] = dict(result.constants)
    if has_params:
        for name, column in result.params.get(check, {}).items():
            values[name] = _show(name, column[rows], result.zone_id)
    return values


def fill(
    template: str, values: dict[str, Any], *, before: str = "", after: str = ""
) -> str | np.ndarray:
    """``before + template.format(**values) + after`` for many rows at once; a value is a str
    or an object array. Without array values the text stays one ``str`` (callers broadcast it).
    ``before`` and ``after`` cost nothing extra: they join the template's first and last
    literal, rather than being added to every row afterwards."""
    out: np.ndarray | None = None  # None until the first array value
    pending = before  # literal text not yet added to ``out``
    for literal, field, _, _ in Formatter().parse(template):
        pending += literal
        if field is None:
            continue
        value = values[field]
        if isinstance(value, str):
            pending += value
            continue
        # Adding a literal to an object array makes n new strings: add each run only once.
        out = pending + value if out is None else (out + pending if pending else out) + value
        pending = ""
    pending += after
    if out is None:
        return pending
    return out + pending if pending else out


def _show(name: str, column: np.ndarray, zone_id: tuple[str, ...]) -> np.ndarray:
    """The strings of one parameter column, as an object array. Columns repeat few values
    (days, shares, counts), so each distinct value is rendered once and then looked up."""
    if name == "zone":
        names = np.array([*zone_id, "—"], dtype=object)
        z = column.astype(np.int64)
        return names[np.where(z >= 0, z, len(zone_id))]
    if np.issubdtype(column.dtype, np.datetime64):
        # Sort the days as integers (NaT is the smallest) so NaT needs no special casing.
        days = column.astype("datetime64[D]")
        keys, inverse = np.unique(days.view(np.int64), return_inverse=True)
        return _render(name, keys.view("datetime64[D]")).astype(object)[inverse]
    keys, inverse = np.unique(column, return_inverse=True)
    return _render(name, keys).astype(object)[inverse]


def _render(name: str, column: np.ndarray) -> np.ndarray:
    if np.issubdtype(column.dtype, np.datetime64):
        return np.where(np.isnat(column), "—", np.datetime_as_string(column, unit="D"))
    if name == "share":
        return np.char.add(np.rint(column.astype(float) * 100).astype(np.int64).astype(str), "%")
    return column.astype(np.int64).astype(str)


__all__ = [
    "NOT_ADMISSIBLE",
    "Basis",
    "CheckRow",
    "EligibilityResult",
    "Kind",
    "assess",
    "check_columns",
    "check_rows",
    "fill",
    "reason_values",
    "registration_day",
]
