"""The audit log's Merkle tree at 10^6 events: root, proofs, and verifying every checkpoint.

    python bench/bench_merkle.py [--n 1000000] [--checkpoints 50]

Baselines in the same run: the recursive MTH of RFC 6962 §2.1 (list slicing at every level) for
the root, and one full root per checkpoint instead of the single pass of ``prefix_roots``.
Ratios are baseline / ours.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Callable

from sunshine.core import merkle


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def recursive_root(hashes: list[bytes]) -> bytes:
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return merkle.node_hash(recursive_root(hashes[:k]), recursive_root(hashes[k:]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--checkpoints", type=int, default=50)
    args = parser.parse_args()
    n = args.n
    data = [b'{"seq":%d}' % i for i in range(n)]
    leaves: list[bytes] = []
    t_leaves = timed(lambda: leaves.extend(merkle.leaf_hash(d) for d in data))
    t_root = timed(lambda: merkle.root(leaves))
    t_rec = timed(lambda: recursive_root(leaves))
    sizes = [n * (i + 1) // args.checkpoints for i in range(args.checkpoints)]
    t_prefix = timed(lambda: merkle.prefix_roots(leaves, sizes))
    few = sizes[-5:]  # the naive way is too slow for all of them; scale it up
    t_naive = timed(lambda: [merkle.root(leaves[:m]) for m in few]) * len(sizes) / len(few)
    t_incl = timed(lambda: merkle.inclusion_proof(leaves, n // 3, n))
    t_cons = timed(lambda: merkle.consistency_proof(leaves, n // 3, n))
    proof = merkle.inclusion_proof(leaves, n // 3, n)
    root = merkle.root(leaves)
    t_verify = timed(lambda: merkle.verify_inclusion(leaves[n // 3], n // 3, n, proof, root))
    print(f"events                                {n:>12,}")
    print(f"leaf hashes                           {t_leaves:>10.3f} s")
    print(f"root, iterative (ours)                {t_root:>10.3f} s")
    print(f"root, recursive (baseline)            {t_rec:>10.3f} s   ratio {t_rec / t_root:.1f}x")
    print(f"{len(sizes)} checkpoint roots, one pass (ours) {t_prefix:>8.3f} s")
    print(
        f"{len(sizes)} checkpoint roots, one by one (est.) {t_naive:>6.3f} s   "
        f"ratio {t_naive / t_prefix:.1f}x"
    )
    print(f"inclusion proof (from leaf hashes)    {t_incl:>10.3f} s   ({len(proof)} hashes)")
    print(f"consistency proof (from leaf hashes)  {t_cons:>10.3f} s")
    print(f"verify one receipt's proof            {t_verify * 1e6:>10.1f} µs")


if __name__ == "__main__":
    main()
