"""How close is ``read_package`` (parse + type + validate) to merely parsing the CSV files?

    python bench/bench_read_package.py [--children 200000] [--source synthetic|plain]
                                       [--package PATH] [--repeat 2]

Without ``--package`` it first writes a package with ``--children`` applications in all
(two thirds grade 1, one third grade 7) into a temporary folder: with the synthetic county
generator (``sunshine.datasets.synthetic``, the default), or with the plain builder below
(uniform random registries, every reference valid). It prints the best time of plain
``csv.reader`` over every CSV file (the baseline), the best time of ``read_package``, and
their ratio; then the time to the engine's coded inputs by the full reader
(``read_package`` + ``stage_inputs``) and by the season's fast reader (``read_fast``), in one
process and in two.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from sunshine.datasets import synthetic
from sunshine.datasets.fastread import read_fast
from sunshine.datasets.reader import read_package
from sunshine.datasets.schema import POLICY_FILE, TABLES, ZONES_FILE
from sunshine.datasets.to_core import in_canonical_order, stage_inputs

POLICY = """\
region_code = "330199"
region_name = "基准县"
school_year = 2026
age_cutoff = 2026-08-31
[stages.primary]
min_age = 6
seat_lock_years = 6
class_size = 45
[[stages.primary.tiers]]
name = "户籍"
hukou_in_zone = true
[stages.junior]
seat_lock_years = 3
class_size = 50
[[stages.junior.tiers]]
name = "户籍"
hukou_in_zone = true
"""


def _ids(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:08d}" for i in range(n)]


def _dates(rng: np.random.Generator, n: int, start: str, days: int) -> list[str]:
    values = np.datetime64(start) + rng.integers(0, days, n).astype("timedelta64[D]")
    return np.datetime_as_string(values).tolist()


def _coords(rng: np.random.Generator, n: int, low: float) -> list[str]:
    return [f"{v:.6f}" for v in (low + rng.random(n) * 0.5).tolist()]


def build(folder: Path, children: int, seed: int = 7) -> None:
    """A package with ``children`` applications and registries sized like a county's."""
    rng = np.random.default_rng(seed)
    n = children
    n_schools = max(4, n // 600)
    stages = ["primary" if i % 2 == 0 else "junior" for i in range(n_schools)]
    school_ids = _ids("S", n_schools)
    primaries = [s for s, st in zip(school_ids, stages, strict=True) if st == "primary"]
    juniors = [s for s, st in zip(school_ids, stages, strict=True) if st == "junior"]
    addresses = _ids("A", int(n * 1.2))
    people = _ids("P", n * 3)
    children_ids = people[:n]
    certs = _ids("C", int(n * 0.8))

    def pick(values: list[str], size: int) -> list[str]:
        return [values[i] for i in rng.integers(0, len(values), size).tolist()]

    app_stage = ["primary" if i % 2 == 0 else "junior" for i in range(n)]
    prefs = [";".join(pick(primaries if st == "primary" else juniors, 3)) for st in app_stage]
    columns: dict[str, dict[str, list[str]]] = {
        "schools": {
            "school_id": school_ids,
            "name": [f"第{i}学校" for i in range(n_schools)],
            "stage": stages,
            "kind": ["public"] * n_schools,
            "lon": _coords(rng, n_schools, 120.0),
            "lat": _coords(rng, n_schools, 30.0),
            "plan_seats": [str(v) for v in rng.integers(100, 800, n_schools).tolist()],
            "class_size": [""] * n_schools,
            "feeds_school_id": [pick(juniors, 1)[0] if st == "primary" else "" for st in stages],
        },
        "addresses": {
            "address_id": addresses,
            "text": [f"阳光路{i}号" for i in range(len(addresses))],
            "lon": _coords(rng, len(addresses), 120.0),
            "lat": _coords(rng, len(addresses), 30.0),
        },
        "households": {
            "person_id": people,
            "household_id": [f"H{i // 3:08d}" for i in range(len(people))],
            "address_id": pick(addresses, len(people)),
            "registered_on": _dates(rng, len(people), "2005-01-01", 7000),
            "relation": (["child", "head", "spouse"] * n)[: len(people)],
        },
        "properties": {
            "certificate_no": certs,
            "address_id": pick(addresses, len(certs)),
            "owner_id": people[n : n + len(certs)],
            "share": ["1.0"] * len(certs),
            "acquired_on": _dates(rng, len(certs), "2000-01-01", 9000),
        },
        "residence_permits": {
            "person_id": people[-n // 5 :],
            "address_id": pick(addresses, n // 5),
            "issued_on": _dates(rng, n // 5, "2018-01-01", 2000),
            "valid_until": _dates(rng, n // 5, "2026-01-01", 2000),
        },
        "social_security": {
            "person_id": people[-n // 4 :],
            "months_continuous": [str(v) for v in rng.integers(0, 120, n // 4).tolist()],
            "as_of": ["2026-04-30"] * (n // 4),
        },
        "births": {
            "child_id": children_ids,
            "birth_date": _dates(rng, n, "2013-01-01", 2500),
            "mother_id": people[n : 2 * n],
            "father_id": people[2 * n : 3 * n],
            "address_id": pick(addresses, n),
        },
        "vaccinations": {
            "child_id": children_ids,
            "complete": ["true" if v else "false" for v in (rng.random(n) < 0.97).tolist()],
        },
        "seat_usage": {
            "certificate_no": certs[: n // 4],
            "year": ["2021"] * (n // 4),
            "stage": ["primary"] * (n // 4),
            "child_id": _ids("OLD", n // 4),
        },
        "applications": {
            "application_id": _ids("APP", n),
            "child_id": children_ids,
            "child_name": [f"孩子{i}" for i in range(n)],
            "gender": ["M" if v else "F" for v in (rng.random(n) < 0.5).tolist()],
            "birth_date": _dates(rng, n, "2013-01-01", 2500),
            "stage": app_stage,
            "guardian_ids": [
                f"{a};{b}" for a, b in zip(people[n : 2 * n], people[2 * n :], strict=True)
            ],
            "claimed_address_id": pick(addresses, n),
            "claimed_certificate_no": [c if i % 3 else "" for i, c in enumerate(pick(certs, n))],
            "preferences": prefs,
            "private_school_id": [""] * n,
            "priority_group": [""] * n,
            "special_needs": [""] * n,
            "sibling_application_ids": [""] * n,
            "current_school_id": [
                pick(primaries, 1)[0] if st == "junior" else "" for st in app_stage
            ],
        },
    }
    folder.mkdir(parents=True, exist_ok=True)
    for spec in TABLES:
        table = columns[spec.name]
        with (folder / spec.filename).open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(spec.column_names)
            writer.writerows(zip(*(table[c] for c in spec.column_names), strict=True))
    (folder / POLICY_FILE).write_text(POLICY, encoding="utf-8")
    (folder / ZONES_FILE).write_text(_zones(primaries, juniors), encoding="utf-8")


def _zones(primaries: list[str], juniors: list[str]) -> str:
    features = []
    for stage, schools in (("primary", primaries), ("junior", juniors)):
        for i, school in enumerate(schools):
            x, y = 120.0 + (i % 50) * 0.01, 30.0 + (i // 50) * 0.01
            ring = (
                f"[[{x},{y}],[{x + 0.01},{y}],[{x + 0.01},{y + 0.01}],[{x},{y + 0.01}],[{x},{y}]]"
            )
            props = f'{{"zone_id":"{stage}-{i}","stage":"{stage}","school_ids":["{school}"]}}'
            geometry = f'{{"type":"Polygon","coordinates":[{ring}]}}'
            features.append(f'{{"type":"Feature","properties":{props},"geometry":{geometry}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def csv_parse_only(folder: Path) -> int:
    rows = 0
    for spec in TABLES:
        with (folder / spec.filename).open(encoding="utf-8-sig", newline="") as f:
            rows += len(list(csv.reader(f)))
    return rows


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--package", type=Path, help="an existing package folder")
    parser.add_argument("--source", choices=["synthetic", "plain"], default="synthetic")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.package
        if folder is None:
            folder = Path(tmp) / "package"
            start = time.perf_counter()
            if args.source == "synthetic":
                grade_1 = args.children * 2 // 3
                synthetic.generate(
                    folder,
                    children=grade_1,
                    junior_children=args.children - grade_1,
                    seed=7,
                    progress=False,
                )
            else:
                build(folder, args.children)
            took = time.perf_counter() - start
            print(f"{args.source} package, {args.children:,} children, built in {took:.1f} s")
        rows = csv_parse_only(folder)
        size = sum((folder / s.filename).stat().st_size for s in TABLES) / 1e6
        baseline = best(lambda: csv_parse_only(folder), args.repeat)
        ours = best(lambda: read_package(folder), args.repeat)
        full = best(lambda: stage_inputs(in_canonical_order(read_package(folder))), args.repeat)
        fast = {
            n: best(lambda n=n: _fast_inputs(folder, n), args.repeat)  # type: ignore[misc]
            for n in (1, 2)
        }
        print(f"{rows:,} CSV rows, {size:.0f} MB, best of {args.repeat}")
        print(f"csv.reader only (baseline)   {baseline:6.2f} s")
        print(f"read_package (parse+check)  {ours:6.2f} s")
        print(f"ratio read_package / csv.reader = {ours / baseline:.2f}x")
        print("to the engine's coded inputs (read, check, code every id):")
        print(f"  read_package + stage_inputs      {full:6.2f} s   {full / baseline:.2f}x")
        for n, seconds in fast.items():
            print(
                f"  read_fast, {n} process{'es' if n > 1 else '  '}         {seconds:6.2f} s   "
                f"{seconds / baseline:.2f}x   ({full / seconds:.2f}x faster)"
            )


def _fast_inputs(folder: Path, processes: int) -> object:
    fast = read_fast(folder, processes=processes)
    inputs = None if fast is None else fast.stage_inputs()
    if inputs is None:
        raise SystemExit("the fast reader declined this package")
    return inputs


if __name__ == "__main__":
    main()
