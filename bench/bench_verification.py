"""Writing verification.csv: the bulk writer against csv.writer over check_columns, one run.

    python bench/bench_verification.py [--children 30000] [--package PATH] [--repeat 3]

Runs the season once (without writing), then times both writers over the same eligibility
results, each into its own file, and checks that the two files are byte-identical.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_read_package import best
from sunshine.core.eligibility import EligibilityResult, check_columns
from sunshine.datasets import synthetic
from sunshine.datasets.reader import read_package
from sunshine.season import csvfast, run
from sunshine.season.outputs import _order, verification_chunks


def with_csv_writer(results: list[EligibilityResult], path: Path, lang: str) -> None:
    """The writer this replaced: csv.writer over zipped columns in a utf-8-sig text file."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(("application_id", "check", "result", "reason"))
        for r in results:
            c = check_columns(r, _order(r.application_id), langs=(lang,))
            writer.writerows(
                zip(c["application_id"], c["check"], c["result"], c[lang], strict=True)
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=30_000)
    parser.add_argument("--package", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", default="zh", choices=["zh", "en"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package
        if package is None:
            package = Path(tmp) / "package"
            synthetic.generate(package, children=args.children, seed=1, progress=False)
        outcome = run(read_package(package), program_digest="0" * 64, processes=2)
        results = [outcome.stages[s].eligibility for s in sorted(outcome.stages, key=str)]
        old, new = Path(tmp) / "old.csv", Path(tmp) / "new.csv"

        def bulk() -> None:
            csvfast.write_atomic(new, verification_chunks(results, args.lang))

        baseline = best(lambda: with_csv_writer(results, old, args.lang), args.repeat)
        fast = best(bulk, args.repeat)
        same = old.read_bytes() == new.read_bytes()
        rows = sum(r.reason.size for r in results)
        print(f"check rows              {rows:,}   ({os.path.getsize(new) / 1e6:.0f} MB)")
        print(f"csv.writer              {baseline:.2f} s")
        print(f"bulk writer             {fast:.2f} s   ({baseline / fast:.1f}x faster)")
        print(f"byte-identical          {same}")
        if not same:
            raise SystemExit("the two files differ")


if __name__ == "__main__":
    main()
