"""Many short SHA-256 digests with a common prefix, as 64-bit numbers, fast.

The lottery and the class draw both need ``first 8 bytes of SHA-256(prefix || message)`` for
millions of short messages. Python spends most of that time in per-item call overhead, not in
SHA-256 itself, so large batches may fan out to a second process (``fork``), which halves the
wall time on a two-core machine. The result never depends on how the work was split.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from typing import Final

import numpy as np

# Below this many messages a fork costs more than it saves.
MIN_PARALLEL: Final = 200_000


def encode_lines(texts: Sequence[str]) -> list[bytes]:
    """UTF-8 of each text, in one C-level pass. The texts must not contain a line feed (callers
    validate that: identifiers here never hold control characters)."""
    if not texts:
        return []
    return "\n".join(texts).encode("utf-8").split(b"\n")


def prefixed_numbers(prefix: bytes, texts: Sequence[str], *, processes: int = 1) -> np.ndarray:
    """uint64 [len(texts)]: the first 8 bytes of SHA-256(prefix || UTF-8(text)), big-endian.
    No text may contain a line feed."""
    if processes > 1 and _can_fork(len(texts)):
        raw = _forked_digests(prefix, texts)
    else:
        raw = _digests(prefix, texts)
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64)


def _digests(prefix: bytes, texts: Sequence[str]) -> bytes:
    # One pre-hashed context copied per message: the prefix is compressed only once.
    copy = hashlib.sha256(prefix).copy

    def first8(message: bytes) -> bytes:
        h = copy()
        h.update(message)
        return h.digest()[:8]

    return b"".join([first8(m) for m in encode_lines(texts)])


def _can_fork(n: int) -> bool:
    # A fork of a multi-threaded process (a web server) may deadlock in the child, so fan out
    # only from a single-threaded process such as the batch CLI.
    return n >= MIN_PARALLEL and hasattr(os, "fork") and threading.active_count() == 1


def _forked_digests(prefix: bytes, texts: Sequence[str]) -> bytes:
    half = len(texts) // 2
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: hash the second half, send it, leave without cleanup handlers
        status = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(_digests(prefix, texts[half:]))
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    reader = os.fdopen(read_fd, "rb")
    try:
        first = _digests(prefix, texts[:half])
        second = reader.read()
    finally:
        reader.close()  # on an error this also unblocks the child (its write fails)
        _, wait_status = os.waitpid(pid, 0)
    if wait_status != 0 or len(second) != 8 * (len(texts) - half):
        raise RuntimeError("the digest worker process failed")
    return first + second
