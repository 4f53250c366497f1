"""Verification + tiering of a synthetic city (200,000 grade-1 children by default).

    python bench/bench_eligibility.py [--children 200000] [--seed 1] [--dir DIR] [--repeat 3]

Generates (or reuses, with ``--dir``) a synthetic package, reads it, and times separately:
the adapter (``datasets.to_core.stage_inputs``: factorising every id) and ``core.eligibility.
assess`` per stage (zone grid build + lookup of every address, the 11 checks, the preference
lists and priorities). Baseline in the same run: a plain-Python loop over the applications
that does only three of the checks (hukou at the claimed address, home owned by a guardian,
permit valid) with dict lookups. Ratio = baseline / ours, per application.
Target: verification + tiering of 200k well under 1 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from sunshine.core.eligibility import assess, registration_day
from sunshine.core.policy import Stage
from sunshine.datasets.package import DataPackage
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate
from sunshine.datasets.to_core import stage_inputs


def best(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return min(times), out


def python_baseline(pkg: DataPackage, stage: Stage) -> int:
    """Three checks the obvious way: dicts and a loop per application."""
    hh = pkg["households"]
    hukou = dict(zip(hh["person_id"].tolist(), hh["address_id"].tolist(), strict=True))
    pr = pkg["properties"]
    owners: dict[str, set[str]] = {}
    for cert, owner in zip(pr["certificate_no"].tolist(), pr["owner_id"].tolist(), strict=True):
        owners.setdefault(cert, set()).add(owner)
    pm = pkg["residence_permits"]
    ref = np.datetime64(registration_day(pkg.policy), "D")
    valid = set(
        np.asarray(pm["person_id"])[(pm["issued_on"] <= ref) & (ref <= pm["valid_until"])].tolist()
    )
    apps = pkg["applications"]
    ok = 0
    for st, child, addr, cert, guardians in zip(
        apps["stage"].tolist(),
        apps["child_id"].tolist(),
        apps["claimed_address_id"].tolist(),
        apps["claimed_certificate_no"].tolist(),
        apps["guardian_ids"].tolist(),
        strict=True,
    ):
        if st != stage.value:
            continue
        at_home = hukou.get(child) == addr
        owned = bool(owners.get(cert, set()) & set(guardians))
        permit = any(g in valid for g in guardians)
        ok += at_home + owned + permit
    return ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", type=Path, default=None, help="reuse or keep the package here")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or Path(tmp) / "county"
        if not (folder / "applications.csv").exists():
            started = time.perf_counter()
            generate(folder, children=args.children, seed=args.seed, progress=False)
            print(f"generated {folder} in {time.perf_counter() - started:.1f} s")
        pkg = read_package(folder)
        print(
            f"{len(pkg['applications']):,} applications, {len(pkg['addresses']):,} addresses,"
            f" {len(pkg.zones)} zones"
        )
        adapt_t, inputs = best(args.repeat, lambda: stage_inputs(pkg))
        print(f"adapter (factorise ids, all stages): {adapt_t:.3f} s")
        total = 0.0
        for stage, inp in inputs.items():
            ev = inp.evidence
            n = len(ev.applicants)
            ours_t, result = best(args.repeat, partial(assess, pkg.policy, stage, ev))
            base_t, _ = best(1, partial(python_baseline, pkg, stage))
            total += ours_t
            print(
                f"{stage.value:8s} {n:>9,} applications  assess {ours_t:.3f} s "
                f"({n / ours_t / 1e6:.2f} M/s, {int(result.pref_ptr[-1]):,} entries)  "
                f"python 3-check loop {base_t:.3f} s  ratio {base_t / ours_t:.1f}x"
            )
        print(
            f"verification + tiering, all stages: {total:.3f} s; "
            f"with the adapter {total + adapt_t:.3f} s"
        )


if __name__ == "__main__":
    main()
