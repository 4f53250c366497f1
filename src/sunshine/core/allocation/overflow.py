"""统筹 (overflow): place eligible children left unplaced at the nearest public school of
their stage that still has free seats.

Children are served one after another in a published order (their best priority at any school
they listed, then their lottery number), each taking the nearest school with a seat left. That
serial order is the unique stable matching when every school ranks children the same way, so it
is computed as deferred acceptance over each child's schools by distance (nearest first), which
vectorises. Only the K nearest schools are listed at first; K doubles whenever a child ran out
of schools while seats remained, which gives the same result as full lists.

Distance is Euclidean after projecting (lon, lat) degrees with x = lon * cos(mean school
latitude), y = lat: exact enough to rank schools within a county. Equal distances go to the
lower school row.
"""

from __future__ import annotations

import numpy as np

from sunshine.core.allocation.deferred_acceptance import deferred_acceptance
from sunshine.core.allocation.result import NONE

FIRST_K = 8
_CHUNK = 4096  # rows of the child x school distance matrix computed at once


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
        open_ = np.flatnonzero((school_stage == stage) & (seats > 0))
        if len(mine) and len(open_):
            got = _serve(child_xy[mine], school_xy[open_], seats[open_])
            out[mine[got != NONE]] = open_[got[got != NONE]]
    return out


def _serve(cxy: np.ndarray, sxy: np.ndarray, seats: np.ndarray) -> np.ndarray:
    p, c = len(cxy), len(sxy)
    shift = max(p.bit_length(), 1)
    k = min(FIRST_K, c)
    while True:
        near = _k_nearest(cxy, sxy, k)  # [p, k], nearest first
        ptr = np.arange(0, p * k + 1, k, dtype=np.int64)
        entries = np.arange(p * k, dtype=np.int64)
        app = np.repeat(np.arange(p, dtype=np.int64), k)
        ckey = (near.ravel().astype(np.int64) << shift) | app  # row order = serving order
        held = deferred_acceptance(ptr, entries, app, ckey, shift, seats)
        got = np.where(held == NONE, NONE, near.ravel()[np.maximum(held, 0)])
        left = int(seats.sum()) - int(np.count_nonzero(got != NONE))
        if k == c or left == 0 or bool(np.all(got != NONE)):
            return got
        k = min(2 * k, c)


def _k_nearest(cxy: np.ndarray, sxy: np.ndarray, k: int) -> np.ndarray:
    out = np.empty((len(cxy), k), dtype=np.int64)
    for lo in range(0, len(cxy), _CHUNK):
        block = cxy[lo : lo + _CHUNK]
        d = (block[:, None, 0] - sxy[None, :, 0]) ** 2 + (block[:, None, 1] - sxy[None, :, 1]) ** 2
        if k < len(sxy):
            cand = np.sort(np.argpartition(d, k - 1, axis=1)[:, :k], axis=1)
        else:
            cand = np.broadcast_to(np.arange(len(sxy)), d.shape)
        dist = np.take_along_axis(d, cand, axis=1)
        order = np.argsort(dist, axis=1, kind="stable")  # ties keep the lower school row
        out[lo : lo + _CHUNK] = np.take_along_axis(cand, order, axis=1)
    return out
