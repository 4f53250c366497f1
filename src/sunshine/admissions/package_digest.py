"""A data package's fingerprint: SHA-256 over its canonical content (the policy text, every
table column by column with its extras, the zones). Equal content gives an equal digest whatever
the file format or encoding it came in, so the audit log can name what was loaded without
holding any of it."""

from __future__ import annotations

from typing import Any

import numpy as np

from sunshine.core.canonical import digest, sha256_hex
from sunshine.datasets.package import DataPackage, Table


def part_digests(pkg: DataPackage) -> dict[str, str]:
    """One digest per part: ``policy``, each table by name, and ``zones``."""
    parts = {"policy": sha256_hex(pkg.policy_text.encode("utf-8"))}
    for name, table in pkg.tables.items():
        parts[name] = digest(_canonical_table(table))
    parts["zones"] = digest(
        [
            {
                "zone_id": z.zone_id,
                "stage": z.stage,
                "school_ids": list(z.school_ids),
                "geometry": z.geometry,
                "properties": z.properties,
            }
            for z in pkg.zones
        ]
    )
    return parts


def package_digest(pkg: DataPackage) -> str:
    return digest(part_digests(pkg))


def _canonical_table(table: Table) -> dict[str, Any]:
    columns = [[c.name, _cells(c.kind, table[c.name])] for c in table.spec.columns]
    extras = [[name, list(values)] for name, values in table.extras.items()]
    return {"table": table.spec.name, "columns": columns, "extras": extras}


def _cells(kind: str, values: np.ndarray) -> list[Any]:
    """JSON values for a typed column; an empty optional cell becomes null."""
    if kind == "date":
        return [None if v == "NaT" else v for v in values.astype("datetime64[D]").astype(str)]
    if kind == "float":
        return [None if np.isnan(v) else v for v in values.tolist()]
    if kind == "list":
        return [list(v) for v in values.tolist()]
    return list(values.tolist())
