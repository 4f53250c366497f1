"""One chunk of synthetic families, as columnar numpy arrays (vectorised per chunk).

Family types (the evidence each family holds):

1. 房户一致 (60 %): owns the home, child and parents registered (户籍) there;
2. 户籍 only (8 %): registered in the grandparents' household, no deed on record;
3. 房产 only (10 %): owns the home, hukou elsewhere (bought in the county);
4. 随迁 (20 %): migrants renting, with 居住证 and 社保;
5. grandparents' home (2 %): registered in the grandparents' household, the grandparent owns
   the home (only counts where the policy allows a grandparent's home).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sunshine.datasets import synthetic_names as names
from sunshine.datasets.synthetic_context import County

FAMILY_TYPE_SHARES = (0.60, 0.08, 0.10, 0.20, 0.02)
SPECIAL_NEEDS = ("", "disabled", "left_behind", "orphan", "unsupported", "poor")
SPECIAL_SHARES = (0.945, 0.010, 0.020, 0.002, 0.003, 0.020)
PRIORITY_GROUPS = ("military", "police", "martyr", "talent")
PRIORITY_SHARES = (0.35, 0.35, 0.05, 0.25)
PRIORITY_RATE = 0.015
TWIN_RATE = 0.005  # of children: ~1 % of applications belong to a twin pair
DAY = np.timedelta64(1, "D")


def uniform_dates(
    rng: np.random.Generator, lo: object, hi: object, size: int | None = None
) -> np.ndarray:
    """Uniform dates in [lo, hi] (arrays or scalars of datetime64[D]), elementwise; ``size``
    draws that many for scalar bounds."""
    lo_a, hi_a = np.asarray(lo, "datetime64[D]"), np.asarray(hi, "datetime64[D]")
    span = (hi_a - lo_a).astype(np.int64) + 1
    n = size if size is not None else max(lo_a.size, hi_a.size)
    return lo_a + (rng.random(n) * span).astype(np.int64) * DAY


def years_before(dates: np.ndarray, rng: np.random.Generator, lo: float, hi: float) -> np.ndarray:
    return dates - (rng.uniform(lo, hi, len(dates)) * 365.25).astype(np.int64) * DAY


@dataclass(slots=True)
class Chunk:
    """Families [f] and children [k] of one chunk. Mutable: the anomaly planter edits it."""

    stage: str
    # families
    ftype: np.ndarray
    compound: np.ndarray
    home: np.ndarray  # U address_id
    home_text: np.ndarray
    home_xy: np.ndarray
    household: np.ndarray  # U household_id ("" when no local hukou)
    surname: np.ndarray
    special: np.ndarray
    priority: np.ndarray
    father: np.ndarray  # U18 id, "" when absent
    mother: np.ndarray
    grandparent: np.ndarray
    older: np.ndarray  # an older sibling, "" when none
    older_birth: np.ndarray
    cert: np.ndarray  # U certificate_no of the home, "" when not owned
    owners: np.ndarray  # 0 father, 1 both (0.5/0.5), 2 mother, 3 grandparent
    acquired: np.ndarray
    parents_registered: np.ndarray  # NaT when no local hukou
    kids_registered: np.ndarray
    grandparent_registered: np.ndarray
    permit_father: np.ndarray  # issued_on, NaT when none
    permit_mother: np.ndarray
    permit_days: np.ndarray  # validity in days
    ss_father: np.ndarray  # months of 社保, -1 when no record
    ss_mother: np.ndarray
    code: np.ndarray  # region-code index of the family's children
    # children
    fam: np.ndarray
    child: np.ndarray  # U18
    birth: np.ndarray
    male: np.ndarray
    given: np.ndarray
    twin_of: np.ndarray  # index of the twin in this chunk, -1
    claim: np.ndarray  # claimed address_id
    claim_xy: np.ndarray
    claim_cert: np.ndarray
    hukou_household: np.ndarray  # "" = the family's own registration (if any)
    hukou_address: np.ndarray
    hukou_registered: np.ndarray
    duplicate_of: np.ndarray  # index of the real child for a planted duplicate, -1
    # extra addresses (the planted duplicates' second homes)
    extra_address: np.ndarray
    extra_text: np.ndarray
    extra_xy: np.ndarray

    @property
    def families(self) -> int:
        return len(self.ftype)


def cohort_window(county: County, stage: str) -> tuple[np.datetime64, np.datetime64]:
    """Births of the stage's entry cohort: six (or twelve) years before the age cut-off."""
    back = 7 if stage == "primary" else 13
    return county.date(back, 9, 1), county.date(back - 1, 8, 31)


def new_flats(
    county: County, rng: np.random.Generator, compound: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(address_ids, texts, lon/lat) of new flats in these compounds; each flat is used once."""
    c = county.counters
    n = len(compound)
    order = np.argsort(compound, kind="stable")
    first = np.searchsorted(compound[order], compound[order], side="left")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - first
    k = c.flats[compound] + rank
    np.add.at(c.flats, compound, 1)
    building, unit = k // 24 + 1, (k // 12) % 2 + 1
    room = ((k // 2) % 6 + 1) * 100 + k % 2 + 1
    ids = np.array([f"AD{i:08d}" for i in range(c.address, c.address + n)])
    c.address += n
    prefix = county.compound_names[compound]
    texts = np.array(
        [
            f"{county.region_name}{p}{b}幢{u}单元{r}室"
            for p, b, u, r in zip(
                prefix.tolist(), building.tolist(), unit.tolist(), room.tolist(), strict=True
            )
        ]
    )
    xy = np.round(county.compounds.xy[compound] + rng.uniform(-8e-4, 8e-4, (n, 2)), 6)
    # A flat whose jitter lands outside its zones (or on an edge) sits at the compound's point.
    bad = np.zeros(n, dtype=bool)
    for stage in county.stages.values():
        bad |= stage.zones.lookup(xy) < 0
    xy[bad] = county.compounds.xy[compound[bad]]
    return ids, texts, xy


def make_chunk(county: County, rng: np.random.Generator, stage: str, homes: np.ndarray) -> Chunk:
    """Families for ``len(homes)`` children of ``stage``, living in the compounds ``homes``."""
    n = len(homes)
    pairs = int(rng.binomial(n // 2, TWIN_RATE * 2)) if n >= 2 else 0
    f = n - pairs
    twin = np.zeros(f, dtype=bool)
    twin[rng.choice(f, size=pairs, replace=False)] = True
    compound = homes[:f]
    ftype = rng.choice(np.arange(1, 6), size=f, p=FAMILY_TYPE_SHARES)
    special = np.array(SPECIAL_NEEDS)[rng.choice(len(SPECIAL_NEEDS), size=f, p=SPECIAL_SHARES)]
    orphan = special == "orphan"
    # An orphan lives with a grandparent, in the grandparent's household.
    ftype[orphan & (ftype != 5)] = 2
    priority = np.where(
        rng.random(f) < PRIORITY_RATE,
        np.array(PRIORITY_GROUPS)[rng.choice(4, size=f, p=PRIORITY_SHARES)],
        "",
    )
    has_father = rng.random(f) > 0.03
    has_mother = (rng.random(f) > 0.02) | ~has_father
    has_gp = (ftype == 2) | (ftype == 5)
    has_older = rng.random(f) < 0.3
    migrant = (ftype == 3) | (ftype == 4)

    lo, hi = cohort_window(county, stage)
    fam_birth = uniform_dates(rng, lo, hi, f)
    father_birth = years_before(fam_birth, rng, 24, 40)
    mother_birth = years_before(fam_birth, rng, 22, 38)
    gp_birth = years_before(fam_birth, rng, 48, 66)
    older_birth = fam_birth - rng.integers(700, 3000, f) * DAY
    province = county.n_local_codes + rng.integers(0, county.n_migrant_codes, f)

    def code(mask: np.ndarray) -> np.ndarray:
        local = rng.integers(0, county.n_local_codes, f)
        return np.where(migrant, province, local)[mask]

    # Children: one per family, two for twins (same birth date, consecutive rows).
    fam = np.repeat(np.arange(f), 1 + twin.astype(np.int64))
    k = len(fam)
    male = rng.random(k) < 0.52
    fam_code = code(np.ones(f, dtype=bool))
    people = [
        (fam_code[fam], fam_birth[fam], male),
        (code(has_father), father_birth[has_father], np.ones(int(has_father.sum()), bool)),
        (code(has_mother), mother_birth[has_mother], np.zeros(int(has_mother.sum()), bool)),
        (code(has_gp), gp_birth[has_gp], rng.random(int(has_gp.sum())) < 0.5),
        (code(has_older), older_birth[has_older], rng.random(int(has_older.sum())) < 0.5),
    ]
    ids = county.ids.allocate(
        np.concatenate([p[0] for p in people]),
        np.concatenate([p[1] for p in people]),
        np.concatenate([p[2] for p in people]),
    )
    parts = np.split(ids, np.cumsum([len(p[0]) for p in people])[:-1])
    child = parts[0]

    def spread(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
        out = np.full(f, "", dtype="U18")
        out[mask] = values
        return out

    father, mother = spread(has_father, parts[1]), spread(has_mother, parts[2])
    grandparent, older = spread(has_gp, parts[3]), spread(has_older, parts[4])

    home, home_text, home_xy = new_flats(county, rng, compound)
    local_hukou = ~migrant
    household = np.full(f, "", dtype="U12")
    c = county.counters
    household[local_hukou] = [
        f"H{i:08d}" for i in range(c.household, c.household + int(local_hukou.sum()))
    ]
    c.household += int(local_hukou.sum())

    owned = (ftype == 1) | (ftype == 3) | (ftype == 5)
    acquired = uniform_dates(rng, "2008-01-01", county.hukou_since_before - 365, f)
    acquired[ftype == 5] = uniform_dates(rng, "1995-01-01", "2012-12-31", f)[ftype == 5]
    owners = rng.choice(3, size=f, p=[0.35, 0.5, 0.15])
    owners[~has_mother] = 0
    owners[~has_father] = 2
    owners[ftype == 5] = 3
    cert = np.full(f, "", dtype="U32")
    years = acquired.astype("datetime64[Y]").astype(np.int64) + 1970
    serial = range(c.certificate, c.certificate + int(owned.sum()))
    cert[owned] = [
        f"浙({y}){county.region_name}不动产权第{s:07d}号"
        for y, s in zip(years[owned].tolist(), serial, strict=True)
    ]
    c.certificate += int(owned.sum())

    nat = np.full(f, np.datetime64("NaT"), dtype="datetime64[D]")
    parents_registered = nat.copy()
    t1 = ftype == 1
    parents_registered[t1] = acquired[t1] + rng.integers(0, 90, int(t1.sum())) * DAY
    gp_family = has_gp
    parents_registered[gp_family] = uniform_dates(rng, np.datetime64("2010-01-01"), fam_birth)[
        gp_family
    ]
    kids_registered = nat.copy()
    kids_registered[local_hukou] = np.maximum(
        fam_birth + rng.integers(0, 60, f) * DAY, parents_registered
    )[local_hukou]
    grandparent_registered = nat.copy()
    grandparent_registered[has_gp] = uniform_dates(rng, "1990-01-01", "2009-12-31", f)[has_gp]

    permit_father, permit_mother = nat.copy(), nat.copy()
    permit_rate = np.where(ftype == 4, 0.85, np.where(ftype == 3, 0.4, 0.0))
    gets_f = has_father & (rng.random(f) < permit_rate)
    gets_m = has_mother & (rng.random(f) < permit_rate)
    nobody = (ftype == 4) & ~gets_f & ~gets_m
    gets_f |= nobody & has_father
    gets_m |= nobody & ~has_father
    issued = uniform_dates(rng, county.date(1, 9, 1), county.date(0, 4, 30), f)
    permit_father[gets_f] = issued[gets_f]
    permit_mother[gets_m] = (issued - rng.integers(0, 60, f) * DAY)[gets_m]
    permit_days = np.where(rng.random(f) < 0.8, 365, 730)

    ss_father = _social_security(rng, ftype, has_father)
    ss_mother = _social_security(rng, ftype, has_mother)

    surname_idx = rng.choice(len(names.SURNAMES), size=f, p=names.surname_weights())
    twin_of = np.full(k, -1, dtype=np.int64)
    first_of_pair = np.flatnonzero(np.diff(fam) == 0)
    twin_of[first_of_pair] = first_of_pair + 1
    twin_of[first_of_pair + 1] = first_of_pair
    return Chunk(
        stage=stage,
        ftype=ftype,
        compound=compound,
        home=home,
        home_text=home_text,
        home_xy=home_xy,
        household=household,
        surname=np.array(names.SURNAMES)[surname_idx],
        special=special,
        priority=priority,
        father=father,
        mother=mother,
        grandparent=grandparent,
        older=older,
        older_birth=older_birth,
        cert=cert,
        owners=owners,
        acquired=np.where(owned, acquired, np.datetime64("NaT")),
        parents_registered=parents_registered,
        kids_registered=kids_registered,
        grandparent_registered=grandparent_registered,
        permit_father=permit_father,
        permit_mother=permit_mother,
        permit_days=permit_days,
        ss_father=ss_father,
        ss_mother=ss_mother,
        code=fam_code,
        fam=fam,
        child=child,
        birth=fam_birth[fam],
        male=male,
        given=names.given_names(rng, male),
        twin_of=twin_of,
        claim=home[fam],
        claim_xy=home_xy[fam],
        claim_cert=cert[fam],
        hukou_household=np.full(k, "", dtype=household.dtype),
        hukou_address=np.full(k, "", dtype=home.dtype),
        hukou_registered=np.full(k, np.datetime64("NaT"), dtype="datetime64[D]"),
        duplicate_of=np.full(k, -1, dtype=np.int64),
        extra_address=np.array([], dtype=home.dtype),
        extra_text=np.array([], dtype=home_text.dtype),
        extra_xy=np.zeros((0, 2)),
    )


def _social_security(
    rng: np.random.Generator, ftype: np.ndarray, present: np.ndarray
) -> np.ndarray:
    f = len(ftype)
    migrant_renting = ftype == 4
    has = present & (rng.random(f) < np.where(migrant_renting, 0.95, 0.85))
    short = migrant_renting & (rng.random(f) < 0.15)
    months = np.where(short, rng.integers(0, 12, f), rng.integers(12, 200, f))
    return np.where(has, months, -1)
