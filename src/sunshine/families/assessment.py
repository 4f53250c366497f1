"""What the registries say about one child, checked by the engine's own rules.

The family's claim becomes a one-application data package holding only the registry rows that
can concern it (the child's and the guardians' records, the claimed certificate and the earlier
children who used it) plus the season's schools and zones. ``core.eligibility.assess`` then
runs on it exactly as on a whole county, so the page shows the engine's own reasons and the
candidate schools of the zone the engine would use, never a second implementation.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from sunshine.admissions.models import Address, School, Season, Zone
from sunshine.admissions.package_tables import APPLICATIONS, TABLE_MAPS, TableMap, from_db
from sunshine.core.eligibility import EligibilityResult, assess, check_rows
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.policy import AdmissionPolicy, Stage
from sunshine.core.reasons import Check, Reason
from sunshine.core.tiers import Kind, level_labels
from sunshine.datasets import package as pkgmod
from sunshine.datasets.package import DataPackage, Table
from sunshine.datasets.policy_toml import parse_policy
from sunshine.datasets.to_core import stage_inputs
from sunshine.registry.models import (
    BirthRecord,
    HouseholdMember,
    PropertyOwnership,
    ResidencePermit,
    SeatUsage,
    SocialSecurity,
    VaccinationRecord,
)

# The checks a family answers: everything but the preference list, which the form validates.
FINDING_CHECKS = tuple(c for c in Check if c is not Check.PREFERENCES)


@dataclass(frozen=True, slots=True)
class Claim:
    """One application as the family states it, in data-package terms (codes, not keys)."""

    application_id: str
    child_id: str
    child_name: str
    gender: str
    birth_date: dt.date
    stage: str
    guardian_ids: tuple[str, ...]
    address_code: str
    certificate_no: str = ""
    preferences: tuple[str, ...] = ()
    private_school: str = ""
    current_school: str = ""
    priority_group: str = ""
    special_needs: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    check: str  # a Check label, e.g. "hukou"
    reason: str  # a Reason name, e.g. "HUKOU_ELSEWHERE"
    result: str  # pass | fail | missing
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True, slots=True)
class Candidate:
    """A public school serving the claimed address's zone, and where the child would rank."""

    school: School
    level: int | None  # priority level earned there (lower is better); None = not admissible
    level_zh: str
    level_en: str

    def level_text(self, lang: str) -> str:
        return self.level_en if lang == "en" else self.level_zh


@dataclass(frozen=True, slots=True)
class Assessment:
    findings: tuple[Finding, ...]
    eligible: bool
    zone: Zone | None  # of the claimed address, in the child's stage
    candidates: tuple[Candidate, ...]
    private_schools: tuple[School, ...]
    preferences_allowed: int
    mechanism: str  # the policy's Mechanism value (how preferences are used)

    def finding(self, check: str) -> Finding | None:
        return next((f for f in self.findings if f.check == check), None)


def assess_claim(season: Season, claim: Claim) -> Assessment:
    policy = parse_policy(season.policy_toml)
    stage = Stage(claim.stage)
    schools = list(School.objects.filter(season=season).order_by("pk"))
    public = [s.code for s in schools if s.stage == claim.stage and s.kind == "public"]
    base = _package(season, policy, claim, schools)
    # Run 1, the claim as given: the findings. Run 2, every public school of the stage listed:
    # the level the child would earn at each (the family sees it before choosing).
    result = _assess(base, policy, dataclasses.replace(claim, preferences=tuple(public)), stage)
    findings_result = _assess(base, policy, claim, stage) if claim.preferences else result
    zone_index = int(result.claimed_zone[0])
    zone = None
    candidates: tuple[Candidate, ...] = ()
    if zone_index >= 0:
        zone_code = result.zone_id[zone_index]
        zone = Zone.objects.filter(season=season, stage=claim.stage, code=zone_code).first()
        serving = set(zone.schools.values_list("code", flat=True)) if zone else set()
        candidates = _candidates(policy, stage, result, schools, serving)
    return Assessment(
        findings=_findings(findings_result),
        eligible=bool(result.eligible[0]),
        zone=zone,
        candidates=candidates,
        private_schools=tuple(s for s in schools if s.stage == claim.stage and s.kind == "private"),
        preferences_allowed=policy.preferences_allowed,
        mechanism=str(policy.mechanism),
    )


def _assess(
    base: DataPackage, policy: AdmissionPolicy, claim: Claim, stage: Stage
) -> EligibilityResult:
    allowed = max(policy.preferences_allowed, len(claim.preferences))
    widened = dataclasses.replace(policy, preferences_allowed=allowed)
    tables = {**base.tables, "applications": _application_table(claim)}
    pkg = dataclasses.replace(base, policy=widened, tables=tables)
    return assess(widened, stage, stage_inputs(pkg)[stage].evidence)


def _findings(result: EligibilityResult) -> tuple[Finding, ...]:
    rows = list(check_rows(result, [0]))
    out = []
    for check in FINDING_CHECKS:
        _app, label, outcome, zh, en = rows[check]
        reason = Reason(int(result.reason[0, check]))
        out.append(Finding(label, reason.name, outcome, zh, en))
    return tuple(out)


def _candidates(
    policy: AdmissionPolicy,
    stage: Stage,
    result: EligibilityResult,
    schools: list[School],
    serving: set[str],
) -> tuple[Candidate, ...]:
    sp = policy.stage(stage)
    labels = {lang: level_labels(policy, sp, lang) for lang in ("zh", "en")}
    by_code = {s.code: s for s in schools}
    stage_codes = [s.code for s in schools if s.stage == stage.value]
    level: dict[str, int] = {}
    for e in range(int(result.pref_ptr[0]), int(result.pref_ptr[1])):
        if result.pref_kind[e] == Kind.LISTED:
            level[stage_codes[int(result.pref_school[e])]] = int(result.pref_priority[e])
    out = []
    for code in sorted(serving):
        school = by_code[code]
        if school.kind != "public":
            continue
        p = level.get(code, int(NOT_ADMISSIBLE))
        if p >= NOT_ADMISSIBLE:
            out.append(Candidate(school, None, "不符合该校招生条件", "not admissible there"))
        else:
            out.append(Candidate(school, p, labels["zh"].get(p, ""), labels["en"].get(p, "")))
    # Best level first, then by code, as the family would rank them.
    out.sort(key=lambda c: (c.level is None, c.level or 0, c.school.code))
    return tuple(out)


# --- the one-application package --------------------------------------------------------------


def _package(
    season: Season, policy: AdmissionPolicy, claim: Claim, schools: list[School]
) -> DataPackage:
    people = {claim.child_id, *claim.guardian_ids}
    cert = claim.certificate_no
    usage = SeatUsage.objects.filter(season=season, certificate_no=cert) if cert else None
    prior = set(usage.values_list("child_id", flat=True)) if usage is not None else set()
    own = HouseholdMember.objects.filter(season=season, person_id__in=people | prior)
    households = set(own.values_list("household_id", flat=True))
    registries: dict[str, QuerySet[Any]] = {
        "households": HouseholdMember.objects.filter(season=season, household_id__in=households),
        "properties": PropertyOwnership.objects.filter(season=season, certificate_no=cert)
        if cert
        else PropertyOwnership.objects.none(),
        "residence_permits": ResidencePermit.objects.filter(
            season=season, person_id__in=claim.guardian_ids
        ),
        "social_security": SocialSecurity.objects.filter(
            season=season, person_id__in=claim.guardian_ids
        ),
        "births": BirthRecord.objects.filter(season=season, child_id__in={claim.child_id} | prior),
        "vaccinations": VaccinationRecord.objects.filter(season=season, child_id=claim.child_id),
        "seat_usage": usage if usage is not None else SeatUsage.objects.none(),
    }
    rows = {name: list(query.order_by("pk")) for name, query in registries.items()}
    address_pks = {
        pk for objs in rows.values() for o in objs if (pk := getattr(o, "address_id", None))
    }
    addresses = list(
        Address.objects.filter(season=season)
        .filter(pk__in=address_pks | _claimed(season, claim))
        .order_by("pk")
    )
    refs = {
        "schools": {s.pk: s.code for s in schools},
        "addresses": {a.pk: a.code for a in addresses},
    }
    tables = {name: _table(TABLE_MAPS[name], objs, refs) for name, objs in rows.items()}
    tables["schools"] = _table(TABLE_MAPS["schools"], schools, refs)
    tables["addresses"] = _table(TABLE_MAPS["addresses"], addresses, refs)
    tables["applications"] = _application_table(claim)
    return DataPackage(
        policy=policy, policy_text=season.policy_toml, zones=_zones(season, refs), tables=tables
    )


def _claimed(season: Season, claim: Claim) -> set[int]:
    return set(
        Address.objects.filter(season=season, code=claim.address_code).values_list("pk", flat=True)
    )


def _table(tmap: TableMap, objs: Iterable[Model], refs: Mapping[str, Mapping[int, str]]) -> Table:
    objs = list(objs)
    columns = {}
    for column in tmap.row_columns:
        attname = tmap.attname(column.name)
        values = [getattr(o, attname) for o in objs]
        if column.name in tmap.refs:
            codes = refs[tmap.refs[column.name]]
            values = [None if v is None else codes[v] for v in values]
        columns[column.name] = from_db(column, values)
    return Table(spec=tmap.spec, columns=columns)


def _application_table(claim: Claim) -> Table:
    row: dict[str, Any] = {
        "application_id": claim.application_id,
        "child_id": claim.child_id,
        "child_name": claim.child_name,
        "gender": claim.gender,
        "birth_date": claim.birth_date,
        "stage": claim.stage,
        "guardian_ids": claim.guardian_ids,
        "claimed_address_id": claim.address_code,
        "claimed_certificate_no": claim.certificate_no,
        "preferences": claim.preferences,
        "private_school_id": claim.private_school,
        "priority_group": claim.priority_group,
        "special_needs": claim.special_needs,
        "sibling_application_ids": (),
        "current_school_id": claim.current_school,
    }
    columns = {c.name: from_db(c, [row[c.name]]) for c in APPLICATIONS.spec.columns}
    return Table(spec=APPLICATIONS.spec, columns=columns)


def _zones(season: Season, refs: Mapping[str, Mapping[int, str]]) -> tuple[pkgmod.Zone, ...]:
    schools = refs["schools"]
    zones = Zone.objects.filter(season=season).order_by("pk").prefetch_related("schools")
    return tuple(
        pkgmod.Zone(
            zone_id=z.code,
            stage=z.stage,
            school_ids=tuple(schools[s.pk] for s in sorted(z.schools.all(), key=lambda s: s.pk)),
            geometry=z.geometry,
            properties=z.properties,
        )
        for z in zones
    )
