"""DataPackage -> the factorised numpy inputs of :mod:`sunshine.core.eligibility`.

Every identifier becomes a small integer: people share one code space across all tables (a
guardian's ID number in ``applications`` and the owner's in ``properties`` get the same code),
addresses are their row in ``addresses``, schools their index among the stage's schools, and
certificates share a code space across ``properties``, ``seat_usage`` and the applications.
Empty optional cells become -1. A code is the position of the id's first occurrence in its
code space (registries first, then each stage's applications), so the same package always gives
the same codes; :mod:`sunshine.datasets.factorize` finds them in bulk.

Per stage: only that stage's applications, schools, zones and seat-usage rows are kept; a
listed school of the other stage gets -1 (eligibility reports it and ignores it).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely.geometry

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
from sunshine.core.policy import Stage
from sunshine.core.zoning import ZoneLayer, zone_layer
from sunshine.datasets.factorize import shared_codes
from sunshine.datasets.package import DataPackage


class ToCoreError(ValueError):
    """A package the engine cannot use although it passed validation (e.g. a zone naming a
    school of the other stage)."""


@dataclass(frozen=True, slots=True)
class StageInputs:
    stage: Stage
    evidence: Evidence
    application_rows: np.ndarray  # int64: row in ``applications`` of each market application
    school_rows: np.ndarray  # int64: row in ``schools`` of each market school


def stage_inputs(pkg: DataPackage) -> dict[Stage, StageInputs]:
    """The inputs of every stage the policy configures."""
    stages = pkg.policy.stages
    apps, usage = pkg["applications"], pkg["seat_usage"]
    rows = {s: np.flatnonzero(apps["stage"] == s.value) for s in stages}
    u_rows = {s: np.flatnonzero(usage["stage"] == s.value) for s in stages}
    guardians = {s: apps["guardian_ids"][rows[s]] for s in stages}
    coded = _code(pkg, stages, rows, u_rows, guardians)
    shared = _shared(pkg, coded.shared)
    return {
        stage: _stage(pkg, stage, rows[stage], u_rows[stage], coded.per_stage[stage], shared)
        for stage in stages
    }


@dataclass(frozen=True, slots=True)
class _StageCodes:
    child: np.ndarray
    guardian_ptr: np.ndarray
    guardian: np.ndarray
    claimed_address: np.ndarray
    claimed_certificate: np.ndarray
    usage_child: np.ndarray
    usage_certificate: np.ndarray


@dataclass(frozen=True, slots=True)
class _Coded:
    shared: dict[str, np.ndarray]  # "table.column" -> codes
    per_stage: dict[Stage, _StageCodes]


_SHARED_PEOPLE = (
    ("households", "person_id"),
    ("properties", "owner_id"),
    ("residence_permits", "person_id"),
    ("social_security", "person_id"),
    ("births", "child_id"),
    ("births", "mother_id"),
    ("births", "father_id"),
    ("vaccinations", "child_id"),
)
_SHARED_ADDRESSES = (
    ("households", "address_id"),
    ("properties", "address_id"),
    ("residence_permits", "address_id"),
)


def _code(
    pkg: DataPackage,
    stages: Iterable[Stage],
    rows: dict[Stage, np.ndarray],
    u_rows: dict[Stage, np.ndarray],
    guardians: dict[Stage, np.ndarray],
) -> _Coded:
    """Every id column coded at once, one pass per code space (people, certificates, addresses,
    households); each space lists the registries first, then each stage's applications."""
    apps, usage = pkg["applications"], pkg["seat_usage"]
    stages = tuple(stages)
    flat = {
        s: np.fromiter(
            itertools.chain.from_iterable(guardians[s].tolist()),
            dtype=object,
            count=sum(map(len, guardians[s].tolist())),
        )
        for s in stages
    }
    people = shared_codes(
        [pkg[t][c] for t, c in _SHARED_PEOPLE]
        + [
            piece
            for s in stages
            for piece in (apps["child_id"][rows[s]], flat[s], usage["child_id"][u_rows[s]])
        ]
    )
    certs = shared_codes(
        [pkg["properties"]["certificate_no"]]
        + [
            piece
            for s in stages
            for piece in (
                apps["claimed_certificate_no"][rows[s]],
                usage["certificate_no"][u_rows[s]],
            )
        ]
    )
    address_ids = pkg["addresses"]["address_id"]
    addresses = [
        np.where(c < len(address_ids), c, -1).astype(np.int32)
        for c in shared_codes(
            [address_ids]
            + [pkg[t][c] for t, c in _SHARED_ADDRESSES]
            + [apps["claimed_address_id"][rows[s]] for s in stages]
        )[1:]
    ]
    shared = dict(zip((f"{t}.{c}" for t, c in _SHARED_PEOPLE), people, strict=False))
    shared |= dict(zip((f"{t}.{c}" for t, c in _SHARED_ADDRESSES), addresses, strict=False))
    shared["properties.certificate_no"] = certs[0]
    shared["households.household_id"] = shared_codes([pkg["households"]["household_id"]])[0]
    k, a = len(_SHARED_PEOPLE), len(_SHARED_ADDRESSES)
    per_stage = {
        s: _StageCodes(
            child=people[k + 3 * i],
            guardian_ptr=_ptr(guardians[s].tolist()),
            guardian=people[k + 3 * i + 1],
            claimed_address=addresses[a + i],
            claimed_certificate=certs[1 + 2 * i],
            usage_child=people[k + 3 * i + 2],
            usage_certificate=certs[2 + 2 * i],
        )
        for i, s in enumerate(stages)
    }
    return _Coded(shared, per_stage)


@dataclass(frozen=True, slots=True)
class _Shared:
    addresses: Addresses
    households: Households
    properties: Properties
    permits: Permits
    social_security: SocialSecurity
    births: Births
    vaccinations: Vaccinations


def _shared(pkg: DataPackage, codes: dict[str, np.ndarray]) -> _Shared:
    hh, pr, pm, ss = (
        pkg["households"],
        pkg["properties"],
        pkg["residence_permits"],
        pkg["social_security"],
    )
    births, vax = pkg["births"], pkg["vaccinations"]
    relation = {r.name.lower(): int(r) for r in Relation}
    return _Shared(
        addresses=Addresses(
            pkg["addresses"]["lon"].astype(np.float64), pkg["addresses"]["lat"].astype(np.float64)
        ),
        households=Households(
            codes["households.person_id"],
            codes["households.household_id"],
            codes["households.address_id"],
            hh["registered_on"],
            np.fromiter(map(relation.__getitem__, hh["relation"].tolist()), np.int8, len(hh)),
        ),
        properties=Properties(
            codes["properties.certificate_no"],
            codes["properties.address_id"],
            codes["properties.owner_id"],
            pr["share"].astype(np.float64),
            pr["acquired_on"],
        ),
        permits=Permits(
            codes["residence_permits.person_id"],
            codes["residence_permits.address_id"],
            pm["issued_on"],
            pm["valid_until"],
        ),
        social_security=SocialSecurity(
            codes["social_security.person_id"], ss["months_continuous"], ss["as_of"]
        ),
        births=Births(
            codes["births.child_id"],
            births["birth_date"],
            codes["births.mother_id"],
            codes["births.father_id"],
        ),
        vaccinations=Vaccinations(codes["vaccinations.child_id"], vax["complete"].astype(bool)),
    )


def _stage(
    pkg: DataPackage,
    stage: Stage,
    rows: np.ndarray,
    u_rows: np.ndarray,
    codes: _StageCodes,
    shared: _Shared,
) -> StageInputs:
    schools = pkg["schools"]
    school_rows = np.flatnonzero(schools["stage"] == stage.value)
    school_ids = schools["school_id"].tolist()
    local = {school_ids[r]: i for i, r in enumerate(school_rows.tolist())}
    # what each school id means in a cell: a listed or private school, and whom it feeds
    feeds = dict(
        zip(
            school_ids,
            map(local.get, schools["feeds_school_id"].tolist(), itertools.repeat(-1)),
            strict=True,
        )
    )
    private = {**local, "": -1}
    school_set = SchoolSet(
        school_id=schools["school_id"][school_rows],
        capacity=schools["plan_seats"][school_rows].astype(np.int64),
        is_private=schools["kind"][school_rows] == "private",
        lon=schools["lon"][school_rows].astype(np.float64),
        lat=schools["lat"][school_rows].astype(np.float64),
    )
    apps = pkg["applications"]
    n = len(rows)

    def col(name: str) -> np.ndarray:
        return np.asarray(apps[name][rows])

    def coded(name: str, index: dict[str, int], missing: int, dtype: type) -> np.ndarray:
        return np.fromiter(map(index.get, col(name).tolist(), itertools.repeat(missing)), dtype, n)

    prefs = col("preferences").tolist()
    groups = {g.value: i for i, g in enumerate(PRIORITY_GROUP_CODES)}
    needs = {s.value: i for i, s in enumerate(SPECIAL_NEED_CODES)}
    pref_ptr = _ptr(prefs)
    applicants = Applicants(
        application_id=col("application_id"),
        id_number=col("child_id"),
        child=codes.child,
        birth_date=col("birth_date"),
        guardian_ptr=codes.guardian_ptr,
        guardian=codes.guardian,
        claimed_address=codes.claimed_address,
        claimed_certificate=codes.claimed_certificate,
        pref_ptr=pref_ptr,
        pref_school=np.fromiter(
            map(local.get, itertools.chain.from_iterable(prefs), itertools.repeat(-1)),
            dtype=np.int32,
            count=int(pref_ptr[-1]),
        ),
        private_school=coded("private_school_id", private, -2, np.int32),
        priority_group=coded("priority_group", groups, -1, np.int8),
        special_need=coded("special_needs", needs, -1, np.int8),
        feeder_school=coded("current_school_id", feeds, -1, np.int32),
    )
    usage = pkg["seat_usage"]
    seat_usage = SeatUsage(
        codes.usage_certificate, usage["year"][u_rows].astype(np.int64), codes.usage_child
    )
    evidence = Evidence(
        applicants=applicants,
        addresses=shared.addresses,
        households=shared.households,
        properties=shared.properties,
        permits=shared.permits,
        social_security=shared.social_security,
        births=shared.births,
        vaccinations=shared.vaccinations,
        seat_usage=seat_usage,
        schools=school_set,
        zones=_zones(pkg, stage, local),
    )
    return StageInputs(stage, evidence, rows.astype(np.int64), school_rows.astype(np.int64))


def _zones(pkg: DataPackage, stage: Stage, local: dict[str, int]) -> ZoneLayer:
    ids, geoms, schools = [], [], []
    for zone in pkg.zones:
        if zone.stage != stage.value:
            continue
        unknown = [s for s in zone.school_ids if s not in local]
        if unknown:
            raise ToCoreError(
                f"zone {zone.zone_id!r} ({stage.value}) names {unknown[0]!r}, "
                f"which is not a {stage.value} school"
            )
        ids.append(zone.zone_id)
        geoms.append(shapely.geometry.shape(zone.geometry))
        schools.append([local[s] for s in zone.school_ids])
    return zone_layer(ids, geoms, schools)


def _ptr(lists: Sequence[Any]) -> np.ndarray:
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
