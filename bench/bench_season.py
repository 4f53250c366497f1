"""The whole batch season against merely parsing its CSV files, in one run.

    python bench/bench_season.py [--children 200000] [--package PATH] [--repeat 2]
                                 [--before SRC] [--processes 2]

Without ``--package`` it writes a synthetic county with ``--children`` applications in all
(two thirds grade 1, one third grade 7) into a temporary folder. It prints the best time of
plain ``csv.reader`` over every CSV file of the package (the baseline), the best time of the
season (read, verify, zone, tier, lottery, allocate, classes and every output file, as
``sunshine season run`` does), their ratio, the stage timings and the peak memory.

``--before SRC`` also times an earlier version of the code, in the same run: SRC is the
``src`` folder of that version (``git archive <commit> src | tar -x -C /tmp/before`` gives
``/tmp/before/src``). Each season runs in a fresh process (so peak memory is its own), the
three measurements take turns, and the best of ``--repeat`` is kept for each (the median
is printed too: on a shared VM single runs vary by ±15 %).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_read_package import csv_parse_only
from sunshine.datasets import synthetic
from sunshine.datasets.reader import read_package

SRC = Path(__file__).resolve().parent.parent / "src"

# Runs in a fresh interpreter on the chosen source tree; prints one JSON line.
CHILD = """
import importlib.util, inspect, json, resource, sys, time
from pathlib import Path
from sunshine.season import read_and_run, write_outputs
package, out, processes = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
started = time.perf_counter()
if importlib.util.find_spec("sunshine.season.malloc"):  # as `sunshine season run` does
    from sunshine.season.malloc import keep_freed_memory
    keep_freed_memory()
outcome = read_and_run(package, program_digest="0" * 64, processes=processes)
takes = inspect.signature(write_outputs).parameters
extra = {"processes": processes} if "processes" in takes else {}
write_outputs(outcome, out, started=started, **extra)
seconds = time.perf_counter() - started
# This process's own peak (VmHWM: ru_maxrss would carry over the benchmark's own peak
# through exec) and the largest of its forked workers'.
own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
rss = max(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "timings": outcome.timings, "peak_mb": rss / 1024}))
"""


def season_in_child(src: Path, package: Path, out: Path, processes: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(package), str(out), str(processes)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def csv_seconds(package: Path) -> float:
    started = time.perf_counter()
    csv_parse_only(package)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--package", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--before", type=Path, help="src folder of an earlier version")
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package
        if package is None:
            package = Path(tmp) / "package"
            grade1 = args.children * 2 // 3
            synthetic.generate(
                package, children=grade1, junior_children=args.children - grade1, seed=1,
                progress=False,
            )  # fmt: skip
        n = len(read_package(package)["applications"])
        versions = {"now": SRC} | ({"before": args.before} if args.before else {})
        baseline: list[float] = []
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in versions}
        for i in range(args.repeat):
            baseline.append(csv_seconds(package))
            for name, src in versions.items():
                out = Path(tmp) / f"{name}{i}"
                runs[name].append(season_in_child(src, package, out, args.processes))
    base = min(baseline)
    best = {name: min(r, key=lambda x: x["seconds"]) for name, r in runs.items()}
    print(f"applications            {n:,}")
    print(f"csv.reader parse only   {base:.2f} s")
    middle = {name: statistics.median(x["seconds"] for x in r) for name, r in runs.items()}
    for name, result in best.items():
        seconds = result["seconds"]
        peak = max(r["peak_mb"] for r in runs[name])
        print(
            f"season ({name:<6}) end to end {seconds:6.2f} s   ({seconds / base:.2f}x the parse)"
            f"   median {middle[name]:.2f} s   peak memory {peak:,.0f} MB"
        )
    if "before" in best:
        speedup = best["before"]["seconds"] / best["now"]["seconds"]
        typical = middle["before"] / middle["now"]
        print(f"now / before            {speedup:.2f}x faster (best), {typical:.2f}x (median)")
    stages = list(dict.fromkeys(k for r in best.values() for k in r["timings"]))
    print("stages                 " + "".join(f"{name:>10}" for name in best))
    for stage in stages:
        cells = "".join(f"{r['timings'].get(stage, 0.0):10.2f}" for r in best.values())
        print(f"  {stage:<21}{cells}")


if __name__ == "__main__":
    main()
