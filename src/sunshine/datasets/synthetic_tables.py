"""A chunk of synthetic families as the package's table columns (typed numpy arrays, list
columns already joined), plus its ground-truth entries."""

from __future__ import annotations

from typing import Any

import numpy as np

from sunshine.datasets.schema import LIST_SEPARATOR
from sunshine.datasets.synthetic_anomalies import LockRow, Planted
from sunshine.datasets.synthetic_context import County, StageSchools
from sunshine.datasets.synthetic_families import DAY, Chunk, uniform_dates

Columns = dict[str, np.ndarray]
NAT = np.datetime64("NaT", "D")
PREVIOUS_OWNER_RATE = 0.04
CURRENT_PRIVATE_RATE = 0.07  # junior applicants attending a private primary


def _concat(parts: list[Columns]) -> Columns:
    return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}


def _join(*cols: np.ndarray) -> np.ndarray:
    """Join string columns with the list separator, skipping empty cells."""
    out = cols[0].astype(object)
    for col in cols[1:]:
        both = (out != "") & (col != "")
        out = np.where(
            both, out + LIST_SEPARATOR + col.astype(object), np.where(col != "", col, out)
        )
    return out


def addresses(county: County, chunk: Chunk) -> Columns:
    ids = np.concatenate([chunk.home, chunk.extra_address])
    texts = np.concatenate([chunk.home_text, chunk.extra_text])
    xy = np.concatenate([chunk.home_xy, chunk.extra_xy])
    return {"address_id": ids, "text": texts, "lon": xy[:, 0], "lat": xy[:, 1]}


def households(chunk: Chunk) -> Columns:
    local = chunk.household != ""
    gp_home = chunk.grandparent != ""
    orphan = chunk.special == "orphan"
    t1 = chunk.ftype == 1
    parts: list[Columns] = []

    def rows(mask: np.ndarray, person: np.ndarray, registered: np.ndarray, relation: Any) -> None:
        m = mask & (person != "")
        rel = np.broadcast_to(np.asarray(relation, dtype="U8"), m.shape)[m]
        parts.append(
            {
                "person_id": person[m],
                "household_id": chunk.household[m],
                "address_id": chunk.home[m],
                "registered_on": registered[m],
                "relation": rel,
            }
        )

    rows(gp_home, chunk.grandparent, chunk.grandparent_registered, "head")
    father_head = t1 & (chunk.father != "")
    rows(local & ~orphan, chunk.father, chunk.parents_registered, np.where(t1, "head", "child"))
    mother_relation = np.where(
        t1, np.where(father_head, "spouse", "head"), np.where(chunk.father != "", "other", "child")
    )
    rows(local & ~orphan, chunk.mother, chunk.parents_registered, mother_relation)
    rows(local, chunk.older, chunk.kids_registered, np.where(t1, "child", "other"))
    # Applicants: with their family, or where a planted anomaly registered them.
    moved = chunk.hukou_household != ""
    own = ~moved & (chunk.duplicate_of < 0) & local[chunk.fam]
    fam = chunk.fam
    parts.append(
        {
            "person_id": np.concatenate([chunk.child[own], chunk.child[moved]]),
            "household_id": np.concatenate(
                [chunk.household[fam[own]], chunk.hukou_household[moved]]
            ),
            "address_id": np.concatenate([chunk.home[fam[own]], chunk.hukou_address[moved]]),
            "registered_on": np.concatenate(
                [chunk.kids_registered[fam[own]], chunk.hukou_registered[moved]]
            ),
            "relation": np.concatenate(
                [np.where(t1[fam[own]], "child", "other"), np.full(int(moved.sum()), "other")]
            ),
        }
    )
    return _concat(parts)


def properties(chunk: Chunk) -> Columns:
    owned = chunk.cert != ""
    parts = []
    for person, mode, share in (
        (chunk.father, 0, 1.0),
        (chunk.father, 1, 0.5),
        (chunk.mother, 1, 0.5),
        (chunk.mother, 2, 1.0),
        (chunk.grandparent, 3, 1.0),
    ):
        m = owned & (chunk.owners == mode)
        parts.append(
            {
                "certificate_no": chunk.cert[m],
                "address_id": chunk.home[m],
                "owner_id": person[m],
                "share": np.full(int(m.sum()), share),
                "acquired_on": chunk.acquired[m],
            }
        )
    return _concat(parts)


def residence_permits(chunk: Chunk) -> Columns:
    parts = []
    for person, issued in (
        (chunk.father, chunk.permit_father),
        (chunk.mother, chunk.permit_mother),
    ):
        m = ~np.isnat(issued)
        parts.append(
            {
                "person_id": person[m],
                "address_id": chunk.home[m],
                "issued_on": issued[m],
                "valid_until": issued[m] + chunk.permit_days[m] * DAY,
            }
        )
    return _concat(parts)


def social_security(county: County, chunk: Chunk) -> Columns:
    alive = chunk.special != "orphan"
    parts = []
    for person, months in ((chunk.father, chunk.ss_father), (chunk.mother, chunk.ss_mother)):
        m = (months >= 0) & (person != "") & alive
        parts.append(
            {
                "person_id": person[m],
                "months_continuous": months[m].astype(np.int64),
                "as_of": np.full(int(m.sum()), county.date(0, 5, 31)),
            }
        )
    return _concat(parts)


def births(chunk: Chunk) -> Columns:
    real = chunk.duplicate_of < 0
    born_here = chunk.ftype != 4  # migrants renting here mostly gave birth in their home town
    home = np.where(born_here, chunk.home, "")
    fam = chunk.fam[real]
    older = chunk.older != ""
    return {
        "child_id": np.concatenate([chunk.child[real], chunk.older[older]]),
        "birth_date": np.concatenate([chunk.birth[real], chunk.older_birth[older]]),
        "mother_id": np.concatenate([chunk.mother[fam], chunk.mother[older]]),
        "father_id": np.concatenate([chunk.father[fam], chunk.father[older]]),
        "address_id": np.concatenate([home[fam], home[older]]),
    }


def vaccinations(rng: np.random.Generator, chunk: Chunk) -> Columns:
    real = chunk.duplicate_of < 0
    return {"child_id": chunk.child[real], "complete": rng.random(int(real.sum())) >= 0.02}


def _entry_year(birth: np.ndarray) -> np.ndarray:
    """The autumn a child born on ``birth`` enters grade 1 (six by 31 August)."""
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (birth.astype("datetime64[M]") - birth.astype("datetime64[Y]")).astype(np.int64) + 1
    return year + 6 + (month >= 9)


def seat_usage(
    county: County, rng: np.random.Generator, chunk: Chunk, lock_rows: list[LockRow]
) -> Columns:
    sy = county.school_year
    owner = (chunk.cert != "") & ((chunk.ftype == 1) | (chunk.ftype == 3))
    bought = chunk.acquired.astype("datetime64[Y]").astype(np.int64) + 1970
    parts: list[Columns] = []

    def rows(mask: np.ndarray, year: np.ndarray, stage: str, child: np.ndarray) -> None:
        parts.append(
            {
                "certificate_no": chunk.cert[mask],
                "year": year[mask].astype(np.int64),
                "stage": np.full(int(mask.sum()), stage),
                "child_id": child[mask],
            }
        )

    # Older siblings entered from the family's own home (legitimate, even within the lock).
    entry = _entry_year(chunk.older_birth)
    has_older = owner & (chunk.older != "")
    rows(has_older & (entry <= sy - 1) & (bought < entry), entry, "primary", chunk.older)
    rows(has_older & (entry + 6 <= sy - 1) & (bought < entry + 6), entry + 6, "junior", chunk.older)
    if chunk.stage == "junior":
        # The applicant entered primary school from this home six years ago.
        first = np.zeros(chunk.families, dtype=bool)
        first[chunk.fam[(chunk.duplicate_of < 0) & (chunk.twin_of < 0)]] = True
        child = np.full(chunk.families, "", dtype=chunk.child.dtype)
        real = (chunk.duplicate_of < 0) & (chunk.twin_of < 0)
        child[chunk.fam[real]] = chunk.child[real]
        mask = owner & first & (bought < sy - 6) & (rng.random(chunk.families) < 0.8)
        rows(mask, np.full(chunk.families, sy - 6), "primary", child)
    # Children of previous owners, long enough ago that the lock has run out.
    previous = owner & (rng.random(chunk.families) < PREVIOUS_OWNER_RATE)
    lock = county.lock_years["primary"]
    years = rng.integers(sy - 16, sy - lock, chunk.families)
    lo = ((years - 7 - 1970).astype("datetime64[Y]").astype("datetime64[D]")) + 243 * DAY
    born = uniform_dates(rng, lo, lo + 364)
    n_prev = int(previous.sum())
    others = np.full(chunk.families, "", dtype="U18")
    others[previous] = county.ids.allocate(
        rng.integers(0, county.n_local_codes, n_prev), born[previous], rng.random(n_prev) < 0.5
    )
    rows(previous, years, "primary", others)
    parts.append(
        {
            "certificate_no": np.array([r.certificate_no for r in lock_rows], dtype=object),
            "year": np.array([r.year for r in lock_rows], dtype=np.int64),
            "stage": np.full(len(lock_rows), chunk.stage),
            "child_id": np.array([r.child_id for r in lock_rows], dtype=object),
        }
    )
    return _concat(parts)


def _rank_preferences(
    rng: np.random.Generator, schools: StageSchools, zone: np.ndarray, allowed: int
) -> np.ndarray:
    """Schools of each child's zone, ranked by a popularity-weighted random order
    (Plackett-Luce via Gumbel keys), at most ``allowed`` of them."""
    members = schools.zone_schools[zone]  # [k, 3]
    present = members >= 0
    weight = np.where(present, schools.popularity[np.maximum(members, 0)], 1.0)
    keys = np.log(weight) + rng.gumbel(size=members.shape)
    keys[~present] = -np.inf
    order = np.argsort(-keys, axis=1, kind="stable")
    ranked = np.take_along_axis(members, order, axis=1)[:, :allowed]
    names = np.where(ranked >= 0, schools.public_ids[np.maximum(ranked, 0)], "")
    return _join(*[names[:, i] for i in range(names.shape[1])])


def applications(
    county: County, rng: np.random.Generator, chunk: Chunk
) -> tuple[Columns, np.ndarray]:
    """The applications and their ids (aligned with the chunk's children)."""
    stage = county.stages[chunk.stage]
    k, fam = len(chunk.child), chunk.fam
    counters = county.counters
    start = counters.application[chunk.stage]
    letter = "P" if chunk.stage == "primary" else "J"
    app_ids = np.array([f"{letter}{i:07d}" for i in range(start, start + k)])
    counters.application[chunk.stage] = start + k
    zone = stage.zones.lookup(chunk.claim_xy)
    if np.any(zone < 0):
        raise AssertionError("a claimed address outside every zone")  # flats are placed inside
    prefs = _rank_preferences(rng, stage, zone, county.preferences_allowed)
    lists_private = (rng.random(k) < stage.list_private_rate) & (len(stage.private_ids) > 0)
    p = stage.private_popularity / stage.private_popularity.sum()
    private = np.where(lists_private, stage.private_ids[rng.choice(len(p), size=k, p=p)], "")
    orphan = chunk.special[fam] == "orphan"
    guardians = np.where(
        orphan, chunk.grandparent[fam], _join(chunk.father[fam], chunk.mother[fam])
    )
    sibling = np.where(chunk.twin_of >= 0, app_ids[np.maximum(chunk.twin_of, 0)], "")
    current = np.full(k, "", dtype=object)
    if chunk.stage == "junior":
        primary = county.stages["primary"]
        pzone = primary.zones.lookup(chunk.home_xy[fam])
        slot = rng.integers(0, 3, k)
        members = primary.zone_schools[pzone]
        count = (members >= 0).sum(axis=1)
        pick = members[np.arange(k), slot % count]
        current = primary.public_ids[pick].astype(object)
        private_primary = (rng.random(k) < CURRENT_PRIVATE_RATE) & (len(primary.private_ids) > 0)
        choice = primary.private_ids[rng.integers(0, len(primary.private_ids), k)]
        current = np.where(private_primary, choice, current)
    columns = {
        "application_id": app_ids,
        "child_id": chunk.child,
        "child_name": np.char.add(chunk.surname[fam], chunk.given),
        "gender": np.where(chunk.male, "M", "F"),
        "birth_date": chunk.birth,
        "stage": np.full(k, chunk.stage),
        "guardian_ids": guardians,
        "claimed_address_id": chunk.claim,
        "claimed_certificate_no": chunk.claim_cert,
        "preferences": prefs,
        "private_school_id": private,
        "priority_group": chunk.priority[fam],
        "special_needs": chunk.special[fam],
        "sibling_application_ids": sibling,
        "current_school_id": current,
    }
    return columns, app_ids


def ground_truth(chunk: Chunk, planted: list[Planted], app_ids: np.ndarray) -> list[dict[str, Any]]:
    return [
        {
            "kind": p.kind,
            "stage": chunk.stage,
            "application_ids": [str(app_ids[i]) for i in p.children],
            "address_ids": list(p.address_ids),
            "certificate_nos": list(p.certificate_nos),
            "note": p.note,
        }
        for p in planted
    ]
