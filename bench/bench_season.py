"""The whole batch season against merely parsing its CSV files, in one run.

    python bench/bench_season.py [--children 200000] [--package PATH] [--repeat 2]

Without ``--package`` it writes a synthetic county with ``--children`` applications in all
(two thirds grade 1, one third grade 7) into a temporary folder. It prints the best time of
plain ``csv.reader`` over every CSV file of the package (the baseline), the best time of the
season (read, verify, zone, tier, lottery, allocate, classes and every output file, as
``sunshine season run`` does), their ratio, the stage timings and the peak memory.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_read_package import best as best_of
from bench.bench_read_package import csv_parse_only
from sunshine.datasets import synthetic
from sunshine.datasets.reader import read_package
from sunshine.season import read_and_run, write_outputs
from sunshine.season.outputs import peak_memory_mb


def season_seconds(package: Path, out: Path) -> tuple[float, dict[str, float]]:
    started = time.perf_counter()
    outcome = read_and_run(package, program_digest="0" * 64, processes=2)
    write_outputs(outcome, out, started=started)
    return time.perf_counter() - started, outcome.timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=200_000)
    parser.add_argument("--package", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
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
        baseline = best_of(lambda: csv_parse_only(package), args.repeat)
        runs = [season_seconds(package, Path(tmp) / f"out{i}") for i in range(args.repeat)]
        best, timings = min(runs, key=lambda r: r[0])
    print(f"applications            {n:,}")
    print(f"csv.reader parse only   {baseline:.2f} s")
    print(f"season, end to end      {best:.2f} s   ({best / baseline:.2f}x the parse)")
    for stage, seconds in timings.items():
        print(f"  {stage:<22}{seconds:.2f} s")
    print(f"peak memory             {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
