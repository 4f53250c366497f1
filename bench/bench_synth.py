"""How fast does ``sunshine datasets synth`` generate a county, and at what memory?

    python bench/bench_synth.py [--sizes 5000,200000,1000000] [--seed 1]

For each size (grade-1 children; grade-7 applicants are half as many, the default) it runs
:func:`sunshine.datasets.synthetic.generate` in a fresh process and prints wall time,
children per second and the process's peak RSS. The baseline, in the same run, is a plain
row-at-a-time copy of the generated CSV files (``csv.DictReader`` -> ``csv.DictWriter``):
what merely moving those rows through Python as dicts costs, with no generation at all.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sunshine.datasets.schema import TABLES


def run_one(children: int, seed: int, out: Path) -> None:
    from sunshine.datasets.synthetic import generate

    start = time.perf_counter()
    summary = generate(out, children=children, seed=seed, progress=False)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(summary.rows.values())
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": rows}))


def copy_rows(src: Path, dst: Path) -> float:
    dst.mkdir()
    start = time.perf_counter()
    for spec in TABLES:
        with (
            (src / spec.filename).open(encoding="utf-8-sig", newline="") as fin,
            (dst / spec.filename).open("w", encoding="utf-8-sig", newline="") as fout,
        ):
            reader = csv.DictReader(fin)
            writer = csv.DictWriter(fout, fieldnames=list(spec.column_names))
            writer.writeheader()
            for row in reader:
                writer.writerow(row)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,200000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        run_one(args.one, args.seed, args.out)
        return
    print(f"{'children':>10} {'rows':>11} {'synth s':>8} {'children/s':>11} {'peak MB':>8} "
          f"{'copy s':>7} {'synth/copy':>10}")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "pkg"
            cmd = [sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)]
            done = subprocess.run([*cmd, "--out", str(out)], capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(done.stderr)
            stats = json.loads(done.stdout)
            copy = copy_rows(out, Path(tmp) / "copy")
            print(
                f"{size:>10,} {stats['rows']:>11,} {stats['seconds']:>8.2f} "
                f"{size / stats['seconds']:>11,.0f} {stats['peak_mb']:>8.0f} "
                f"{copy:>7.2f} {stats['seconds'] / copy:>10.2f}"
            )


if __name__ == "__main__":
    main()
