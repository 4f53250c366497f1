"""Zone lookup: our grid index against shapely's STRtree on the same points, exact.

    python bench/bench_zoning.py [--zones 2000] [--points 1000000] [--densify 0.25] [--repeat 3]

A 50 x 50 km city split into Voronoi zones, their edges densified to look hand-drawn (about
150 vertices per zone at the defaults); uniform random points plus 5 % zone vertices (points
exactly on borders). Baseline, in the same run: ``STRtree.query(points, predicate="intersects")``
(the plain shapely 2 bulk query; its time includes building the point geometries it needs),
resolved to the smallest zone_id like ours. Both results must be identical. One core.
Target: >= 1,000,000 points/s, exact.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import shapely

from sunshine.core.zoning import OUTSIDE, ZoneIndex, zone_layer


def best(repeat: int, fn: Callable[[], np.ndarray]) -> tuple[float, np.ndarray]:
    times, out = [], np.empty(0)
    for _ in range(repeat):
        started = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - started)
    return min(times), out


def strtree(tree: shapely.STRtree, rank: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    pts, zones = tree.query(shapely.points(x, y), predicate="intersects")
    order = np.lexsort((rank[zones], pts))
    first = np.ones(len(order), dtype=bool)
    first[1:] = pts[order][1:] != pts[order][:-1]
    out = np.full(len(x), OUTSIDE, dtype=np.int32)
    out[pts[order][first]] = zones[order][first]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--zones", type=int, default=2000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--densify", type=float, default=0.03, help="max edge length, km")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    box = shapely.box(0, 0, 50, 50)
    sites = shapely.multipoints(rng.uniform(0, 50, (args.zones, 2)))
    cells = shapely.intersection(
        shapely.get_parts(shapely.voronoi_polygons(sites, extend_to=box)), box
    )
    cells = shapely.segmentize(cells, args.densify)
    ids = [f"Z{i:06d}" for i in rng.permutation(len(cells))]
    layer = zone_layer(ids, list(cells), [[] for _ in ids])
    vertices = shapely.get_coordinates(cells)
    vertices = vertices[rng.choice(len(vertices), min(len(vertices), args.points // 20), False)]
    uniform = rng.uniform(-1, 51, (args.points - len(vertices), 2))
    pts = np.concatenate([uniform, vertices])
    x, y = pts[:, 0].copy(), pts[:, 1].copy()
    n = len(x)
    print(
        f"{len(cells)} zones, {shapely.get_num_coordinates(cells).mean():.0f} vertices/zone mean,"
    )
    print(f"{n:,} points ({len(vertices):,} exactly on zone vertices)")

    started = time.perf_counter()
    index = ZoneIndex.build(layer)
    build = time.perf_counter() - started
    border = float(np.mean(index.cell_zone == -2))
    print(f"grid: {index.nx} x {index.ny} cells, {border:.0%} border cells, built in {build:.2f} s")

    ours_t, ours = best(args.repeat, lambda: index.locate(x, y))
    rank = np.argsort(np.argsort(np.array(ids)))
    tree = shapely.STRtree(cells)
    shapely.prepare(cells)
    base_t, base = best(args.repeat, lambda: strtree(tree, rank, x, y))
    if not np.array_equal(ours, base):
        raise SystemExit(f"MISMATCH on {int(np.sum(ours != base))} points")
    print(f"ours (grid + exact border test): {n / ours_t / 1e6:6.2f} M points/s ({ours_t:.3f} s)")
    print(f"STRtree.query(intersects):       {n / base_t / 1e6:6.2f} M points/s ({base_t:.3f} s)")
    print(
        f"ratio: ours is {base_t / ours_t:.1f}x faster; identical results; "
        f"with build {n / (ours_t + build) / 1e6:.2f} M points/s"
    )


if __name__ == "__main__":
    main()
