"""DataPackage -> the factorised numpy inputs of :mod:`sunshine.core.eligibility`.

Every identifier becomes a small integer: people share one code space across all tables (a
guardian's ID number in ``applications`` and the owner's in ``properties`` get the same code),
addresses are their row in ``addresses``, schools their index among the stage's schools, and
certificates share a code space across ``properties``, ``seat_usage`` and the applications.
Empty optional cells become -1. Factorising by dict is linear and keeps row order, so the same
package always gives the same codes.

Per stage: only that stage's applications, schools, zones and seat-usage rows are kept; a
listed school of the other stage gets -1 (eligibility reports it and ignores it).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
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


class Codes:
    """String -> int32 code; "" is -1. Codes are unique per string but not dense: each lookup
    draws from one counter and ``dict.setdefault`` keeps the first, so the whole mapping runs
    in C (``map``) with no Python code per cell."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {"": -1}
        self._counter = itertools.count()

    def __call__(self, column: Iterable[Any], n: int) -> np.ndarray:
        if isinstance(column, np.ndarray):
            column = column.tolist()
        return np.fromiter(map(self._index.setdefault, column, self._counter), np.int32, n)


class Rows:
    """Id -> row of its table (foreign keys are validated by the reader)."""

    def __init__(self, ids: np.ndarray) -> None:
        self._index = dict(zip(ids.tolist(), range(len(ids)), strict=True))

    def __call__(self, column: np.ndarray) -> np.ndarray:
        get = self._index.get
        return np.fromiter(map(get, column.tolist(), itertools.repeat(-1)), np.int32, len(column))


def stage_inputs(pkg: DataPackage) -> dict[Stage, StageInputs]:
    """The inputs of every stage the policy configures."""
    people, certificates = Codes(), Codes()
    addresses = Rows(pkg["addresses"]["address_id"])
    shared = _shared(pkg, people, certificates, addresses)
    return {
        stage: _stage(pkg, stage, people, certificates, addresses, shared)
        for stage in pkg.policy.stages
    }


@dataclass(frozen=True, slots=True)
class _Shared:
    addresses: Addresses
    households: Households
    properties: Properties
    permits: Permits
    social_security: SocialSecurity
    births: Births
    vaccinations: Vaccinations


def _shared(pkg: DataPackage, people: Codes, certs: Codes, addrs: Rows) -> _Shared:
    def person(table: str, column: str) -> np.ndarray:
        t = pkg[table]
        return people(t[column], len(t))

    def address(table: str, column: str = "address_id") -> np.ndarray:
        return addrs(pkg[table][column])

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
            person("households", "person_id"),
            Codes()(hh["household_id"], len(hh)),
            address("households"),
            hh["registered_on"],
            np.fromiter((relation[r] for r in hh["relation"]), dtype=np.int8, count=len(hh)),
        ),
        properties=Properties(
            certs(pr["certificate_no"], len(pr)),
            address("properties"),
            person("properties", "owner_id"),
            pr["share"].astype(np.float64),
            pr["acquired_on"],
        ),
        permits=Permits(
            person("residence_permits", "person_id"),
            address("residence_permits"),
            pm["issued_on"],
            pm["valid_until"],
        ),
        social_security=SocialSecurity(
            person("social_security", "person_id"), ss["months_continuous"], ss["as_of"]
        ),
        births=Births(
            person("births", "child_id"),
            births["birth_date"],
            person("births", "mother_id"),
            person("births", "father_id"),
        ),
        vaccinations=Vaccinations(person("vaccinations", "child_id"), vax["complete"].astype(bool)),
    )


def _stage(
    pkg: DataPackage,
    stage: Stage,
    people: Codes,
    certs: Codes,
    addrs: Rows,
    shared: _Shared,
) -> StageInputs:
    schools = pkg["schools"]
    school_rows = np.flatnonzero(schools["stage"] == stage.value)
    local = {str(schools["school_id"][r]): i for i, r in enumerate(school_rows)}
    all_rows = {str(s): i for i, s in enumerate(schools["school_id"])}
    school_set = SchoolSet(
        school_id=schools["school_id"][school_rows],
        capacity=schools["plan_seats"][school_rows].astype(np.int64),
        is_private=schools["kind"][school_rows] == "private",
        lon=schools["lon"][school_rows].astype(np.float64),
        lat=schools["lat"][school_rows].astype(np.float64),
    )
    apps = pkg["applications"]
    rows = np.flatnonzero(apps["stage"] == stage.value)
    n = len(rows)

    def col(name: str) -> np.ndarray:
        return np.asarray(apps[name][rows])

    guardians = col("guardian_ids")
    prefs = col("preferences")
    feeds = schools["feeds_school_id"]
    groups = {g.value: i for i, g in enumerate(PRIORITY_GROUP_CODES)}
    needs = {s.value: i for i, s in enumerate(SPECIAL_NEED_CODES)}

    def feeder(current: str) -> int:
        row = all_rows.get(current)
        return -1 if row is None else local.get(str(feeds[row]), -1)

    ptr = _ptr(guardians)
    applicants = Applicants(
        application_id=col("application_id"),
        id_number=col("child_id"),
        child=people(col("child_id"), n),
        birth_date=col("birth_date"),
        guardian_ptr=ptr,
        guardian=people(itertools.chain.from_iterable(guardians.tolist()), int(ptr[-1])),
        claimed_address=addrs(col("claimed_address_id")),
        claimed_certificate=certs(col("claimed_certificate_no"), n),
        pref_ptr=_ptr(prefs),
        pref_school=np.fromiter(
            (local.get(s, -1) for ps in prefs for s in ps),
            dtype=np.int32,
            count=int(sum(map(len, prefs))),
        ),
        private_school=np.fromiter(
            (-1 if s == "" else local.get(s, -2) for s in col("private_school_id")), np.int32, n
        ),
        priority_group=np.fromiter((groups.get(g, -1) for g in col("priority_group")), np.int8, n),
        special_need=np.fromiter((needs.get(s, -1) for s in col("special_needs")), np.int8, n),
        feeder_school=np.fromiter((feeder(s) for s in col("current_school_id")), np.int32, n),
    )
    usage = pkg["seat_usage"]
    u_rows = np.flatnonzero(usage["stage"] == stage.value)
    seat_usage = SeatUsage(
        certs(usage["certificate_no"][u_rows], len(u_rows)),
        usage["year"][u_rows].astype(np.int64),
        people(usage["child_id"][u_rows], len(u_rows)),
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


def _ptr(lists: np.ndarray) -> np.ndarray:
    counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
