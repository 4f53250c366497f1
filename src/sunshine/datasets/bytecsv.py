"""A plain CSV file as numpy arrays of bytes, one fixed-width ``S`` array per column.

The registries of a city run to millions of cells that the engine only ever uses as codes,
dates and numbers. Splitting them into Python strings (one object per cell) was most of the
time it took to read a package; here the delimiters are found with numpy over the raw bytes and
each column is gathered into a byte array, with no object per cell.

This reader only takes what it can vouch for: UTF-8 without quotes, NUL bytes, blank or ragged
rows, mixed line ends, or odd header names, and cells that :func:`str.strip` would change. For
anything else it raises :class:`Declined` and the caller reads the package with
:func:`sunshine.datasets.reader.read_package`, which reads everything and names every problem.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

# str.isspace() for ASCII: TAB, LF, VT, FF, CR, the four separators 0x1C-0x1F, and SPACE.
_ASCII_SPACE = np.zeros(256, dtype=bool)
_ASCII_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
# A cell may start with a space only if its first byte is an ASCII space or the lead byte of a
# non-ASCII one, and end with one only if its last byte is an ASCII space or the last byte of
# a non-ASCII one (see strip_safe).
_MAY_START_SPACE = _ASCII_SPACE.copy()
_MAY_START_SPACE[[0xC2, 0xE1, 0xE2, 0xE3]] = True
_MAY_END_SPACE = _ASCII_SPACE.copy()
_MAY_END_SPACE[[0x85, 0xA0, *range(0x80, 0x8B), 0xA8, 0xA9, 0xAF, 0x9F]] = True


class Declined(Exception):
    """The fast reader cannot vouch for a file; the full reader must read the package."""


class ByteColumn:
    """One column: cell ``i`` is ``buf[starts[i] : starts[i] + lengths[i]]``. ``values``
    gathers the cells into one ``S`` array (NUL-padded, so ``b""`` is an empty cell) when
    first asked: a column only checked, never used, is never copied."""

    __slots__ = ("_values", "buf", "lengths", "starts")

    def __init__(self, buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> None:
        self.buf, self.starts, self.lengths = buf, starts, lengths.astype(np.int64)
        self._values: np.ndarray | None = None

    @classmethod
    def empty(cls, n: int) -> ByteColumn:
        """``n`` empty cells (an optional column the file leaves out)."""
        return cls(np.zeros(1, dtype=np.uint8), np.zeros(n, np.int64), np.zeros(n, np.int64))

    def __len__(self) -> int:
        return len(self.starts)

    @property
    def values(self) -> np.ndarray:
        if self._values is None:
            self._values = _gather(self.buf, self.starts, self.lengths)
        return self._values

    def matrix(self) -> np.ndarray:
        """uint8 [n, width]: the bytes of each cell, zero-padded (a view of ``values``)."""
        width = self.values.dtype.itemsize
        return self.values.view(np.uint8).reshape(len(self), width)

    def byte(self, k: int) -> np.ndarray:
        """uint8 [n]: byte ``k`` of each cell (negative: from the end, -1 the last), 0 where
        the cell is shorter."""
        offset = self.lengths + k if k < 0 else np.full(len(self), k, dtype=np.int64)
        inside = (offset >= 0) & (offset < self.lengths)
        at = np.clip(self.starts + offset, 0, len(self.buf) - 1)
        return np.where(inside, self.buf[at], 0).astype(np.uint8)


@dataclass(frozen=True, slots=True)
class ByteTable:
    file: str
    header: list[str]
    columns: dict[str, ByteColumn]
    n_rows: int

    def column(self, name: str) -> ByteColumn | None:
        return self.columns.get(name)


def parse(data: bytes, file: str) -> ByteTable:
    """The columns of a plain CSV file (UTF-8, BOM optional). Raises :class:`Declined`."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data or b'"' in data or b"\x00" in data:
        raise Declined(f"{file}: empty, quoted or binary")
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise Declined(f"{file}: not UTF-8") from None
    crlf = b"\r" in data
    if not data.endswith(b"\n"):
        data += b"\r\n" if crlf else b"\n"
    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    if crlf and not np.array_equal(np.flatnonzero(raw == 13), newlines - 1):
        raise Declined(f"{file}: mixed line ends")  # a lone CR or LF among CRLF
    # NUL padding past the end, so that a window as wide as the longest line fits every cell
    buf = np.concatenate((raw, np.zeros(int(np.diff(newlines, prepend=-1).max()), np.uint8)))
    line_end = newlines - (1 if crlf else 0)  # where each line's text ends
    line_start = np.concatenate(([0], line_end[:-1] + (2 if crlf else 1)))
    header = [name.strip() for name in data[: line_end[0]].decode("utf-8").split(",")]
    if "" in header or len(set(header)) != len(header):
        raise Declined(f"{file}: an unnamed or repeated column")
    width = len(header)
    commas = np.flatnonzero(raw == 44)
    per_line = np.diff(np.searchsorted(commas, np.append(line_start, len(raw))))
    lengths = line_end - line_start
    if (per_line != width - 1).any() or (lengths[1:] <= width - 1).any():
        raise Declined(f"{file}: a blank, empty or ragged row")
    # Row r's cells run between its line start, its commas and its line end.
    inner = commas[width - 1 :].reshape(-1, width - 1) if width > 1 else np.empty((0, 0), np.int64)
    starts = np.column_stack([line_start[1:], inner + 1]) if width > 1 else line_start[1:, None]
    ends = np.column_stack([inner, line_end[1:]]) if width > 1 else line_end[1:, None]
    columns = {
        name: ByteColumn(buf, starts[:, j], ends[:, j] - starts[:, j])
        for j, name in enumerate(header)
    }
    return ByteTable(file, header, columns, len(line_start) - 1)


def _gather(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The cells ``buf[starts[i] : starts[i] + lengths[i]]`` as one ``S`` array: one row of
    a sliding-window view per cell (a copy of ``width`` bytes each), then the bytes past each
    cell's end zeroed."""
    n = len(starts)
    width = max(int(lengths.max()) if n else 0, 1)
    if n and int(starts.max()) + width > len(buf):  # callers pad; this is the safety net
        buf = np.concatenate((buf, np.zeros(width, dtype=np.uint8)))
    if len(buf) < width:
        buf = np.concatenate((buf, np.zeros(width - len(buf), dtype=np.uint8)))
    matrix = sliding_window_view(buf, width)[starts]
    if n and int(lengths.min()) < width:
        matrix[np.arange(width) >= lengths[:, None]] = 0
    return matrix.view(f"S{width}").reshape(n)


def encoded(texts: list[str]) -> ByteColumn:
    """Python strings as a :class:`ByteColumn` of their UTF-8 bytes (to code them together
    with columns read by :func:`parse`). Raises :class:`Declined` for a string holding a line
    feed or NUL, which the one-pass split below would mis-cut."""
    joined = "\n".join(texts)
    if "\x00" in joined or joined.count("\n") != max(len(texts) - 1, 0):
        raise Declined("an identifier holds a line feed or NUL")
    try:
        data = joined.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        raise Declined("an identifier is not valid Unicode") from None
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)[: len(texts)]
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)[: len(texts)]
    return ByteColumn(buf, starts, ends - starts)


def strip_safe(column: ByteColumn) -> bool:
    """Whether :func:`str.strip` leaves every cell as it is: no cell starts or ends with a
    character for which :func:`str.isspace` is true (ASCII, or U+0085, U+00A0, U+1680,
    U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 in UTF-8). One byte at each end
    of every cell rules out almost all of them; only the rest are looked at closely."""
    filled = column.lengths > 0
    first, last = column.byte(0), column.byte(-1)
    maybe = filled & (_MAY_START_SPACE[first] | _MAY_END_SPACE[last])
    if not maybe.any():
        return True
    rows = np.flatnonzero(maybe)
    near = ByteColumn(column.buf, column.starts[rows], column.lengths[rows])
    first3 = (near.byte(0), near.byte(1), near.byte(2))
    last3 = (near.byte(-3), near.byte(-2), near.byte(-1))
    head = _ASCII_SPACE[first3[0]] | _space2(*first3[:2]) | _space3(*first3)
    tail = _ASCII_SPACE[last3[2]] | _space2(*last3[1:]) | _space3(*last3)
    return not bool((head | tail).any())


def _space2(b0: np.ndarray, b1: np.ndarray) -> np.ndarray:
    """Whether (b0, b1) is U+0085 or U+00A0 in UTF-8."""
    return (b0 == 0xC2) & ((b1 == 0x85) | (b1 == 0xA0))


def _space3(b0: np.ndarray, b1: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """Whether (b0, b1, b2) is U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F or
    U+3000 in UTF-8."""
    e2 = (b0 == 0xE2) & (
        ((b1 == 0x80) & ((b2 <= 0x8A) | (b2 == 0xA8) | (b2 == 0xA9) | (b2 == 0xAF)))
        | ((b1 == 0x81) & (b2 == 0x9F))
    )
    e1 = (b0 == 0xE1) & (b1 == 0x9A) & (b2 == 0x80)
    e3 = (b0 == 0xE3) & (b1 == 0x80) & (b2 == 0x80)
    return e1 | e2 | e3
