"""Deferred acceptance: ours against the `matching` package on the same random instances.

    python bench/bench_da_vs_matching.py [--sizes 1000 10000] [--ours-only 200000 1500000]

Each instance: n children, n / 50 schools (at least 10), five distinct choices per child (the
first by a Zipf-like popularity, the rest among its 20 neighbours), a priority level 0-3 per
(child, school), one lottery permutation, and seats for 95 % of the children. `matching`
(daffidwilde/matching, HospitalResident, residents proposing, ``solve(optimal="resident")``)
gets the same instance as dictionaries; its time includes building the game, as ours includes
building the sort keys and the waitlists. The two assignments must be identical; the ratio is
matching / ours (best of 3 for ours, one run of matching).

``--ours-only`` sizes (matching would take hours there) time our side alone: both mechanisms,
overflow placement (统筹) of the ~5 % left unplaced, the explanation texts of every child
and the priority ranks.
Targets: at least 100x faster at 10k and 500x at 50k (50k takes `matching` some minutes:
``--sizes 50000``).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
import warnings

import numpy as np

from sunshine.core.allocation import NONE, allocate, priority_ranks, render_all
from sunshine.core.market import NOT_ADMISSIBLE, Market
from sunshine.core.policy import Mechanism, Overflow

CHOICES = 5


def instance(n: int, seed: int = 1) -> Market:
    rng = np.random.default_rng(seed)
    m = max(10, n // 50)
    popularity = 1.0 / np.arange(1, m + 1) ** 0.8
    popularity /= popularity.sum()
    k = min(CHOICES, m)
    # First choice by popularity; the others are distinct "neighbouring" schools (first + a
    # random offset from 1..20), as families pick among nearby schools.
    first = rng.choice(m, size=n, p=popularity)
    spread = min(20, m - 1)
    offsets = np.argsort(rng.random((n, spread)), axis=1)[:, : k - 1] + 1
    choice = np.column_stack((first, (first[:, None] + offsets) % m)).astype(np.int32)
    capacity = rng.multinomial(int(0.95 * n), popularity * 0.5 + 0.5 / m)
    return Market(
        capacity=capacity.astype(np.int64),
        is_private=np.zeros(m, dtype=bool),
        pref_ptr=np.arange(0, n * k + 1, k, dtype=np.int64),
        pref_school=choice.ravel(),
        pref_priority=rng.integers(0, 4, size=n * k).astype(np.int16),
        lottery=(rng.permutation(n) + 1).astype(np.uint64),
    )


def ours(market: Market) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    school = allocate(market, Mechanism.DEFERRED_ACCEPTANCE).school
    return school, time.perf_counter() - started


def theirs(market: Market) -> tuple[np.ndarray, float]:
    """Solve with `matching`; returns the school per child (-1 = none) and the seconds."""
    from matching.games import HospitalResident

    n = market.n_applications
    started = time.perf_counter()
    residents: dict[str, list[str]] = {}
    ranked: dict[str, list[tuple[int, int, int, str]]] = {}
    for i in range(n):
        lo, hi = int(market.pref_ptr[i]), int(market.pref_ptr[i + 1])
        names = []
        for e in range(lo, hi):
            prio, s = int(market.pref_priority[e]), int(market.pref_school[e])
            if prio == NOT_ADMISSIBLE or market.is_private[s] or market.capacity[s] == 0:
                # DA never admits there, so neither side ranks the other (and `matching`
                # 1.4.3 crashes with an IndexError on a hospital of capacity 0).
                continue
            names.append(f"h{s}")
            ranked.setdefault(f"h{s}", []).append((prio, int(market.lottery[i]), i, f"r{i}"))
        if names:
            residents[f"r{i}"] = names
    hospitals = {h: [r for *_, r in sorted(rows)] for h, rows in ranked.items()}
    capacities = {h: int(market.capacity[int(h[1:])]) for h in hospitals}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its input checks warn on what we already excluded
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        matching = game.solve(optimal="resident")
    seconds = time.perf_counter() - started
    school = np.full(n, NONE, dtype=np.int64)
    for hospital, matched in matching.items():
        for resident in matched:
            school[int(resident.name[1:])] = int(hospital.name[1:])
    return school, seconds


def in_big_stack(fn: object, *args: object) -> object:
    """`matching` deep-copies its player graph recursively: give it room."""
    out: list[object] = []
    threading.stack_size(512 * 1024 * 1024)
    thread = threading.Thread(target=lambda: out.append(fn(*args)))  # type: ignore[operator]
    thread.start()
    thread.join()
    return out[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--ours-only", type=int, nargs="*", default=[])
    args = parser.parse_args()
    sys.setrecursionlimit(1_000_000)
    print(f"{'children':>10} {'ours s':>9} {'matching s':>11} {'ratio':>9}  identical")
    for n in args.sizes:
        market = instance(n)
        mine, t_ours = min((ours(market) for _ in range(3)), key=lambda r: r[1])
        got = in_big_stack(theirs, market)
        reference, t_theirs = got  # type: ignore[misc]
        same = bool(np.array_equal(mine, reference))
        print(f"{n:>10} {t_ours:>9.4f} {t_theirs:>11.2f} {t_theirs / t_ours:>8.0f}x  {same}")
        if not same:
            raise SystemExit(f"assignments differ at n={n}")
    for n in args.ours_only:
        market = instance(n)
        _, t_ours = min((ours(market) for _ in range(3)), key=lambda r: r[1])
        print(f"{n:>10} {t_ours:>9.4f} {'-':>11} {'-':>9}  -")
        print(f"{'':>10} at {n}: " + ", ".join(f"{k} {v:.3f} s" for k, v in extras(market).items()))


def extras(market: Market) -> dict[str, float]:
    """Best-of-3 seconds of the other allocation outputs a season writes."""
    names = [f"school{s}" for s in range(market.n_schools)]
    alloc = allocate(market, Mechanism.PRIORITY_FIRST)
    rng = np.random.default_rng(2)
    geo = {  # a county of about 1 x 1 degree; schools and homes scattered uniformly
        "school_lonlat": np.column_stack(
            [116 + rng.random(market.n_schools), 39.5 + rng.random(market.n_schools)]
        ),
        "applicant_lonlat": np.column_stack(
            [116 + rng.random(market.n_applications), 39.5 + rng.random(market.n_applications)]
        ),
    }
    jobs = {
        "priority_first": lambda: allocate(market, Mechanism.PRIORITY_FIRST),
        "priority_first + overflow": lambda: allocate(
            market, Mechanism.PRIORITY_FIRST, overflow=Overflow.NEAREST_WITH_SEATS, **geo
        ),
        "explanations zh": lambda: render_all(market, alloc, names),
        "priority_ranks": lambda: priority_ranks(market),
    }
    out = {}
    for name, job in jobs.items():
        times = []
        for _ in range(3):
            started = time.perf_counter()
            job()
            times.append(time.perf_counter() - started)
        out[name] = min(times)
    return out


if __name__ == "__main__":
    main()
