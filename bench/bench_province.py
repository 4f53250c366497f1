"""A province-sized season: is it within 30 s and 4 GB on this machine?

    python bench/bench_province.py [--children 1000000] [--counties 40] [--jobs 2]
                                   [--province DIR] [--seed 1] [--no-baseline]

Without ``--province`` it first writes a synthetic province (``--children`` grade-1 applicants
shared by ``--counties`` counties of varying size, and half as many grade-7 applicants) into a
temporary folder. Then it runs ``sunshine season run PROVINCE --jobs N`` (one process per
county, every output file written) under ``/usr/bin/time -v``, and meanwhile samples the
memory of the whole process tree every 0.1 s: the sum of each process's PSS (shared pages
split between the processes sharing them, so nothing is counted twice). It prints the wall
time, that peak total, ``time``'s maximum resident set of the largest single process, the
slowest county, and as a baseline the time plain ``csv.reader`` takes to parse every CSV file
of the province in one process.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_read_package import csv_parse_only
from sunshine.datasets.synthetic_province import generate_province
from sunshine.season.province import PROVINCE_REPORT, county_folders


def tree_pss_kb(root: int) -> int:
    """Sum of PSS over ``root`` and all its descendants (0 for those gone meanwhile)."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parent[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, ppid in parent.items():
            if ppid == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
        total += int(found.group(1)) if found else 0
    return total


def run_measured(command: list[str]) -> tuple[float, int, int, str]:
    """(wall seconds, peak tree PSS in KiB, /usr/bin/time max RSS in KiB, output)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        ["/usr/bin/time", "-v", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_pss_kb(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"the season failed:\n{out}\n{err}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    return seconds, peak, int(rss.group(1)) if rss else 0, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--counties", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--province", type=Path)
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        province = args.province
        if province is None:
            province = Path(tmp) / "province"
            started = time.perf_counter()
            generate_province(
                province, children=args.children, counties=args.counties, seed=args.seed,
                jobs=args.jobs,
            )  # fmt: skip
            print(f"synthesised in {time.perf_counter() - started:.1f} s ({args.jobs} processes)")
        counties = county_folders(province) or []
        baseline = None
        if not args.no_baseline:
            started = time.perf_counter()
            for folder in counties:
                csv_parse_only(folder)
            baseline = time.perf_counter() - started
        out = Path(tmp) / "out"
        command = [sys.executable, "-m", "sunshine.cli", "season", "run", str(province),
                   "--out", str(out), "--jobs", str(args.jobs), "--no-progress"]  # fmt: skip
        seconds, pss_kb, rss_kb, printed = run_measured(command)
        report = json.loads((out / PROVINCE_REPORT).read_text(encoding="utf-8"))
    slowest = max(report["counties"], key=lambda c: c["seconds"])
    largest = max(report["counties"], key=lambda c: c["applications"])
    print(printed.strip())
    print(f"counties                 {len(report['counties'])}  (jobs {args.jobs})")
    print(f"applications             {report['applications']:,}")
    print(f"largest county           {largest['applications']:,} applications")
    print(f"season, whole province   {seconds:.2f} s   target <= 30 s")
    if baseline is not None:
        print(f"csv.reader parse only    {baseline:.2f} s   ratio {seconds / baseline:.2f}x")
    print(f"slowest county           {slowest['county']}: {slowest['seconds']:.2f} s")
    print(f"peak memory, whole tree  {pss_kb / 1024:,.0f} MB (sum of PSS)   target < 4 GB")
    print(f"max RSS, one process     {rss_kb / 1024:,.0f} MB (/usr/bin/time -v)")


if __name__ == "__main__":
    main()
