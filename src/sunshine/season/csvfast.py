"""CSV text built in bulk, byte for byte what ``csv.writer(f, lineterminator="\\r\\n")`` with
the default (excel) dialect writes: a field is quoted only when it holds a comma, a double
quote, CR or LF, and a quote inside it is doubled. Numbers and None are the caller's business:
every field here is a ``str``.

``csv.writer`` spends most of a multi-million-row file in per-row Python calls; building
whole lines with numpy object arrays and joining them once is several times faster."""

from __future__ import annotations

from collections.abc import Iterable

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
