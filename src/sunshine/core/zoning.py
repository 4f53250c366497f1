"""Address points -> catchment zone -> candidate schools, vectorised and exact.

A point belongs to a zone when it lies in the *closed* polygon (its border included), which is
``shapely.intersects_xy``. Where zones share a border, or overlap by mistake, the point goes to
the zone with the smallest ``zone_id`` (plain string order): one deterministic answer per point.
A point outside every zone gets ``-1``; :func:`locate` never drops it, and callers report it.

The lookup is a uniform grid built once per zone layer:

* cells crossed by no zone border lie entirely inside the same zones as their centre, so their
  answer is stored directly (found by a scanline even-odd fill of the cell centres);
* only points in cells that a border crosses are tested exactly against the few zones whose
  border crosses the cell or that contain its centre.

Cells are classified with a margin of ``1e-6`` cell widths, far above floating-point error, so
a point binned into a neighbouring cell by rounding still gets the exact answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import shapely

OUTSIDE: Final = -1
_BORDER: Final = -2  # cell_zone marker: look up the candidates and test exactly
_MARGIN: Final = 1e-6  # in cell widths
CELLS_PER_ZONE: Final = 256  # about 16 x 16 cells per zone: ~20 % of points need an exact test
MAX_CELLS: Final = 1 << 22


class ZoningError(ValueError):
    """A zone layer that cannot be indexed (e.g. a geometry that is not a polygon)."""


@dataclass(frozen=True, slots=True)
class ZoneLayer:
    """The zones of one stage. ``school_ptr``/``school`` (CSR) list the schools each zone
    serves, as indices into the stage's school set."""

    zone_id: tuple[str, ...]
    geometry: np.ndarray  # object [z]: shapely Polygon or MultiPolygon, lon/lat
    school_ptr: np.ndarray  # int64 [z + 1]
    school: np.ndarray  # int32 [nnz]

    def __post_init__(self) -> None:
        if len(self.zone_id) != len(self.geometry) or len(self.school_ptr) != len(self.zone_id) + 1:
            raise ZoningError("zone_id, geometry and school_ptr must describe the same zones")
        if len(set(self.zone_id)) != len(self.zone_id):
            raise ZoningError("zone ids must be unique within a layer")
        kinds = shapely.get_type_id(self.geometry)
        bad = np.flatnonzero((kinds != 3) & (kinds != 6))  # 3 Polygon, 6 MultiPolygon
        if len(bad):
            raise ZoningError(f"zone {self.zone_id[bad[0]]!r} is not a Polygon or MultiPolygon")

    @property
    def n_zones(self) -> int:
        return len(self.zone_id)

    def schools_of(self, zone: int) -> np.ndarray:
        return self.school[self.school_ptr[zone] : self.school_ptr[zone + 1]]

    def serves_keys(self, n_schools: int) -> np.ndarray:
        """Sorted int64 keys ``zone * n_schools + school``, for vectorised "does zone z serve
        school s" tests with :func:`np.searchsorted`."""
        counts = np.diff(self.school_ptr)
        zones = np.repeat(np.arange(self.n_zones, dtype=np.int64), counts)
        return np.unique(zones * n_schools + self.school.astype(np.int64))


def zone_layer(
    zone_ids: Sequence[str], geometries: Sequence[Any], schools: Sequence[Sequence[int]]
) -> ZoneLayer:
    """Build a layer from per-zone lists (tests, adapters)."""
    counts = np.array([len(s) for s in schools], dtype=np.int64)
    ptr = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    flat = np.array([i for s in schools for i in s], dtype=np.int32)
    geoms = np.empty(len(geometries), dtype=object)
    geoms[:] = list(geometries)
    return ZoneLayer(tuple(zone_ids), geoms, ptr, flat)


@dataclass(frozen=True, slots=True)
class ZoneIndex:
    """The grid lookup of one layer; build it once with :meth:`build`, then :meth:`locate`."""

    x0: float
    y0: float
    size: float  # cell width and height
    nx: int
    ny: int
    cell_zone: np.ndarray  # int32 [nx * ny]: rank of the zone, OUTSIDE, or _BORDER
    cand_ptr: np.ndarray  # int64 [nx * ny + 1]: exact-test candidates of border cells (CSR)
    cand: np.ndarray  # int32: zone ranks, ascending within a cell
    ranked: np.ndarray  # object [z]: geometries in zone_id order, prepared
    rank_to_zone: np.ndarray  # int32 [z]: layer index of the zone of each rank

    @classmethod
    def build(cls, layer: ZoneLayer, cells_per_zone: int = CELLS_PER_ZONE) -> ZoneIndex:
        order = np.array(sorted(range(layer.n_zones), key=layer.zone_id.__getitem__), np.int32)
        ranked = np.array(layer.geometry[order], dtype=object)
        shapely.prepare(ranked)
        if layer.n_zones == 0:
            empty = np.zeros(0, np.int32)
            return cls(0.0, 0.0, 1.0, 0, 0, empty, np.zeros(1, np.int64), empty, ranked, order)
        bounds = shapely.bounds(ranked)
        x0, y0 = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        w = float(bounds[:, 2].max()) - x0
        h = float(bounds[:, 3].max()) - y0
        target = min(MAX_CELLS, max(64, cells_per_zone * layer.n_zones))
        size = math.sqrt(w * h / target) if w > 0 and h > 0 else max(w, h, 1e-9) / 64
        size = max(size, max(w, h) / 4096, 1e-12)
        nx, ny = math.floor(w / size) + 1, math.floor(h / size) + 1
        grid = _Grid(x0, y0, size, nx, ny)
        edges = _edges(ranked)
        border = grid.border_pairs(edges)
        inside = grid.centre_pairs(edges)
        cell_zone, cand_ptr, cand = _classify(nx * ny, border, inside)
        return cls(x0, y0, size, nx, ny, cell_zone, cand_ptr, cand, ranked, order)

    def locate(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Zone index (in layer order) of each point, or OUTSIDE (-1)."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        out = np.full(len(x), OUTSIDE, dtype=np.int32)
        if self.nx == 0 or len(x) == 0:
            return out
        with np.errstate(invalid="ignore"):
            fx = np.floor((x - self.x0) / self.size)
            fy = np.floor((y - self.y0) / self.size)
        ok = (fx >= 0) & (fx < self.nx) & (fy >= 0) & (fy < self.ny)  # False for NaN
        pts = np.flatnonzero(ok)
        cell = fy[pts].astype(np.int64) * self.nx + fx[pts].astype(np.int64)
        rank = self.cell_zone[cell].copy()
        hard = np.flatnonzero(rank == _BORDER)
        if len(hard):
            rank[hard] = self._exact(x[pts[hard]], y[pts[hard]], cell[hard])
        found = rank >= 0
        out[pts[found]] = self.rank_to_zone[rank[found]]
        return out

    def _exact(self, x: np.ndarray, y: np.ndarray, cell: np.ndarray) -> np.ndarray:
        lo, hi = self.cand_ptr[cell], self.cand_ptr[cell + 1]
        counts = hi - lo
        point = np.repeat(np.arange(len(cell)), counts)
        # position of each pair inside its cell's candidate run
        offset = np.arange(len(point)) - np.repeat(np.cumsum(counts) - counts, counts)
        rank = self.cand[np.repeat(lo, counts) + offset]
        hit = shapely.intersects_xy(self.ranked[rank], x[point], y[point])
        result = np.full(len(cell), OUTSIDE, dtype=np.int32)
        # candidates ascend by rank inside a cell, so the first hit is the smallest zone_id
        hits = np.flatnonzero(hit)
        first = np.ones(len(hits), dtype=bool)
        first[1:] = point[hits[1:]] != point[hits[:-1]]
        result[point[hits[first]]] = rank[hits[first]]
        return result


def locate(layer: ZoneLayer, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One-shot lookup: build the grid and locate the points (build once for repeated use)."""
    return ZoneIndex.build(layer).locate(x, y)


def outside(zones: np.ndarray) -> np.ndarray:
    """Indices of the points that lie in no zone, for the pipeline's report."""
    return np.flatnonzero(zones == OUTSIDE)


@dataclass(frozen=True, slots=True)
class _Edges:
    x1: np.ndarray
    y1: np.ndarray
    x2: np.ndarray
    y2: np.ndarray
    rank: np.ndarray  # int32: the zone whose ring the edge belongs to


def _edges(ranked: np.ndarray) -> _Edges:
    parts, part_of = shapely.get_parts(ranked, return_index=True)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, vertex_ring = shapely.get_coordinates(rings, return_index=True)
    same = vertex_ring[1:] == vertex_ring[:-1]  # consecutive vertices of one closed ring
    start = np.flatnonzero(same)
    zone = part_of[ring_of[vertex_ring[start]]].astype(np.int32)
    return _Edges(
        coords[start, 0], coords[start, 1], coords[start + 1, 0], coords[start + 1, 1], zone
    )


@dataclass(frozen=True, slots=True)
class _Grid:
    x0: float
    y0: float
    size: float
    nx: int
    ny: int

    def border_pairs(self, e: _Edges) -> np.ndarray:
        """int64 keys ``cell * 2**31 + rank`` for every cell (with margin) an edge touches."""
        # split edges into pieces no longer than a cell, so each piece's box spans <= 3x3 cells
        length = np.maximum(np.abs(e.x2 - e.x1), np.abs(e.y2 - e.y1)) / self.size
        pieces = np.ceil(length).astype(np.int64) + 1
        edge = np.repeat(np.arange(len(e.rank)), pieces)
        k = np.arange(len(edge)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        t0, t1 = k / pieces[edge], (k + 1) / pieces[edge]
        dx, dy = e.x2[edge] - e.x1[edge], e.y2[edge] - e.y1[edge]
        ax, bx = e.x1[edge] + t0 * dx, e.x1[edge] + t1 * dx
        ay, by = e.y1[edge] + t0 * dy, e.y1[edge] + t1 * dy
        m = _MARGIN * self.size
        ix0 = self._col(np.minimum(ax, bx) - m)
        ix1 = self._col(np.maximum(ax, bx) + m)
        iy0 = self._row(np.minimum(ay, by) - m)
        iy1 = self._row(np.maximum(ay, by) + m)
        rank = e.rank[edge].astype(np.int64)
        keys = []
        for ox in range(4):
            for oy in range(4):
                cx, cy = ix0 + ox, iy0 + oy
                sel = (cx <= ix1) & (cy <= iy1)
                keys.append((cy[sel] * self.nx + cx[sel]) * (1 << 31) + rank[sel])
        return np.unique(np.concatenate(keys))

    def centre_pairs(self, e: _Edges) -> np.ndarray:
        """int64 keys ``cell * 2**31 + rank`` for every zone that contains a cell's centre,
        by an even-odd scanline over the rows of cell centres."""
        ylo, yhi = np.minimum(e.y1, e.y2), np.maximum(e.y1, e.y2)
        # rows j whose centre y_j satisfies ylo <= y_j < yhi (half-open: vertices count once)
        jlo = np.maximum(np.ceil((ylo - self.y0) / self.size - 0.5), 0).astype(np.int64)
        jhi = np.minimum(np.ceil((yhi - self.y0) / self.size - 0.5), self.ny).astype(np.int64)
        counts = np.maximum(jhi - jlo, 0)
        edge = np.repeat(np.arange(len(e.rank)), counts)
        row = jlo[edge] + np.arange(len(edge)) - np.repeat(np.cumsum(counts) - counts, counts)
        yc = self.y0 + (row + 0.5) * self.size
        x = e.x1[edge] + (yc - e.y1[edge]) * (e.x2[edge] - e.x1[edge]) / (e.y2[edge] - e.y1[edge])
        rank = e.rank[edge].astype(np.int64)
        order = np.lexsort((x, row, rank))
        x, row, rank = x[order], row[order], rank[order]
        # crossings of one (zone, row) come in pairs; each pair bounds an inside interval
        a, b = x[0::2], x[1::2]
        row, rank = row[0::2], rank[0::2]
        i0 = np.maximum(np.ceil((a - self.x0) / self.size - 0.5), 0).astype(np.int64)
        i1 = np.minimum(np.floor((b - self.x0) / self.size - 0.5), self.nx - 1).astype(np.int64)
        span = np.maximum(i1 - i0 + 1, 0)
        run = np.repeat(np.arange(len(span)), span)
        col = i0[run] + np.arange(len(run)) - np.repeat(np.cumsum(span) - span, span)
        return np.unique((row[run] * self.nx + col) * (1 << 31) + rank[run])

    def _col(self, x: np.ndarray) -> np.ndarray:
        return np.clip(np.floor((x - self.x0) / self.size), 0, self.nx - 1).astype(np.int64)

    def _row(self, y: np.ndarray) -> np.ndarray:
        return np.clip(np.floor((y - self.y0) / self.size), 0, self.ny - 1).astype(np.int64)


def _classify(
    n_cells: int, border: np.ndarray, inside: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    shift = np.int64(1 << 31)
    cell_zone = np.full(n_cells, OUTSIDE, dtype=np.int32)
    # cells no border touches: every point is in exactly the zones containing the centre;
    # keys are sorted, so the first key of a cell carries its smallest rank
    in_cell, in_rank = inside // shift, (inside % shift).astype(np.int32)
    first = np.ones(len(inside), dtype=bool)
    first[1:] = in_cell[1:] != in_cell[:-1]
    cell_zone[in_cell[first]] = in_rank[first]
    border_cell = np.unique(border // shift)
    cell_zone[border_cell] = _BORDER
    # candidates of border cells: zones with a border in the cell or containing its centre
    keep = np.isin(in_cell, border_cell, assume_unique=False)
    cand_keys = np.union1d(border, inside[keep])
    c_cell = cand_keys // shift
    cand = (cand_keys % shift).astype(np.int32)
    cand_ptr = np.searchsorted(c_cell, np.arange(n_cells + 1)).astype(np.int64)
    return cell_zone, cand_ptr, cand
