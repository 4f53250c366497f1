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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
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
from sunshine.core.utf8sort import is_ascending
from sunshine.core.zoning import ZoneLayer, zone_layer
from sunshine.datasets.factorize import shared_codes
from sunshine.datasets.package import DataPackage, Table


class ToCoreError(ValueError):
    """A package the engine cannot use although it passed validation (e.g. a zone naming a
    school of the other stage)."""


@dataclass(frozen=True, slots=True)
class StageInputs:
    stage: Stage
    evidence: Evidence
    application_rows: np.ndarray  # int64: row in ``applications`` of each market application
    school_rows: np.ndarray  # int64: row in ``schools`` of each market school


def in_canonical_order(package: DataPackage) -> DataPackage:
    """The package with its applications sorted by public id. Siblings share one lottery
    number, so an exact tie between them is broken by row order: fixing that order makes every
    outcome independent of how the county's export happened to order its rows."""
    apps = package["applications"]
    if is_ascending(apps["application_id"].tolist()):  # one pass; the usual export order
        return package
    ids = apps["application_id"].astype(str)
    if bool(np.all(ids[:-1] <= ids[1:])):  # in order but with a repeat (a key error elsewhere)
        return package
    order = np.argsort(ids, kind="stable")
    table = Table(
        apps.spec,
        {name: column[order] for name, column in apps.columns.items()},
        {name: [column[i] for i in order.tolist()] for name, column in apps.extras.items()},
    )
    return replace(package, tables={**package.tables, "applications": table})


def stage_inputs(pkg: DataPackage) -> dict[Stage, StageInputs]:
    """The inputs of every stage the policy configures."""
    stages = pkg.policy.stages
    apps, usage = pkg["applications"], pkg["seat_usage"]
    rows = {s: np.flatnonzero(apps["stage"] == s.value) for s in stages}
    u_rows = {s: np.flatnonzero(usage["stage"] == s.value) for s in stages}
    guardians = {s: apps["guardian_ids"][rows[s]] for s in stages}

    def column(table: str, name: str) -> np.ndarray:
        return pkg[table][name]

    coded = code_ids(column, coder_of(column), stages, rows, u_rows, guardians)
    usage_year = {s: usage["year"][u_rows[s]] for s in stages}
    relation = {r.name.lower(): int(r) for r in Relation}
    relations = pkg["households"]["relation"].tolist()
    codes = np.fromiter(map(relation.__getitem__, relations), np.int8, len(relations))
    registries = code_registries(column, codes, coded.shared)
    return assemble(pkg, rows, usage_year, coded.per_stage, registries)


def assemble(
    pkg: DataPackage,
    rows: dict[Stage, np.ndarray],
    usage_year: dict[Stage, np.ndarray],
    codes: dict[Stage, StageCodes],
    registries: Registries,
) -> dict[Stage, StageInputs]:
    """The inputs of every stage from coded ids and registries. ``pkg`` needs only its
    policy, zones, schools and applications; ``rows`` are each stage's application rows and
    ``usage_year`` the years of its seat-usage rows, aligned with ``codes``."""
    return {
        stage: _stage(pkg, stage, rows[stage], usage_year[stage], codes[stage], registries)
        for stage in pkg.policy.stages
    }


@dataclass(frozen=True, slots=True)
class StageCodes:
    """A stage's identifiers as codes: its applications' people, addresses and certificates,
    and its seat-usage rows' children and certificates."""

    child: np.ndarray
    guardian_ptr: np.ndarray
    guardian: np.ndarray
    claimed_address: np.ndarray
    claimed_certificate: np.ndarray
    usage_child: np.ndarray
    usage_certificate: np.ndarray


@dataclass(frozen=True, slots=True)
class Coded:
    shared: dict[str, np.ndarray]  # "table.column" -> codes
    per_stage: dict[Stage, StageCodes]


ColumnOf = Callable[[str, str], np.ndarray]  # (table, column) -> the column

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
# The registry columns that open each code space (people, certificates, addresses,
# households). Their codes depend on nothing that follows, so a reader may code them on their
# own, ahead of the applications (the season's fast reader does, in its registry process).
HEADS: tuple[tuple[tuple[str, str], ...], ...] = (
    _SHARED_PEOPLE,
    (("properties", "certificate_no"),),
    (("addresses", "address_id"), *_SHARED_ADDRESSES),
    (("households", "household_id"),),
)
PEOPLE, CERTIFICATES, ADDRESSES, HOUSEHOLDS = range(len(HEADS))
# (i, pieces) -> the codes of the columns HEADS[i] followed by those of ``pieces``, all in
# one code space, one array per column or piece.
Coder = Callable[[int, list[np.ndarray]], list[np.ndarray]]


def coder_of(column: ColumnOf) -> Coder:
    """The full reader's coder: :func:`shared_codes` over object arrays of str."""

    def code(space: int, pieces: list[np.ndarray]) -> list[np.ndarray]:
        return shared_codes([column(t, c) for t, c in HEADS[space]] + pieces)

    return code


def code_ids(
    column: ColumnOf,
    coder: Coder,
    stages: Iterable[Stage],
    rows: dict[Stage, np.ndarray],
    u_rows: dict[Stage, np.ndarray],
    guardians: dict[Stage, np.ndarray],
) -> Coded:
    """Every id column coded, one code space at a time (people, certificates, addresses,
    households); each space lists the registries (:data:`HEADS`) first, then each stage's
    applications and seat usage. ``column`` gives the applications' and seat usage's columns;
    ``coder`` codes each space (:func:`coder_of` for the full reader);
    ``shared["addresses.address_id"]`` keeps the codes of the address ids themselves."""
    stages = tuple(stages)

    def apps(name: str) -> np.ndarray:
        return column("applications", name)

    def usage(name: str) -> np.ndarray:
        return column("seat_usage", name)

    flat = {
        s: np.fromiter(
            itertools.chain.from_iterable(guardians[s].tolist()),
            dtype=object,
            count=sum(map(len, guardians[s].tolist())),
        )
        for s in stages
    }
    people = coder(
        PEOPLE,
        [
            piece
            for s in stages
            for piece in (apps("child_id")[rows[s]], flat[s], usage("child_id")[u_rows[s]])
        ],
    )
    certs = coder(
        CERTIFICATES,
        [
            piece
            for s in stages
            for piece in (
                apps("claimed_certificate_no")[rows[s]],
                usage("certificate_no")[u_rows[s]],
            )
        ],
    )
    address_codes = coder(ADDRESSES, [apps("claimed_address_id")[rows[s]] for s in stages])
    households = coder(HOUSEHOLDS, [])
    known = len(address_codes[0])  # a code below this is a row of addresses.csv
    addresses = [np.where(c < known, c, -1).astype(np.int32) for c in address_codes[1:]]
    shared = dict(zip((f"{t}.{c}" for t, c in _SHARED_PEOPLE), people, strict=False))
    shared |= dict(zip((f"{t}.{c}" for t, c in _SHARED_ADDRESSES), addresses, strict=False))
    shared["addresses.address_id"] = address_codes[0]
    shared["properties.certificate_no"] = certs[0]
    shared["households.household_id"] = households[0]
    k, a = len(_SHARED_PEOPLE), len(_SHARED_ADDRESSES)
    per_stage = {
        s: StageCodes(
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
    return Coded(shared, per_stage)


@dataclass(frozen=True, slots=True)
class Registries:
    """The registries every stage shares, coded."""

    addresses: Addresses
    households: Households
    properties: Properties
    permits: Permits
    social_security: SocialSecurity
    births: Births
    vaccinations: Vaccinations


def code_registries(
    column: ColumnOf, relation: np.ndarray, codes: dict[str, np.ndarray]
) -> Registries:
    """The registries from their coded ids (``codes`` of :func:`code_ids`), their other
    columns, and each household member's ``relation`` (int8, a :class:`Relation`)."""

    def table(name: str) -> Callable[[str], np.ndarray]:
        return lambda c: column(name, c)

    hh, pr, pm, ss = (
        table("households"),
        table("properties"),
        table("residence_permits"),
        table("social_security"),
    )
    births, vax = table("births"), table("vaccinations")
    return Registries(
        addresses=Addresses(
            column("addresses", "lon").astype(np.float64),
            column("addresses", "lat").astype(np.float64),
        ),
        households=Households(
            codes["households.person_id"],
            codes["households.household_id"],
            codes["households.address_id"],
            hh("registered_on"),
            relation,
        ),
        properties=Properties(
            codes["properties.certificate_no"],
            codes["properties.address_id"],
            codes["properties.owner_id"],
            pr("share").astype(np.float64),
            pr("acquired_on"),
        ),
        permits=Permits(
            codes["residence_permits.person_id"],
            codes["residence_permits.address_id"],
            pm("issued_on"),
            pm("valid_until"),
        ),
        social_security=SocialSecurity(
            codes["social_security.person_id"], ss("months_continuous"), ss("as_of")
        ),
        births=Births(
            codes["births.child_id"],
            births("birth_date"),
            codes["births.mother_id"],
            codes["births.father_id"],
        ),
        vaccinations=Vaccinations(codes["vaccinations.child_id"], vax("complete").astype(bool)),
    )


def _stage(
    pkg: DataPackage,
    stage: Stage,
    rows: np.ndarray,
    usage_year: np.ndarray,
    codes: StageCodes,
    shared: Registries,
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
    seat_usage = SeatUsage(codes.usage_certificate, usage_year.astype(np.int64), codes.usage_child)
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
