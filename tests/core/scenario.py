"""A small builder of hand-made eligibility scenarios: names in, factorised Evidence out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import shapely

from sunshine.core.evidence import (
    PRIORITY_GROUP_CODES,
    SPECIAL_NEED_CODES,
    Addresses,
    Applicants,
    Births,
    Evidence,
    Households,
    Permits,
    Properties,
    Relation,
    SchoolSet,
    SeatUsage,
    SocialSecurity,
    Vaccinations,
)
from sunshine.core.ids import complete_ids
from sunshine.core.policy import (
    AdmissionPolicy,
    Predicate,
    PriorityGroup,
    PriorityGroupRule,
    SpecialNeed,
    Stage,
    StagePolicy,
    Tier,
)
from sunshine.core.zoning import zone_layer

D = dt.date
BORN = D(2020, 3, 1)
ACQUIRED = D(2019, 1, 1)


def tier(name: str, **predicates: bool | int | dt.date) -> Tier:
    return Tier(name, tuple(Predicate(k, v) for k, v in predicates.items()))


STANDARD_TIERS = (
    tier("房户一致", hukou_home_same_address=True, hukou_since_before=D(2025, 8, 31)),
    tier("户籍", hukou_in_zone=True),
    tier("房产", owns_home_in_zone=True),
    tier("居住证+社保", residence_permit_in_zone=True, social_security_months_at_least=12),
)


def policy(
    tiers: Sequence[Tier] = STANDARD_TIERS,
    *,
    rule: PriorityGroupRule = PriorityGroupRule.ABOVE_ALL_TIERS,
    grandparents: bool = False,
    use_feeders: bool = False,
    preferences_allowed: int = 3,
    seat_lock_years: int = 6,
) -> AdmissionPolicy:
    stages = {
        Stage.PRIMARY: StagePolicy(Stage.PRIMARY, tuple(tiers), seat_lock_years, 45, 6),
        Stage.JUNIOR: StagePolicy(Stage.JUNIOR, tuple(tiers), 3, 50, None, use_feeders=use_feeders),
    }
    return AdmissionPolicy(
        region_code="330199",
        region_name="示范县",
        school_year=2026,
        age_cutoff=D(2026, 8, 31),
        stages=stages,
        preferences_allowed=preferences_allowed,
        allow_grandparent_home=grandparents,
        priority_group_rule=rule,
        priority_groups=(
            PriorityGroup.MARTYR,
            PriorityGroup.MILITARY,
            PriorityGroup.POLICE,
            PriorityGroup.TALENT,
        ),
    )


def id_number(birth: dt.date, seq: int) -> str:
    return str(complete_ids(np.array([f"330199{birth:%Y%m%d}{seq % 1000:03d}"]))[0])


def _dates(values: list[dt.date | None]) -> np.ndarray:
    return np.array([np.datetime64(v, "D") if v else "NaT" for v in values], dtype="datetime64[D]")


@dataclass
class App:
    id: str
    child: str
    born: dt.date
    guardians: list[str]
    address: str
    cert: str | None
    prefs: list[str]
    private: str | None
    group: PriorityGroup | None
    need: SpecialNeed | None
    feeder: str | None
    idno: str


@dataclass
class Scenario:
    """Two adjacent square zones by default: A = [0,1]x[0,1] serving school a1 (and a2),
    B = [1,2]x[0,1] serving b1; private school p1 county-wide."""

    persons: dict[str, int] = field(default_factory=dict)
    addr: dict[str, tuple[float, float]] = field(default_factory=dict)
    schools: list[tuple[str, bool, float, float, int]] = field(default_factory=list)
    zones: list[tuple[str, object, list[str]]] = field(default_factory=list)
    households: list[tuple[str, str, str, dt.date, Relation]] = field(default_factory=list)
    properties: list[tuple[str, str, str, float, dt.date]] = field(default_factory=list)
    permits: list[tuple[str, str, dt.date, dt.date]] = field(default_factory=list)
    ss: list[tuple[str, int, dt.date]] = field(default_factory=list)
    births: list[tuple[str, dt.date, str | None, str | None]] = field(default_factory=list)
    vax: list[tuple[str, bool]] = field(default_factory=list)
    usage: list[tuple[str, int, str]] = field(default_factory=list)
    apps: list[App] = field(default_factory=list)
    certs: dict[str, int] = field(default_factory=dict)

    @classmethod
    def two_zones(cls) -> Scenario:
        s = cls()
        s.schools += [
            ("a1", False, 0.5, 0.5, 45),
            ("a2", False, 0.9, 0.9, 45),
            ("b1", False, 1.5, 0.5, 45),
            ("p1", True, 1.0, 0.2, 45),
        ]
        s.zones += [
            ("A", shapely.box(0, 0, 1, 1), ["a1", "a2"]),
            ("B", shapely.box(1, 0, 2, 1), ["b1"]),
        ]
        s.addr.update(
            {
                "inA": (0.3, 0.3),
                "inA2": (0.6, 0.7),
                "inB": (1.5, 0.5),
                "border": (1.0, 0.5),
                "far": (5.0, 5.0),
            }
        )
        return s

    def pid(self, name: str | None) -> int:
        if name is None:
            return -1
        return self.persons.setdefault(name, len(self.persons))

    def family(
        self,
        child: str,
        *,
        born: dt.date = BORN,
        address: str = "inA",
        since: dt.date = BORN,
        home: str | None = "default",
        share: float = 1.0,
        acquired: dt.date = ACQUIRED,
        vaccinated: bool = True,
    ) -> None:
        """A typical local family: parents M-child and F-child, hukou and owned home at
        ``address`` (home certificate ``home``), birth record, vaccination."""
        mother, father = f"M-{child}", f"F-{child}"
        hh = f"HH-{child}"
        self.births.append((child, born, mother, father))
        self.households += [
            (father, hh, address, since, Relation.HEAD),
            (mother, hh, address, since, Relation.SPOUSE),
            (child, hh, address, since, Relation.CHILD),
        ]
        if home is not None:
            cert = f"H-{child}" if home == "default" else home
            self.properties.append((cert, address, father, share, acquired))
        self.vax.append((child, vaccinated))

    def apply(
        self,
        app_id: str,
        child: str,
        *,
        born: dt.date = BORN,
        guardians: Sequence[str] | None = None,
        address: str = "inA",
        cert: str | None = "default",
        prefs: Sequence[str] = ("a1",),
        private: str | None = None,
        group: PriorityGroup | None = None,
        need: SpecialNeed | None = None,
        feeder: str | None = None,
        id_override: str | None = None,
    ) -> None:
        self.apps.append(
            App(
                id=app_id,
                child=child,
                born=born,
                guardians=list(guardians)
                if guardians is not None
                else [f"M-{child}", f"F-{child}"],
                address=address,
                cert=f"H-{child}" if cert == "default" else cert,
                prefs=list(prefs),
                private=private,
                group=group,
                need=need,
                feeder=feeder,
                idno=id_override or id_number(born, len(self.apps) + 1),
            )
        )

    def cert(self, name: str | None) -> int:
        if name is None:
            return -1
        return self.certs.setdefault(name, len(self.certs))

    def evidence(self, stage_schools: Sequence[str] | None = None) -> Evidence:
        school_ids = [s[0] for s in self.schools]
        sidx = {s: i for i, s in enumerate(school_ids)}
        aidx = {a: i for i, a in enumerate(self.addr)}
        apps = self.apps
        gptr: np.ndarray = np.cumsum([0] + [len(a.guardians) for a in apps])
        pptr: np.ndarray = np.cumsum([0] + [len(a.prefs) for a in apps])
        applicants = Applicants(
            application_id=np.array([a.id for a in apps], dtype=object),
            id_number=np.array([a.idno for a in apps], dtype=object),
            child=np.array([self.pid(a.child) for a in apps], dtype=np.int32),
            birth_date=_dates([a.born for a in apps]),
            guardian_ptr=gptr.astype(np.int64),
            guardian=np.array(
                [self.pid(g) for a in apps for g in a.guardians],
                dtype=np.int32,
            ),
            claimed_address=np.array([aidx[a.address] for a in apps], dtype=np.int32),
            claimed_certificate=np.array([self.cert(a.cert) for a in apps], dtype=np.int32),
            pref_ptr=pptr.astype(np.int64),
            pref_school=np.array(
                [sidx.get(p, -1) for a in apps for p in a.prefs],
                dtype=np.int32,
            ),
            private_school=np.array(
                [sidx.get(a.private, -2) if a.private else -1 for a in apps],
                dtype=np.int32,
            ),
            priority_group=np.array(
                [PRIORITY_GROUP_CODES.index(a.group) if a.group else -1 for a in apps],
                dtype=np.int8,
            ),
            special_need=np.array(
                [SPECIAL_NEED_CODES.index(a.need) if a.need else -1 for a in apps],
                dtype=np.int8,
            ),
            feeder_school=np.array(
                [sidx[a.feeder] if a.feeder else -1 for a in apps],
                dtype=np.int32,
            ),
        )
        xy = np.array(list(self.addr.values()), dtype=np.float64).reshape(-1, 2)
        h, p, pm, ss, b, v, u = (
            self.households,
            self.properties,
            self.permits,
            self.ss,
            self.births,
            self.vax,
            self.usage,
        )
        return Evidence(
            applicants=applicants,
            addresses=Addresses(xy[:, 0].copy(), xy[:, 1].copy()),
            households=Households(
                np.array([self.pid(r[0]) for r in h], np.int32),
                np.array([self.pid(r[1]) for r in h], np.int32),
                np.array([aidx[r[2]] for r in h], np.int32),
                _dates([r[3] for r in h]),
                np.array([int(r[4]) for r in h], np.int8),
            ),
            properties=Properties(
                np.array([self.cert(r[0]) for r in p], np.int32),
                np.array([aidx[r[1]] for r in p], np.int32),
                np.array([self.pid(r[2]) for r in p], np.int32),
                np.array([r[3] for r in p], np.float64),
                _dates([r[4] for r in p]),
            ),
            permits=Permits(
                np.array([self.pid(r[0]) for r in pm], np.int32),
                np.array([aidx[r[1]] for r in pm], np.int32),
                _dates([r[2] for r in pm]),
                _dates([r[3] for r in pm]),
            ),
            social_security=SocialSecurity(
                np.array([self.pid(r[0]) for r in ss], np.int32),
                np.array([r[1] for r in ss], np.int64),
                _dates([r[2] for r in ss]),
            ),
            births=Births(
                np.array([self.pid(r[0]) for r in b], np.int32),
                _dates([r[1] for r in b]),
                np.array([self.pid(r[2]) for r in b], np.int32),
                np.array([self.pid(r[3]) for r in b], np.int32),
            ),
            vaccinations=Vaccinations(
                np.array([self.pid(r[0]) for r in v], np.int32), np.array([r[1] for r in v], bool)
            ),
            seat_usage=SeatUsage(
                np.array([self.cert(r[0]) for r in u], np.int32),
                np.array([r[1] for r in u], np.int64),
                np.array([self.pid(r[2]) for r in u], np.int32),
            ),
            schools=SchoolSet(
                np.array(school_ids, dtype=object),
                np.array([s[4] for s in self.schools], np.int64),
                np.array([s[1] for s in self.schools], bool),
                np.array([s[2] for s in self.schools], np.float64),
                np.array([s[3] for s in self.schools], np.float64),
            ),
            zones=zone_layer(
                [z[0] for z in self.zones],
                [z[1] for z in self.zones],
                [[sidx[s] for s in z[2]] for z in self.zones],
            ),
        )


def shuffled(ev: Evidence, perm: np.ndarray) -> Evidence:
    """The same evidence with the applications in another row order."""
    a = ev.applicants
    gptr, gflat = _permute_csr(a.guardian_ptr, a.guardian, perm)
    pptr, pflat = _permute_csr(a.pref_ptr, a.pref_school, perm)
    return replace(
        ev,
        applicants=replace(
            a,
            application_id=a.application_id[perm],
            id_number=a.id_number[perm],
            child=a.child[perm],
            birth_date=a.birth_date[perm],
            guardian_ptr=gptr,
            guardian=gflat,
            claimed_address=a.claimed_address[perm],
            claimed_certificate=a.claimed_certificate[perm],
            pref_ptr=pptr,
            pref_school=pflat,
            private_school=a.private_school[perm],
            priority_group=a.priority_group[perm],
            special_need=a.special_need[perm],
            feeder_school=a.feeder_school[perm],
        ),
    )


def _permute_csr(
    ptr: np.ndarray, flat: np.ndarray, perm: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    rows = [flat[ptr[i] : ptr[i + 1]] for i in perm]
    new_ptr = np.concatenate(([0], np.cumsum([len(r) for r in rows]))).astype(np.int64)
    new_flat = np.concatenate(rows).astype(flat.dtype) if rows else flat[:0]
    return new_ptr, new_flat
