"""CSV text built in bulk, byte for byte what ``csv.writer(f, lineterminator="\\r\\n")`` with
the default (excel) dialect writes: a field is quoted only when it holds a comma, a double
quote, CR or LF, and a quote inside it is doubled. Numbers and None are the caller's business:
every field here is a ``str``.

``csv.writer`` spends most of a multi-million-row file in per-row Python calls; building
whole lines with numpy object arrays and joining them once is several times faster."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

_SPECIAL = (",", '"', "\r", "\n")
BOM = "\ufeff".encode()  # what the utf-8-sig codec writes first


def field(text: str) -> str:
    """One field as ``csv.writer`` writes it."""
    if any(c in text for c in _SPECIAL):
        return '"' + text.replace('"', '""') + '"'
    return text


def plain(texts: str | np.ndarray) -> bool:
    """Whether no text (a str or an object array of str) needs quoting: the usual case,
    found with one scan of the joined texts rather than one per text."""
    joined = texts if isinstance(texts, str) else "".join(texts.tolist())
    return not any(c in joined for c in _SPECIAL)


def fields(texts: np.ndarray) -> np.ndarray:
    """``field`` of every str of an object array; the array itself when none needs quoting."""
    if plain(texts):
        return texts
    return np.array([field(t) for t in texts.tolist()], dtype=object)


def line(values: Iterable[str]) -> str:
    """One row of fields with its CRLF terminator."""
    row = list(values)
    if row == [""]:
        return '""\r\n'  # csv.writer quotes a lone empty field: a blank line would be no row
    return ",".join(field(v) for v in row) + "\r\n"


def texts(values: Sequence[object]) -> np.ndarray:
    """``str`` of every value as an object array (what ``csv.writer`` writes for a number)."""
    return np.fromiter(map(str, values), dtype=object, count=len(values))


def integers(values: np.ndarray) -> np.ndarray:
    """:func:`texts` of an integer array. When its values span a small range next to its
    length (ranks, tiers, counts), each distinct text is made once and gathered by value, one
    numpy indexing instead of a ``str`` call per cell."""
    if len(values) == 0:
        return np.empty(0, dtype=object)
    lo, hi = int(values.min()), int(values.max())
    if hi - lo > max(len(values) // 4, 256) or not -(2**62) < lo <= hi < 2**62:
        return texts(values.tolist())
    table = np.array([str(i) for i in range(lo, hi + 1)] + [None], dtype=object)[:-1]
    return table[values.astype(np.int64) - lo]


def rows_text(columns: Sequence[np.ndarray]) -> str:
    """The rows made of ``columns`` (object arrays of str, equal lengths), each line what
    ``csv.writer`` writes for it: fields interleaved with commas in one object array and
    joined once."""
    n = len(columns[0])
    if len(columns) == 1:  # a lone empty field is quoted so that the row is not blank
        only = fields(columns[0])
        return "".join(['""\r\n' if t == "" else t + "\r\n" for t in only.tolist()])
    parts = np.empty((n, 2 * len(columns)), dtype=object)
    for j, column in enumerate(columns):
        parts[:, 2 * j] = fields(column)
    parts[:, 1:-1:2] = ","
    parts[:, -1] = "\r\n"
    return "".join(parts.ravel().tolist())


def chunks(
    header: Sequence[str], columns: Sequence[np.ndarray], *, rows: int = 65_536
) -> Iterator[bytes]:
    """A whole CSV file as UTF-8 chunks: the BOM and the header line, then ``rows`` lines at a
    time (so the text of a multi-million-row file is never held at once)."""
    yield BOM + line(header).encode()
    n = len(columns[0]) if columns else 0
    for lo in range(0, n, rows):
        yield rows_text([c[lo : lo + rows] for c in columns]).encode()
