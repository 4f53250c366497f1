"""Decisions of people that the engine honours: a final review that rejected an application,
and approved overrides (专人负责、分级审核、相互检查). Pure data and pure functions.

* ``rejected``: applications the second level of review rejected. They are ineligible
  everywhere, exactly like a failed mandatory check.
* ``waived``: checks an approved exception makes count as passed (a late document accepted, a
  failed check waived). A waived check passes *for the claimed home*: the hukou, the residence
  permit and an owned home then count as being at the claimed address (an owned home at its
  registered address when the certificate is in the register); social insurance counts as
  enough months for any rule; ID and age no longer make the child ineligible. Dates stay the
  registry's, so a rule such as ``hukou_since_before`` still needs a registered date.
* ``tiers``: the policy tier an approved tier change sets for one (application, school) entry
  of the child's list: a 0-based tier index, or :data:`NO_TIER`. The priority level follows
  from it by the same rule as an earned tier (:func:`sunshine.core.tiers.priorities`).

Keys are public ids (application and school ids), so the shell never deals in engine rows; an
id that is not in the stage being assessed is ignored. The registry's own check results are
left as they are: what a person decided is shown beside them, never written over them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from sunshine.core.checks import Verified
from sunshine.core.evidence import Evidence
from sunshine.core.reasons import Check, Reason

NO_TIER: Final = -1  # a tier change to "no tier at this school"
KEEP: Final = -2  # no tier change at this entry (the value of a forced-tier array)

# Checks an exception may waive. The others are not facts a document can supply: the zone is
# where the claimed address lies, the parents are the birth record's, vaccination never
# decides admission and preferences are the family's own.
WAIVABLE: Final = (
    Check.ID,
    Check.AGE,
    Check.HUKOU,
    Check.HOME,
    Check.SEAT_LOCK,
    Check.PERMIT,
    Check.SOCIAL_SECURITY,
)
_HOME_OK = (Reason.HOME_GUARDIAN, Reason.HOME_GRANDPARENT)
_ENOUGH_MONTHS = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class Adjustments:
    rejected: frozenset[str] = frozenset()
    waived: Mapping[str, frozenset[Check]] = field(default_factory=dict)
    tiers: Mapping[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for application_id, checks in self.waived.items():
            if not set(checks) <= set(WAIVABLE):
                bad = ", ".join(sorted(c.label for c in set(checks) - set(WAIVABLE)))
                raise ValueError(f"{application_id}: check(s) {bad} cannot be waived")
        for key, tier in self.tiers.items():
            if tier < NO_TIER:
                raise ValueError(f"{key}: tier {tier} is not a tier index")

    def __bool__(self) -> bool:
        return bool(self.rejected or self.waived or self.tiers)


def _rows(application_id: np.ndarray, wanted: Iterable[str]) -> dict[str, int]:
    """Row of each wanted application id present in the stage (few ids, one pass)."""
    ids = set(wanted)
    if not ids:
        return {}
    return {a: i for i, a in enumerate(application_id.tolist()) if a in ids}


def adjust_verified(verified: Verified, ev: Evidence, adj: Adjustments) -> Verified:
    """``verified`` with the final rejections and the waived checks applied."""
    app = ev.applicants
    eligible = verified.eligible.copy()
    hukou = verified.hukou_address.copy()
    home = verified.home_address.copy()
    permit = verified.permit_address.copy()
    months = verified.ss_months.copy()
    reason = verified.reason
    for application_id, row in _rows(app.application_id, adj.waived).items():
        w = adj.waived[application_id]
        claimed = app.claimed_address[row]
        id_ok = Check.ID in w or reason[row, Check.ID] == Reason.ID_OK
        of_age = Check.AGE in w or reason[row, Check.AGE] != Reason.AGE_UNDER
        eligible[row] = id_ok and of_age
        if Check.HUKOU in w:
            hukou[row] = claimed
        if Check.HOME in w or Check.SEAT_LOCK in w:
            owned = Check.HOME in w or reason[row, Check.HOME] in _HOME_OK
            free = Check.SEAT_LOCK in w or reason[row, Check.SEAT_LOCK] != Reason.LOCK_LOCKED
            home[row] = _home_address(ev, row) if owned and free else -1
        if Check.PERMIT in w:
            permit[row] = claimed
        if Check.SOCIAL_SECURITY in w:
            months[row] = _ENOUGH_MONTHS
    rejected = list(_rows(app.application_id, adj.rejected).values())
    eligible[rejected] = False
    return dataclasses.replace(
        verified,
        eligible=eligible,
        hukou_address=hukou,
        home_address=home,
        permit_address=permit,
        ss_months=months,
    )


def _home_address(ev: Evidence, row: int) -> int:
    """The registered address of the claimed certificate, else the claimed address. (A
    certificate has one row per owner, all at one address; few rows are waived, so a scan.)"""
    cert = int(ev.applicants.claimed_certificate[row])
    hits = np.flatnonzero(ev.properties.certificate == cert)
    if cert >= 0 and len(hits):
        return int(ev.properties.address[hits[0]])
    return int(ev.applicants.claimed_address[row])


def forced_tiers(
    adj: Adjustments, ev: Evidence, ptr: np.ndarray, school: np.ndarray
) -> np.ndarray | None:
    """Per entry of the preference lists (CSR ``ptr``/``school``): the tier a change sets, or
    :data:`KEEP`. None when no change concerns this stage. A change naming a school that is not
    in the child's list changes nothing (the services refuse such a request)."""
    rows = _rows(ev.applicants.application_id, (a for a, _ in adj.tiers))
    if not rows:
        return None
    index = {s: i for i, s in enumerate(ev.schools.school_id.tolist())}
    out = np.full(len(school), KEEP, dtype=np.int8)
    for (application_id, school_id), tier in adj.tiers.items():
        row, s = rows.get(application_id), index.get(school_id)
        if row is None or s is None:
            continue
        at = np.flatnonzero(school[ptr[row] : ptr[row + 1]] == s)
        if len(at):
            out[ptr[row] + at[0]] = tier
    return out
