"""Planted anomalies: frauds and irregularities at low rates, recorded in ground_truth.json
(nothing in the pipeline reads it; it is the answer key for the integrity rules).

=====================  ===========================================================  =========
kind                   what is planted / how a detector finds it                    rate
=====================  ===========================================================  =========
crowded_address        8-12 unrelated children (other families, no kinship) have    1 / 4000
                       their 户籍 moved into one owned flat (relation "other") and     children
                       all claim it and its deed (挂靠 / 人户分离). Many applications
                       and hukou rows on one address, guardians not the owners.
late_hukou             a 房户一致 family bought and registered shortly before, or      0.4 %
                       after, the tier's hukou_since_before date (weeks before to     families
                       three months after). households.registered_on near the cut-off.
seat_lock_reuse        the claimed home's deed has a seat_usage row for another       0.4 %
                       family's child within the seat-lock years. The child is in    owners
                       neither the household nor the family's births.
expired_permit         every 居住证 of a migrant family expired before the             1 % of
                       application window (valid_until < {year}-05-01).               migrants
duplicate_child        the same child applies twice: a second application with a     0.2 %
                       different (well-formed) ID number, the same birth date,        families
                       gender and guardians, the same or a one-character-different
                       name, claiming a different flat with no registry evidence.
                       Its child_id has no births or vaccinations row.
=====================  ===========================================================  =========

Invalid ID check digits are never planted: a reader rejects them as format errors.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sunshine.datasets import synthetic_names as names
from sunshine.datasets.synthetic_context import County
from sunshine.datasets.synthetic_families import DAY, Chunk, new_flats, uniform_dates

CROWD_PER_CHILDREN = 4000
LATE_HUKOU_RATE = 0.004
LOCK_REUSE_RATE = 0.004
EXPIRED_PERMIT_RATE = 0.01
DUPLICATE_RATE = 0.002


@dataclass(frozen=True, slots=True)
class Planted:
    """Planted anomalies of a chunk, by chunk-local indices (mapped to ids when written)."""

    kind: str
    children: tuple[int, ...]  # child rows of the chunk
    address_ids: tuple[str, ...]
    certificate_nos: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class LockRow:
    certificate_no: str
    year: int
    child_id: str


def _count(rate: float, pool: int) -> int:
    return min(pool, max(1, round(rate * pool))) if pool else 0


def plant(
    county: County, rng: np.random.Generator, chunk: Chunk
) -> tuple[list[Planted], list[LockRow]]:
    used = np.zeros(chunk.families, dtype=bool)
    # One family, at most one anomaly; twins are left out so every planted story has one child.
    used[chunk.fam[chunk.twin_of >= 0]] = True
    planted: list[Planted] = []
    planted += _crowded(county, rng, chunk, used)
    planted += _late_hukou(county, rng, chunk, used)
    lock_planted, lock_rows = _lock_reuse(county, rng, chunk, used)
    planted += lock_planted
    planted += _expired(county, rng, chunk, used)
    planted += _duplicates(county, rng, chunk, used)
    return planted, lock_rows


def _pick(rng: np.random.Generator, candidates: np.ndarray, count: int) -> np.ndarray:
    if count <= 0 or len(candidates) == 0:
        return np.array([], dtype=np.int64)
    return np.sort(rng.choice(candidates, size=min(count, len(candidates)), replace=False))


def _children_of(chunk: Chunk, families: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.isin(chunk.fam, families) & (chunk.duplicate_of < 0))


def _crowded(
    county: County, rng: np.random.Generator, chunk: Chunk, used: np.ndarray
) -> list[Planted]:
    n_children = len(chunk.child)
    clusters = max(1, round(n_children / CROWD_PER_CHILDREN)) if n_children >= 200 else 0
    out = []
    for _ in range(clusters):
        hosts = np.flatnonzero((chunk.ftype == 1) & ~used)
        host = _pick(rng, hosts, 1)
        if len(host) == 0:
            break
        h = int(host[0])
        used[h] = True
        # Families with no local hukou of their own, so each child gets exactly one hukou row.
        pool = np.flatnonzero(((chunk.ftype == 3) | (chunk.ftype == 4)) & ~used)
        members = _pick(rng, pool, int(rng.integers(8, 13)))
        if len(members) < 8:
            break
        used[members] = True
        kids = _children_of(chunk, members)
        chunk.claim[kids] = chunk.home[h]
        chunk.claim_xy[kids] = chunk.home_xy[h]
        chunk.claim_cert[kids] = chunk.cert[h]
        chunk.hukou_household[kids] = chunk.household[h]
        chunk.hukou_address[kids] = chunk.home[h]
        hsb = county.hukou_since_before
        chunk.hukou_registered[kids] = uniform_dates(rng, hsb - 700, hsb - 90, len(kids))
        out.append(
            Planted(
                "crowded_address",
                tuple(kids.tolist()),
                (str(chunk.home[h]),),
                (str(chunk.cert[h]),),
                f"{len(kids)} children of unrelated families registered (relation 'other') "
                "and claiming one owned flat",
            )
        )
    return out


def _late_hukou(
    county: County, rng: np.random.Generator, chunk: Chunk, used: np.ndarray
) -> list[Planted]:
    families = _pick(
        rng, np.flatnonzero((chunk.ftype == 1) & ~used), _count(LATE_HUKOU_RATE, chunk.families)
    )
    used[families] = True
    hsb = county.hukou_since_before
    moved = uniform_dates(rng, hsb - 42, hsb + 90, len(families))
    chunk.parents_registered[families] = moved
    chunk.kids_registered[families] = moved
    chunk.acquired[families] = moved - rng.integers(0, 30, len(families)) * DAY
    out = []
    for f, day in zip(families.tolist(), moved.tolist(), strict=True):
        out.append(
            Planted(
                "late_hukou",
                tuple(_children_of(chunk, np.array([f])).tolist()),
                (str(chunk.home[f]),),
                (str(chunk.cert[f]),),
                f"home bought and hukou registered on {day}, near hukou_since_before {hsb}",
            )
        )
    return out


def _lock_reuse(
    county: County, rng: np.random.Generator, chunk: Chunk, used: np.ndarray
) -> tuple[list[Planted], list[LockRow]]:
    owners = np.flatnonzero(((chunk.ftype == 1) | (chunk.ftype == 3)) & ~used)
    families = _pick(rng, owners, _count(LOCK_REUSE_RATE, chunk.families))
    used[families] = True
    lock = county.lock_years[chunk.stage]
    if len(families) == 0 or lock < 1:
        return [], []
    years = (
        county.school_year - rng.integers(1, lock, len(families))
        if lock > 1
        else np.full(len(families), county.school_year - 1)
    )
    back = 7 if chunk.stage == "primary" else 13
    lo = np.array([np.datetime64(f"{y - back}-09-01") for y in years.tolist()])
    births = uniform_dates(rng, lo, lo + 364)
    other = county.ids.allocate(
        rng.integers(0, county.n_local_codes, len(families)),
        births,
        rng.random(len(families)) < 0.5,
    )
    out, rows = [], []
    for f, y, c in zip(families.tolist(), years.tolist(), other.tolist(), strict=True):
        rows.append(LockRow(str(chunk.cert[f]), int(y), c))
        out.append(
            Planted(
                "seat_lock_reuse",
                tuple(_children_of(chunk, np.array([f])).tolist()),
                (str(chunk.home[f]),),
                (str(chunk.cert[f]),),
                f"the deed was used in {y} for another family's child ({chunk.stage}), "
                f"within the {lock}-year seat lock",
            )
        )
    return out, rows


def _expired(
    county: County, rng: np.random.Generator, chunk: Chunk, used: np.ndarray
) -> list[Planted]:
    with_permit = ~np.isnat(chunk.permit_father) | ~np.isnat(chunk.permit_mother)
    pool = np.flatnonzero((chunk.ftype == 4) & with_permit & ~used)
    families = _pick(rng, pool, _count(EXPIRED_PERMIT_RATE, len(pool)))
    used[families] = True
    issued = uniform_dates(rng, county.date(2, 3, 1), county.date(2, 9, 30), len(families))
    out = []
    for f, day in zip(families.tolist(), issued, strict=True):
        for permit in (chunk.permit_father, chunk.permit_mother):
            if not np.isnat(permit[f]):
                permit[f] = day
        chunk.permit_days[f] = 365
        out.append(
            Planted(
                "expired_permit",
                tuple(_children_of(chunk, np.array([f])).tolist()),
                (str(chunk.home[f]),),
                (),
                f"every residence permit of the family expired before {county.school_year}-05-01",
            )
        )
    return out


def _duplicates(
    county: County, rng: np.random.Generator, chunk: Chunk, used: np.ndarray
) -> list[Planted]:
    pool = np.flatnonzero(~used & (chunk.special != "orphan"))
    families = _pick(rng, pool, _count(DUPLICATE_RATE, chunk.families))
    used[families] = True
    if len(families) == 0:
        return []
    real = np.array([_children_of(chunk, np.array([f]))[0] for f in families.tolist()])
    fake_ids = county.ids.allocate(chunk.code[chunk.fam[real]], chunk.birth[real], chunk.male[real])
    # A flat in another compound, with nothing on record for it.
    weights = county.compounds.weight
    compound = rng.choice(len(weights), size=len(real), p=weights)
    same = compound == chunk.compound[chunk.fam[real]]
    compound[same] = (compound[same] + 1) % len(weights)
    compound = np.where(weights[compound] > 0, compound, chunk.compound[chunk.fam[real]])
    ids, texts, xy = new_flats(county, rng, compound)
    given = chunk.given[real].copy()
    change = rng.random(len(real)) < 0.5
    pool_chars = np.array(names.GIVEN_MALE + names.GIVEN_FEMALE)
    swapped = np.char.add(
        np.array([g[:-1] for g in given.tolist()]),
        pool_chars[rng.integers(0, len(pool_chars), len(real))],
    )
    given = np.where(change, swapped, given)
    start = len(chunk.child)
    _append_children(chunk, real, fake_ids, given, ids, xy)
    chunk.extra_address = np.concatenate([chunk.extra_address, ids])
    chunk.extra_text = np.concatenate([chunk.extra_text, texts])
    chunk.extra_xy = np.concatenate([chunk.extra_xy, xy])
    return [
        Planted(
            "duplicate_child",
            (int(r), start + i),
            (str(ids[i]),),
            (),
            "one child, two applications: a second ID number with the same birth date, "
            "gender and guardians, a near-identical name and an unsupported address",
        )
        for i, r in enumerate(real.tolist())
    ]


def _append_children(
    chunk: Chunk,
    real: np.ndarray,
    child_ids: np.ndarray,
    given: np.ndarray,
    address: np.ndarray,
    xy: np.ndarray,
) -> None:
    def add(name: str, values: np.ndarray) -> None:
        setattr(chunk, name, np.concatenate([getattr(chunk, name), values]))

    m = len(real)
    add("fam", chunk.fam[real])
    add("child", child_ids)
    add("birth", chunk.birth[real])
    add("male", chunk.male[real])
    add("given", given)
    add("twin_of", np.full(m, -1, dtype=np.int64))
    add("claim", address)
    add("claim_xy", xy)
    add("claim_cert", np.full(m, "", dtype="U1"))
    add("hukou_household", np.full(m, "", dtype="U1"))
    add("hukou_address", np.full(m, "", dtype="U1"))
    add("hukou_registered", np.full(m, np.datetime64("NaT"), dtype="datetime64[D]"))
    add("duplicate_of", real)
