"""One function call in a forked child process, its result sent back through a pipe.

The batch season has pieces of work that share nothing but their inputs (reading the
registries while the applications are read; writing two output files at once). On a two-core
machine a ``fork`` runs one of them beside the other at the cost of copying page tables, and
the child sees the parent's memory as it was, with no pickling of the inputs. Only a
single-threaded process forks (a web server's threads could hold locks the child needs); any
other runs the call in place, with the same result.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class WorkerFailed(RuntimeError):
    """The forked child did not deliver its result."""


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def start(call: Callable[[], T], *, fork: bool = True) -> Callable[[], T]:
    """Begin ``call()`` in a child process (or, when ``fork`` is false or impossible, run it
    now) and return a function that waits for its result. Call that function exactly once,
    also on error paths (``try``/``finally``), so the child is reaped."""
    if not (fork and can_fork()):
        result = call()
        return lambda: result
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's cleanup handlers
        status = 1
        try:
            os.close(read_fd)
            try:
                parts = _pickled((True, call()))
            except BaseException as exc:  # reported to the parent, which raises
                parts = _pickled((False, f"{type(exc).__name__}: {exc}"))
            with os.fdopen(write_fd, "wb") as pipe:
                for part in parts:
                    pipe.write(part)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)

    def wait() -> T:
        with os.fdopen(read_fd, "rb") as pipe:
            ok, value = _unpickled(pipe)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            raise WorkerFailed("the worker process died")
        if not ok:
            raise WorkerFailed(f"the worker process failed: {value}")
        return value

    return wait


_LENGTH = struct.Struct("<Q")


def _pickled(value: object) -> list[bytes | memoryview]:
    """Pickle protocol 5 with numpy's buffers out of band: they go down the pipe as they lie in
    memory, and the parent's arrays are built on the bytes it reads, with no further copy."""
    buffers: list[pickle.PickleBuffer] = []
    main = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    raws = [b.raw() for b in buffers]
    header = [_LENGTH.pack(len(raws)), _LENGTH.pack(len(main))]
    header += [_LENGTH.pack(r.nbytes) for r in raws]
    return [b"".join(header), main, *raws]


def _unpickled(pipe: io.BufferedReader) -> Any:
    def exactly(n: int) -> bytearray:
        data = bytearray(n)
        view, got = memoryview(data), 0
        while got < n:
            read = pipe.readinto(view[got:])
            if not read:
                raise WorkerFailed("the worker process died")
            got += read
        return data

    count = _LENGTH.unpack(exactly(_LENGTH.size))[0]
    sizes = [_LENGTH.unpack(exactly(_LENGTH.size))[0] for _ in range(count + 1)]
    main = exactly(sizes[0])
    return pickle.loads(main, buffers=[exactly(n) for n in sizes[1:]])
