"""The engine's verification of a few applications, for a review page: one batch per page.

The rows the checks read (the applications, their children's and guardians' registry rows,
the claimed homes' certificates and seat use, the schools and zones) are loaded as a small data
package and assessed by :func:`sunshine.core.eligibility.assess`, the very function the season
run uses, so a reviewer sees what the engine will decide. Every registry row a check can reach
is included (the child's whole 户籍 household for grandparents, the earlier users of a home and
their families for the seat lock), so the results equal those of a run over the whole season.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from sunshine.admissions.models import Application, Preference, Season, Zone
from sunshine.admissions.package_tables import TABLE_MAPS, TableMap, from_db
from sunshine.core.adjustments import Adjustments
from sunshine.core.eligibility import assess, check_columns
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.policy import AdmissionPolicy
from sunshine.core.reasons import Check
from sunshine.core.tiers import Kind
from sunshine.datasets import package as pkgmod
from sunshine.datasets.package import DataPackage, Table
from sunshine.datasets.policy_toml import parse_policy
from sunshine.datasets.to_core import stage_inputs


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: str  # a Check label: "id", "hukou", ...
    result: str  # "pass" | "fail" | "missing"
    text: dict[str, str]  # the reason, by language ("zh", "en")


@dataclass(frozen=True, slots=True)
class Entry:
    """One school of the child's list as the engine sees it."""

    school_code: str
    private: bool
    listed: bool  # the family listed it (not a feeder or a disabled child's placement)
    tier: int | None  # policy tier earned there, 1 = first; None = none
    admissible: bool


@dataclass(frozen=True, slots=True)
class Assessment:
    code: str
    eligible: bool
    checks: tuple[CheckResult, ...]
    entries: tuple[Entry, ...]

    def check(self, label: str) -> CheckResult:
        return next(c for c in self.checks if c.check == label)

    def entry(self, school_code: str) -> Entry | None:
        return next((e for e in self.entries if e.school_code == school_code), None)

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        """Checks that did not pass: failed, or with no record to check."""
        return tuple(c for c in self.checks if c.result != "pass")

    @property
    def missing(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.result == "missing")


def tier_names(policy: AdmissionPolicy, stage: str) -> list[dict[str, str]]:
    """The stage's policy tiers, 1 = first, by language."""
    return [{"zh": t.name, "en": t.name_en or t.name} for t in policy.stage(stage).tiers]


def assess_applications(
    season: Season, applications: Sequence[Application], adjustments: Adjustments | None = None
) -> dict[str, Assessment]:
    """Each application's checks and entries, by application code."""
    if not applications:
        return {}
    package = subset_package(season, [a.pk for a in applications])
    out: dict[str, Assessment] = {}
    for stage, si in stage_inputs(package).items():
        if len(si.evidence.applicants) == 0:
            continue
        result = assess(package.policy, stage, si.evidence, adjustments=adjustments)
        cols = check_columns(result)
        n_checks = len(Check)
        schools = si.evidence.schools.school_id.tolist()
        for i, code in enumerate(result.application_id.tolist()):
            at = range(i * n_checks, (i + 1) * n_checks)
            checks = tuple(
                CheckResult(
                    cols["check"][k], cols["result"][k], {"zh": cols["zh"][k], "en": cols["en"][k]}
                )
                for k in at
            )
            entries = tuple(
                Entry(
                    school_code=schools[int(result.pref_school[k])],
                    private=bool(result.is_private[result.pref_school[k]]),
                    listed=int(result.pref_kind[k]) in (Kind.LISTED, Kind.PRIVATE),
                    tier=int(result.pref_tier[k]) + 1 if result.pref_tier[k] >= 0 else None,
                    admissible=int(result.pref_priority[k]) != int(NOT_ADMISSIBLE),
                )
                for k in range(int(result.pref_ptr[i]), int(result.pref_ptr[i + 1]))
            )
            out[code] = Assessment(code, bool(result.eligible[i]), checks, entries)
    return out


# --- the small package ------------------------------------------------------------------------


def subset_package(season: Season, application_pks: Collection[int]) -> DataPackage:
    """A data package of ``season`` holding only the given applications and the rows their
    checks can reach (all the schools and zones)."""
    apps = Application.objects.filter(pk__in=application_pks)
    values = list(apps.values_list("child_id_number", "guardian_ids", "claimed_certificate_no"))
    children = {v[0] for v in values}
    guardians = {g for v in values for g in v[1]}
    certs = {v[2] for v in values if v[2]}
    usage = _rows(season, "seat_usage", Q(certificate_no__in=certs))
    earlier = set(usage["child_id"])
    people = children | guardians | earlier
    households = _rows(season, "households", Q(person_id__in=people))
    households = _rows(season, "households", Q(household_id__in=set(households["household_id"])))
    rows = {
        "seat_usage": usage,
        "households": households,
        "births": _rows(season, "births", Q(child_id__in=children | earlier)),
        "properties": _rows(season, "properties", Q(certificate_no__in=certs)),
        "residence_permits": _rows(season, "residence_permits", Q(person_id__in=guardians)),
        "social_security": _rows(season, "social_security", Q(person_id__in=guardians)),
        "vaccinations": _rows(season, "vaccinations", Q(child_id__in=children)),
        "applications": _rows(season, "applications", Q(pk__in=application_pks)),
        "schools": _rows(season, "schools", Q()),
    }
    address_pks = {pk for r in rows.values() for pk in r.get("address_id", ()) if pk is not None}
    address_pks |= set(rows["applications"]["claimed_address_id"])
    rows["addresses"] = _rows(season, "addresses", Q(pk__in=address_pks))
    refs = {
        "schools": dict(zip(rows["schools"]["pk"], rows["schools"]["school_id"], strict=True)),
        "addresses": dict(
            zip(rows["addresses"]["pk"], rows["addresses"]["address_id"], strict=True)
        ),
    }
    rows["applications"]["preferences"] = _preferences(rows["applications"]["pk"], refs["schools"])
    tables = {name: _table(tmap, rows[name], refs) for name, tmap in TABLE_MAPS.items()}
    return DataPackage(
        policy=parse_policy(season.policy_toml),
        policy_text=season.policy_toml,
        zones=_zones(season, refs["schools"]),
        tables=tables,
    )


def _rows(season: Season, table: str, where: Q) -> dict[str, list[Any]]:
    """Stored columns of a table's matching rows (plus "pk"), by column name, as stored."""
    tmap = TABLE_MAPS[table]
    query: QuerySet[Any] = tmap.model._default_manager.filter(where, season=season)
    names = [c.name for c in tmap.row_columns]
    found = list(query.order_by("pk").values_list("pk", *(tmap.attname(n) for n in names)))
    columns = list(zip(*found, strict=True)) if found else [() for _ in range(len(names) + 1)]
    return {name: list(column) for name, column in zip(["pk", *names], columns, strict=True)}


def _table(tmap: TableMap, raw: dict[str, list[Any]], refs: dict[str, dict[int, str]]) -> Table:
    columns = {}
    for column in tmap.spec.columns:
        values = raw[column.name]
        if column.name in tmap.refs:
            codes = refs[tmap.refs[column.name]]
            values = [None if pk is None else codes[pk] for pk in values]
        columns[column.name] = from_db(column, values)
    return Table(spec=tmap.spec, columns=columns, extras={})


def _preferences(applications: Iterable[int], schools: dict[int, str]) -> list[tuple[str, ...]]:
    listed: defaultdict[int, list[str]] = defaultdict(list)
    query = Preference.objects.filter(application__in=list(applications)).order_by(
        "application", "rank"
    )
    for application_id, school_id in query.values_list("application_id", "school_id"):
        listed[application_id].append(schools[school_id])
    return [tuple(listed.get(pk, ())) for pk in applications]


def _zones(season: Season, schools: dict[int, str]) -> tuple[pkgmod.Zone, ...]:
    members: defaultdict[int, list[str]] = defaultdict(list)
    links = Zone.schools.through.objects.filter(zone__season=season).order_by("pk")
    for zone_id, school_id in links.values_list("zone_id", "school_id"):
        members[zone_id].append(schools[school_id])
    query = Zone.objects.filter(season=season).order_by("pk")
    return tuple(
        pkgmod.Zone(code, stage, tuple(members[pk]), geometry, properties)
        for pk, code, stage, geometry, properties in query.values_list(
            "pk", "code", "stage", "geometry", "properties"
        )
    )
