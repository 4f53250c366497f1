"""Rebuilding a season's data package from the database: what `sunshine export` writes and
what the web path feeds to the engine. One ``values_list`` query per table, rows in the order
they were imported, typed columns as :mod:`sunshine.datasets.schema` describes, extras kept."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from sunshine.admissions.models import Preference, Season, Zone
from sunshine.admissions.package_tables import TABLE_MAPS, TableMap, from_db
from sunshine.datasets import package as pkgmod
from sunshine.datasets.package import DataPackage, Table
from sunshine.datasets.policy_toml import parse_policy


def season_to_package(season: Season) -> DataPackage:
    school_codes = _codes(TABLE_MAPS["schools"], season)
    address_codes = _codes(TABLE_MAPS["addresses"], season)
    refs = {"schools": school_codes, "addresses": address_codes}
    tables = {name: _table(season, tmap, refs) for name, tmap in TABLE_MAPS.items()}
    return DataPackage(
        policy=parse_policy(season.policy_toml),
        policy_text=season.policy_toml,
        zones=_zones(season, school_codes),
        tables=tables,
    )


def _codes(tmap: TableMap, season: Season) -> dict[int, str]:
    return dict(tmap.model._default_manager.filter(season=season).values_list("pk", "code"))


def _table(season: Season, tmap: TableMap, refs: dict[str, dict[int, str]]) -> Table:
    spec = tmap.spec
    stored = tmap.row_columns
    query = tmap.model._default_manager.filter(season=season).order_by("pk")
    fields = [tmap.attname(c.name) for c in stored]
    rows: list[tuple[Any, ...]] = list(query.values_list("pk", "extra", *fields))
    by_field: list[tuple[Any, ...]] = (
        list(zip(*rows, strict=True)) if rows else [() for _ in range(len(fields) + 2)]
    )
    pks, extras_by_row = by_field[0], by_field[1]
    raw: dict[str, Any] = {c.name: v for c, v in zip(stored, by_field[2:], strict=True)}
    if "preferences" in tmap.separate:
        raw["preferences"] = _preferences(season, pks, refs["schools"])
    columns: dict[str, np.ndarray] = {}
    for column in spec.columns:
        values = raw[column.name]
        if column.name in tmap.refs:
            codes = refs[tmap.refs[column.name]]
            values = [None if pk is None else codes[pk] for pk in values]
        columns[column.name] = from_db(column, values)
    extra_names: list[str] = season.extra_columns.get(spec.name, [])
    extras = {n: [e.get(n, "") for e in extras_by_row] for n in extra_names}
    return Table(spec=spec, columns=columns, extras=extras)


def _preferences(
    season: Season, applications: tuple[int, ...], schools: dict[int, str]
) -> list[tuple[str, ...]]:
    listed: defaultdict[int, list[str]] = defaultdict(list)
    query = Preference.objects.filter(application__season=season).order_by("application", "rank")
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
        pkgmod.Zone(
            zone_id=code,
            stage=stage,
            school_ids=tuple(members[pk]),
            geometry=geometry,
            properties=properties,
        )
        for pk, code, stage, geometry, properties in query.values_list(
            "pk", "code", "stage", "geometry", "properties"
        )
    )
