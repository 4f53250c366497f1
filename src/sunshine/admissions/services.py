"""Admissions use cases. Each mutating one is a single function that owns its transaction,
takes ``actor=`` keyword-only and appends its audit event inside that transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone

from sunshine.admissions.errors import SeasonExists, SeasonInUse, SeasonNotFound
from sunshine.admissions.models import Season, SeasonRun
from sunshine.admissions.package_diagnosis import describe_protected, diagnose_refusal
from sunshine.admissions.package_digest import package_digest
from sunshine.admissions.package_dump import season_to_package
from sunshine.admissions.package_load import check_lengths, delete_season_rows, load_package
from sunshine.audit.services import Actor, EventSpec, personal_ref, record_event, record_events
from sunshine.core.canonical import canonical_json
from sunshine.datasets.package import DataPackage, Table
from sunshine.datasets.writer import write_package

if TYPE_CHECKING:
    from sunshine.ceremony.models import Ceremony
    from sunshine.core.adjustments import Adjustments
    from sunshine.season import SeasonOutcome

__all__ = ["export_season", "find_season", "import_package", "run_season", "season_to_package"]


def import_package(pkg: DataPackage, *, actor: Actor, replace: bool = False) -> Season:
    """Load a whole checked package as one season, in one transaction: all of it or nothing.

    A season for the same region and school year is an error unless ``replace``; then it is
    deleted and loaded again inside the same transaction."""
    check_lengths(pkg)
    policy = pkg.policy
    try:
        with transaction.atomic():
            replaced = _remove_existing(policy.region_code, policy.school_year, replace=replace)
            season = Season.objects.create(
                region_code=policy.region_code,
                region_name=policy.region_name,
                school_year=policy.school_year,
                policy_toml=pkg.policy_text,
                policy_sha256=hashlib.sha256(pkg.policy_text.encode("utf-8")).hexdigest(),
                imported_at=timezone.now(),
                extra_columns={n: list(t.extras) for n, t in pkg.tables.items() if t.extras},
            )
            rows = load_package(season, pkg)
            package_sha256 = package_digest(pkg)
            record_event(
                actor=actor,
                action="season.imported",
                object_type="season",
                object_id=str(season.pk),
                after={"package_sha256": package_sha256, "rows": rows},
                detail={
                    "region_code": season.region_code,
                    "school_year": season.school_year,
                    "package_sha256": package_sha256,
                    "policy_sha256": season.policy_sha256,
                    "rows": rows,
                    "replaced_season": replaced,
                },
            )
            record_events(_registrations(pkg, season), actor=actor)
    except (ProtectedError, RestrictedError) as error:
        raise SeasonInUse(
            policy.region_code, policy.school_year, describe_protected(error)
        ) from error
    except IntegrityError as error:
        # The transaction is rolled back by now; say which rows broke which rule.
        raise diagnose_refusal(pkg, error) from error
    return season


def _registrations(pkg: DataPackage, season: Season) -> list[EventSpec]:
    """One ``application.registered`` event per application, so that every family can be
    given a receipt (an inclusion proof) for its own application. The application's content
    enters only as a salted digest: it can be checked by the bureau, not guessed by others."""
    apps = pkg["applications"]
    return [
        EventSpec(
            action="application.registered",
            object_type="application",
            object_id=code,
            detail={"season": season.pk, "content": personal_ref(canonical_json(row).decode())},
        )
        for code, row in zip(apps["application_id"].tolist(), _plain_rows(apps), strict=True)
    ]


def _plain_rows(table: Table) -> Iterator[dict[str, Any]]:
    for row in table.rows():
        yield {k: v if isinstance(v, str | int | float | bool) else str(v) for k, v in row.items()}


def _remove_existing(region_code: str, school_year: int, *, replace: bool) -> int | None:
    existing = (
        Season.objects.select_for_update()
        .filter(region_code=region_code, school_year=school_year)
        .first()
    )
    if existing is None:
        return None
    if not replace:
        raise SeasonExists(region_code, school_year)
    pk = existing.pk
    delete_season_rows(existing)
    return pk


def find_season(region_code: str | None = None, school_year: int | None = None) -> Season:
    """The season for a region and year; either may be left out when it leaves one season."""
    query = Season.objects.all()
    if region_code is not None:
        query = query.filter(region_code=region_code)
    if school_year is not None:
        query = query.filter(school_year=school_year)
    found = list(query.order_by("region_code", "school_year")[:2])
    if len(found) == 1:
        return found[0]
    asked = f"region {region_code or 'any'}, year {school_year or 'any'}"
    if not found:
        raise SeasonNotFound(f"no season loaded for {asked}")
    raise SeasonNotFound(f"several seasons match {asked}: give both --region and --year")


def export_season(
    season: Season, out: Path, *, actor: Actor, fmt: Literal["csv", "xlsx"] = "csv"
) -> DataPackage:
    """Write the season back out as a data package. The export holds personal data in the
    clear, so it is recorded in the audit log (by digest; the event holds none of it)."""
    with transaction.atomic():
        pkg = season_to_package(season)
        write_package(pkg, out, fmt=fmt)
        record_event(
            actor=actor,
            action="season.exported",
            object_type="season",
            object_id=str(season.pk),
            detail={"package_sha256": package_digest(pkg), "format": fmt},
        )
    return pkg


def run_season(
    season: Season, *, actor: Actor, processes: int = 1, ceremony: Ceremony | None = None
) -> SeasonRun:
    """Run the admission engine over the season's data, exactly as `sunshine season run` does
    over a package, and record the decisions, admissions and statuses in one transaction.

    With a drawn ``ceremony`` the lottery uses its inputs (witnesses, beacon, label, program
    digest) instead of the rehearsal witness, so every number equals the ceremony's; a pool
    that changed since the ceremony froze it is refused.

    The run honours the final outcomes of review (sunshine.review.effects): a second-level
    rejection makes the application ineligible, an approved override changes a tier or makes a
    check count as passed, and each says so in the application's explanation. Pending reviews
    and unapproved overrides change nothing. None of them touches the lottery's inputs."""
    from sunshine.admissions.season_store import store_outcome
    from sunshine.provenance import program_sha256
    from sunshine.review.effects import review_effects
    from sunshine.season import run
    from sunshine.season.report import build_report

    started = timezone.now()
    package = season_to_package(season)
    effects = review_effects(season)
    if ceremony is None:
        outcome = run(
            package,
            program_digest=program_sha256(),
            processes=processes,
            adjustments=effects.adjustments,
        )
    else:
        outcome = _run_with_ceremony(season, ceremony, package, processes, effects.adjustments)
    report = build_report(outcome)
    with transaction.atomic():
        locked = Season.objects.select_for_update().get(pk=season.pk)
        season_run = SeasonRun.objects.create(
            season=locked,
            started_at=started,
            mechanism=str(package.policy.mechanism),
            lottery_seed=outcome.draw.seed.hex(),
            report=report,
        )
        stored = store_outcome(locked, season_run, outcome, notes=effects.notes)
        season_run.finished_at = timezone.now()
        season_run.save(update_fields=["finished_at"])
        record_event(
            actor=actor,
            action="season.run",
            object_type="season",
            object_id=str(season.pk),
            after={"decisions_sha256": stored["sha256"]},
            detail={
                "run": season_run.pk,
                "mechanism": season_run.mechanism,
                "lottery_seed": season_run.lottery_seed,
                "pool_fingerprint": outcome.seed_inputs.pool_fingerprint,
                "program_sha256": outcome.seed_inputs.program_digest,
                "decisions": stored["decisions"],
                "admissions": stored["admissions"],
                "decisions_sha256": stored["sha256"],
                # what people decided that this run honoured (sunshine.review.effects)
                "review_rejections": effects.rejected,
                "overrides": list(effects.overrides),
            },
        )
    return season_run


def _run_with_ceremony(
    season: Season,
    ceremony: Ceremony,
    package: DataPackage,
    processes: int,
    adjustments: Adjustments | None = None,
) -> SeasonOutcome:
    from sunshine.ceremony.errors import CeremonyError
    from sunshine.ceremony.models import Ceremony
    from sunshine.season import run

    drawn = (Ceremony.State.DRAWN, Ceremony.State.PUBLISHED)
    if ceremony.season_id != season.pk or ceremony.state not in drawn:
        raise CeremonyError(f"ceremony {ceremony.pk} is not a drawn ceremony of season {season}")
    inputs = ceremony.seed_inputs()
    outcome = run(
        package,
        program_digest=inputs.program_digest,
        witnesses=inputs.witnesses,
        beacon=inputs.beacon,
        label=inputs.label,
        processes=processes,
        adjustments=adjustments,
    )
    if outcome.seed_inputs.pool_fingerprint != ceremony.pool_fingerprint:
        raise CeremonyError(
            f"the applications changed since ceremony {ceremony.pk} froze its pool: "
            "draw again over the current pool"
        )
    if outcome.draw.seed.hex() != ceremony.seed:
        raise CeremonyError(f"the seed differs from ceremony {ceremony.pk}'s (policy changed?)")
    return outcome
