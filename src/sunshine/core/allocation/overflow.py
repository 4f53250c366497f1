"""统筹 (overflow): place eligible children left unplaced at the nearest public school of
their stage that still has free seats.

Children are served one after another in a published order (their best priority at any school
they listed, then their lottery number), each taking the nearest school with a seat left at
that moment. The serial rule is computed in blocks: every child of a block looks up its nearest
open school at once (an STRtree over the open schools), and the block is committed up to the
first child whose school was filled by those before it in the block. That school is now full,
so it leaves the tree and serving resumes at that child. Each pass either commits the whole
block or closes a school, so there are at most (schools + blocks) passes.

Distance is Euclidean after projecting (lon, lat) degrees with x = lon * cos(mean school
latitude), y = lat: exact enough to rank schools within a county. Equal distances go to the
lower school row.
"""

from __future__ import annotations

import numpy as np
import shapely

from sunshine.core.allocation.batch import index_in_run
from sunshine.core.allocation.result import NONE

FIRST_BLOCK = 1024
MIN_BLOCK = 64


def place_overflow(
    children: np.ndarray,
    child_lonlat: np.ndarray,
    child_stage: np.ndarray,
    school_lonlat: np.ndarray,
    school_stage: np.ndarray,
    seats: np.ndarray,
) -> np.ndarray:
    """``children`` in serving order (best first) -> school index per child (NONE if no seat).

    ``seats`` are the free seats per school (0 where the school takes no overflow).
    """
    out = np.full(len(children), NONE, dtype=np.int64)
    if len(children) == 0 or len(school_lonlat) == 0:
        return out
    # One projection for the whole market: x = lon * cos(mean school latitude), y = lat.
    scale = np.cos(np.deg2rad(float(np.mean(school_lonlat[:, 1]))))
    child_xy = child_lonlat * np.array([scale, 1.0])
    school_xy = school_lonlat * np.array([scale, 1.0])
    xy_ok = np.all(np.isfinite(child_xy), axis=1)
    for stage in np.unique(child_stage):
        mine = np.flatnonzero((child_stage == stage) & xy_ok)
        ours = np.flatnonzero(school_stage == stage)
        if len(mine) and len(ours):
            got = _serve(child_xy[mine], school_xy[ours], seats[ours].astype(np.int64))
            out[mine[got != NONE]] = ours[got[got != NONE]]
    return out


def _serve(child_xy: np.ndarray, school_xy: np.ndarray, seats: np.ndarray) -> np.ndarray:
    seats = seats.copy()
    points = shapely.points(child_xy)
    sites = shapely.points(school_xy)
    got = np.full(len(child_xy), NONE, dtype=np.int64)
    start, block = 0, FIRST_BLOCK
    open_ = np.flatnonzero(seats > 0)
    tree = shapely.STRtree(sites[open_])
    while start < len(child_xy) and len(open_):
        stop = min(start + block, len(child_xy))
        near = _nearest(tree, open_, points[start:stop])
        # The k-th child of the block choosing a school gets a seat iff the school has > k left.
        order = np.argsort(near, kind="stable")
        nth = np.empty(len(near), dtype=np.int64)
        nth[order] = index_in_run(near[order])
        late = np.flatnonzero(nth >= seats[near])
        done = int(late[0]) if len(late) else len(near)  # >= 1: near[0] had a seat
        got[start : start + done] = near[:done]
        np.subtract.at(seats, near[:done], 1)
        start += done
        block = max(MIN_BLOCK, 2 * done) if len(late) else 2 * block
        if np.any(seats[near[:done]] == 0):
            open_ = np.flatnonzero(seats > 0)
            tree = shapely.STRtree(sites[open_])
    return got


def _nearest(tree: shapely.STRtree, open_: np.ndarray, points: np.ndarray) -> np.ndarray:
    """School (row in the stage) nearest to each point; ties to the lower row."""
    pairs = tree.query_nearest(points, all_matches=True)
    best = np.full(len(points), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best, pairs[0], pairs[1])  # tree order follows the rows of ``open_``
    return open_[best]
