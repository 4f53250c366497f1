"""Vectorised joins over integer codes: sorted searches instead of per-row Python loops."""

from __future__ import annotations

import numpy as np


def lookup(keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Row of ``keys`` holding each query value, or -1 (``keys`` unique; -1 never matches)."""
    if len(keys) == 0:
        return np.full(len(query), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    pos = np.minimum(np.searchsorted(sorted_keys, query), len(keys) - 1)
    found = (query >= 0) & (sorted_keys[pos] == query)
    return np.where(found, order[pos], -1).astype(np.int64)


def expand(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges ``[lo[i], hi[i])``: (i, position) for every position of every range."""
    counts = np.maximum(hi - lo, 0)
    owner = np.repeat(np.arange(len(lo)), counts)
    start = np.cumsum(counts) - counts
    pos = np.repeat(lo, counts) + np.arange(len(owner)) - np.repeat(start, counts)
    return owner, pos.astype(np.int64)


def rows_of(ptr: np.ndarray) -> np.ndarray:
    """Row index of each entry of a CSR array."""
    return np.repeat(np.arange(len(ptr) - 1), np.diff(ptr))


def matches(keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All (query index, key row) pairs with equal values (``keys`` may repeat; -1 never
    matches)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    lo = np.searchsorted(sorted_keys, query, side="left")
    hi = np.searchsorted(sorted_keys, query, side="right")
    hi = np.where(query >= 0, hi, lo)
    q, pos = expand(lo, hi)
    return q, order[pos]


def pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One int64 per (a, b) pair of non-negative int32 codes."""
    return a.astype(np.int64) << 32 | b.astype(np.int64)


def contains(sorted_keys: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Whether each query key is in the sorted array."""
    if len(sorted_keys) == 0:
        return np.zeros(len(query), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, query), len(sorted_keys) - 1)
    return sorted_keys[pos] == query


def first_per_group(group: np.ndarray) -> np.ndarray:
    """Mask of the first element of each run of equal values (``group`` sorted)."""
    first = np.ones(len(group), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    return first


def take(values: np.ndarray, rows: np.ndarray, fill: object) -> np.ndarray:
    """``values[rows]`` with ``fill`` where ``rows`` is -1 (safe on empty ``values``)."""
    out = np.full(len(rows), fill, dtype=values.dtype)
    found = rows >= 0
    out[found] = values[rows[found]]
    return out
