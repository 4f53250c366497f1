"""Many short strings sorted by code point (= by their UTF-8 bytes), in numpy.

Python's ``sorted`` over two million ids costs well over a second in string comparisons. Here
the strings are encoded once, cut into big-endian 64-bit words (zero-padded, so a prefix sorts
first, as it must: no string holds a NUL), and ordered with one stable ``lexsort`` over the
words. The order equals ``sorted(range(n), key=texts.__getitem__)``.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np

_ROWS = 65_536  # rows per gather pass, to bound the index matrix


def utf8_words(texts: Sequence[str]) -> np.ndarray | None:
    """uint64 [n, words]: each text's UTF-8 bytes as big-endian words, zero-padded; None when
    a text holds a line feed or NUL (the one-pass split below relies on neither occurring)."""
    n = len(texts)
    joined = "\n".join(texts)
    if "\x00" in joined or joined.count("\n") != max(n - 1, 0):
        return None
    buf = np.frombuffer(joined.encode("utf-8") + b"\n", dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)[:n]
    starts = np.concatenate(([0], ends[:-1] + 1))[:n].astype(np.int64)
    lengths = ends - starts
    width = -(-max(int(lengths.max()) if n else 0, 1) // 8) * 8
    size = int(lengths[0]) if n else 0
    if n and bool((lengths == size).all()):  # all as long as the first: a plain reshape
        matrix = np.zeros((n, width), dtype=np.uint8)
        matrix[:, :size] = buf.reshape(n, size + 1)[:, :size]
        return matrix.view(">u8").astype(np.uint64).reshape(n, width // 8)
    matrix = np.empty((n, width), dtype=np.uint8)
    offsets = np.arange(width, dtype=np.int64)
    for lo in range(0, n, _ROWS):
        index = starts[lo : lo + _ROWS, None] + offsets
        np.minimum(index, len(buf) - 1, out=index)
        matrix[lo : lo + _ROWS] = buf[index]
    matrix[offsets >= lengths[:, None]] = 0
    return matrix.view(">u8").astype(np.uint64).reshape(n, width // 8)


def order_of(words: np.ndarray) -> np.ndarray:
    """int64: the stable ascending order of the rows of ``words`` (most significant first)."""
    if words.shape[1] == 1:
        return np.argsort(words[:, 0], kind="stable")
    return np.lexsort(words.T[::-1])


def is_ascending(texts: Sequence[str]) -> bool:
    """Whether ``texts`` are strictly ascending (one pass, no sort, no Python frame per
    pair)."""
    items = list(texts)
    return all(map(operator.lt, items, items[1:]))
