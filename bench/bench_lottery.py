"""The lottery over 2,000,000 applications: is it within 1 s?

    python bench/bench_lottery.py [--n 2000000] [--repeat 3] [--before SRC]

Prints the best of ``--repeat`` runs for: the draw (one SHA-256 number per application and the
draw positions) in one process and in two (``processes=2``, as the batch command runs it);
freezing the pool (sort, sibling groups, fingerprint) of shuffled ids, and of ids already in
order (as the season hands them over); and two baselines in the same run: the naive per-item
loop (``hashlib.sha256(seed + id)`` and ``int.from_bytes`` per application, then a Python
sort) and ``random.Random(seed).shuffle`` of the ids, which is *not* verifiable but is what a
quick implementation would reach for. Ratios are baseline / ours. ``--before SRC`` also times
the freeze of an earlier version (its ``src`` folder) in a fresh process.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sunshine.core.lottery import NUMBER_DOMAIN, draw, freeze_pool


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def naive(ids: list[str], seed: bytes) -> list[str]:
    numbers = {}
    for public_id in ids:
        digest = hashlib.sha256(NUMBER_DOMAIN + seed + public_id.encode("utf-8")).digest()
        numbers[public_id] = int.from_bytes(digest[:8], "big")
    return sorted(ids, key=lambda i: (numbers[i], i))


def applications(n: int) -> tuple[list[str], list[tuple[str, ...]]]:
    rng = random.Random(2026)
    ids = [f"3301{i:08d}" for i in range(n)]
    rng.shuffle(ids)
    siblings: list[tuple[str, ...]] = [()] * n
    for i in range(0, n - 1, 50):  # one twin pair per 50 applications
        siblings[i] = (ids[i + 1],)
    return ids, siblings


# The freeze timed by an earlier version of the code, in a fresh process.
BEFORE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from bench.bench_lottery import applications
from sunshine.core.lottery import freeze_pool
ids, siblings = applications(int(sys.argv[2]))
times = []
for _ in range(int(sys.argv[3])):
    started = time.perf_counter()
    freeze_pool(ids, siblings)[0].fingerprint()
    times.append(time.perf_counter() - started)
print(min(times))
"""


def freeze_before(src: Path, n: int, repeat: int) -> float:
    bench_root = str(Path(__file__).resolve().parent.parent)
    done = subprocess.run(
        [sys.executable, "-c", BEFORE, bench_root, str(n), str(repeat)],
        env={**os.environ, "PYTHONPATH": str(src)},
        check=True,
        capture_output=True,
        text=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", type=Path, help="src folder of an earlier version")
    args = parser.parse_args()
    ids, siblings = applications(args.n)
    seed = bytes(range(32))

    pool, _ = freeze_pool(ids, siblings)
    ordered = sorted(ids)
    in_order = [siblings[i] for i in sorted(range(args.n), key=ids.__getitem__)]
    t_freeze = best(args.repeat, lambda: freeze_pool(ids, siblings)[0].fingerprint())
    t_sorted = best(args.repeat, lambda: freeze_pool(ordered, in_order)[0].fingerprint())
    t_before = freeze_before(args.before, args.n, args.repeat) if args.before else None
    t_one = best(args.repeat, lambda: draw(pool, seed))
    t_two = best(args.repeat, lambda: draw(pool, seed, processes=2))
    t_naive = best(args.repeat, lambda: naive(ids, seed))
    t_shuffle = best(args.repeat, lambda: random.Random(seed).shuffle(list(ids)))
    print(f"applications                  {args.n:>12,}   ({len(pool.groups):,} twin groups)")
    print(f"draw, 1 process               {t_one:8.3f} s")
    print(f"draw, 2 processes             {t_two:8.3f} s   target <= 1 s")
    print(f"freeze pool + fingerprint     {t_freeze:8.3f} s   (shuffled ids)")
    print(f"  the same, ids in order      {t_sorted:8.3f} s   (as the season hands them over)")
    if t_before is not None:
        faster = t_before / t_freeze
        print(f"  before (shuffled ids)       {t_before:8.3f} s   now {faster:.2f}x faster")
    print(f"baseline: naive loop + sort   {t_naive:8.3f} s   ratio {t_naive / t_two:5.2f}x")
    print(f"baseline: Random.shuffle      {t_shuffle:8.3f} s   ratio {t_shuffle / t_two:5.2f}x")


if __name__ == "__main__":
    main()
