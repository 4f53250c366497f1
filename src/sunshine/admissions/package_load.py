"""Writing a checked data package into the database under a new season, set-based: one
``bulk_create`` per table in batches, codes resolved to primary keys through maps built with one
query per table. Runs inside the caller's transaction (see services.import_package)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from django.db import models

from sunshine.admissions.errors import PackageRejected, ValueTooLong
from sunshine.admissions.models import Address, Application, Preference, School, Season, Zone
from sunshine.admissions.package_tables import (
    ADDRESSES,
    APPLICATIONS,
    REGISTRIES,
    SCHOOLS,
    TABLE_MAPS,
    TableMap,
    to_db,
)
from sunshine.datasets.package import DataPackage, Table
from sunshine.datasets.schema import ZONES_FILE

BATCH_SIZE = 2000  # the backend lowers it further when its parameter limit requires
CODE_LENGTH = 64  # zones' codes; tables take the limit from their model fields

CodeMap = dict[str, int]


def check_lengths(pkg: DataPackage) -> None:
    """Refuse values longer than their column allows before writing anything: SQLite would
    keep them and PostgreSQL would refuse them, and a package must load the same on both."""
    for name, tmap in TABLE_MAPS.items():
        table = pkg[name]
        for column in tmap.insert_columns:
            if column.kind not in ("str", "enum") or column.name in tmap.refs:
                continue
            field = tmap.model._meta.get_field(tmap.attname(column.name))
            limit = getattr(field, "max_length", None)
            if limit is not None:
                values = table[column.name].tolist()
                _check_column(tmap.spec.filename, column.name, values, limit, first_row=2)
    zone_ids = [z.zone_id for z in pkg.zones]
    _check_column(ZONES_FILE, "zone_id", zone_ids, CODE_LENGTH, first_row=1)


def _check_column(file: str, column: str, values: list[str], limit: int, first_row: int) -> None:
    if not values:
        return
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    too_long = np.flatnonzero(lengths > limit)
    if too_long.size:
        raise ValueTooLong(file, int(too_long[0]) + first_row, column, limit)


def load_package(season: Season, pkg: DataPackage) -> dict[str, int]:
    """Insert every table of ``pkg`` under ``season``; returns the row count per table."""
    counts: dict[str, int] = {}
    schools = _insert(season, SCHOOLS, pkg[SCHOOLS.spec.name], {})
    _link_feeders(pkg[SCHOOLS.spec.name], schools)
    addresses = _insert(season, ADDRESSES, pkg[ADDRESSES.spec.name], {})
    refs: dict[str, CodeMap] = {"schools": schools, "addresses": addresses}
    counts["zones"] = _insert_zones(season, pkg, schools)
    for tmap in REGISTRIES:
        _insert(season, tmap, pkg[tmap.spec.name], refs)
    applications = _insert(season, APPLICATIONS, pkg[APPLICATIONS.spec.name], refs)
    counts["preferences"] = _insert_preferences(pkg[APPLICATIONS.spec.name], applications, schools)
    for name in TABLE_MAPS:
        counts[name] = len(pkg[name])
    return counts


def _insert(season: Season, tmap: TableMap, table: Table, refs: Mapping[str, CodeMap]) -> CodeMap:
    """Bulk-insert one table; for a table keyed by a code, return code -> primary key."""
    names: list[str] = []
    columns: list[list[Any]] = []
    for column in tmap.insert_columns:
        values = to_db(column, table[column.name])
        if column.name in tmap.refs:
            values = _resolve(tmap, column.name, values, refs[tmap.refs[column.name]])
        names.append(tmap.attname(column.name))
        columns.append(values)
    extra_names = list(table.extras)
    extra_columns = [table.extras[n] for n in extra_names]
    model = tmap.model
    objs: list[models.Model] = []
    for i, row in enumerate(zip(*columns, strict=True)):
        fields = dict(zip(names, row, strict=True))
        if extra_names:
            fields["extra"] = {n: c[i] for n, c in zip(extra_names, extra_columns, strict=True)}
        objs.append(model(season_id=season.pk, **fields))
    model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
    if "code" not in names:
        return {}
    return dict(model._default_manager.filter(season=season).values_list("code", "pk"))


def _resolve(tmap: TableMap, column: str, codes: list[Any], pks: CodeMap) -> list[int | None]:
    try:
        return [pks[c] if c else None for c in codes]
    except KeyError as missing:
        # The reader checks foreign keys; reaching this means the package bypassed it.
        raise PackageRejected(
            f"{tmap.spec.filename}: column {column} names {missing.args[0]!r}, which is not listed"
        ) from None


def _link_feeders(table: Table, schools: CodeMap) -> None:
    feeds = table["feeds_school_id"].tolist()
    linked = [
        School(pk=schools[code], feeds_id=_lookup(schools, target, "feeds_school_id"))
        for code, target in zip(table["school_id"].tolist(), feeds, strict=True)
        if target
    ]
    School.objects.bulk_update(linked, ["feeds_id"], batch_size=BATCH_SIZE)


def _lookup(pks: CodeMap, code: str, column: str) -> int:
    try:
        return pks[code]
    except KeyError:
        raise PackageRejected(f"column {column} names {code!r}, which is not listed") from None


def _insert_zones(season: Season, pkg: DataPackage, schools: CodeMap) -> int:
    Zone.objects.bulk_create(
        [
            Zone(
                season_id=season.pk,
                code=z.zone_id,
                stage=z.stage,
                geometry=z.geometry,
                properties=z.properties,
            )
            for z in pkg.zones
        ],
        batch_size=BATCH_SIZE,
    )
    zones = dict(Zone.objects.filter(season=season).values_list("code", "pk"))
    through = Zone.schools.through
    links = [
        through(zone_id=zones[z.zone_id], school_id=_lookup(schools, s, "zones.school_ids"))
        for z in pkg.zones
        for s in z.school_ids
    ]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return len(pkg.zones)


def _insert_preferences(table: Table, applications: CodeMap, schools: CodeMap) -> int:
    prefs = [
        Preference(
            application_id=applications[code],
            rank=rank,
            school_id=_lookup(schools, school, "preferences"),
        )
        for code, listed in zip(
            table["application_id"].tolist(), table["preferences"].tolist(), strict=True
        )
        for rank, school in enumerate(listed, start=1)
    ]
    Preference.objects.bulk_create(prefs, batch_size=BATCH_SIZE)
    return len(prefs)


def delete_season_rows(season: Season) -> None:
    """Delete a season and everything loaded under it, inside the caller's transaction.

    ``Season.delete()`` alone fails: Django's collector reaches an address through the season
    before the registry rows that PROTECT it, and refuses."""
    # Rows that point at each other with PROTECT (an application at its address, a preference
    # at its school) go first, so each delete below only cascades downwards; Season.delete()
    # then removes whatever else hangs off the season. A school still named by a student
    # record (which outlives seasons) raises ProtectedError: the replace is refused.
    Preference.objects.filter(application__season=season).delete()
    Application.objects.filter(season=season).delete()
    for tmap in REGISTRIES:
        tmap.model._default_manager.filter(season=season).delete()
    Zone.objects.filter(season=season).delete()
    School.objects.filter(season=season).update(feeds=None)
    School.objects.filter(season=season).delete()
    Address.objects.filter(season=season).delete()
    season.delete()
