"""Writing a file so that a reader never sees half of it: write beside it, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replaced_atomically(path: Path, *, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; once the block has written it, rename it over
    ``path`` (with permission bits ``mode`` when given; mkstemp's 0600 otherwise). On any
    error the temporary file is removed and ``path`` is left as it was."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if mode is not None:
            tmp.chmod(mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_bytes_atomically(path: Path, chunks: Iterable[bytes]) -> None:
    with replaced_atomically(path) as tmp, tmp.open("wb") as f:
        for chunk in chunks:
            f.write(chunk)
