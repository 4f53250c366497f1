"""One function call in a forked child process, its result sent back through a pipe.

The batch season has pieces of work that share nothing but their inputs (reading the
registries while the applications are read; writing two output files at once). On a two-core
machine a ``fork`` runs one of them beside the other at the cost of copying page tables, and
the child sees the parent's memory as it was, with no pickling of the inputs. Only a
single-threaded process forks (a web server's threads could hold locks the child needs); any
other runs the call in place, with the same result.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import TypeVar

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
                payload = pickle.dumps((True, call()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:  # reported to the parent, which raises
                payload = pickle.dumps((False, f"{type(exc).__name__}: {exc}"))
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)

    def wait() -> T:
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            raise WorkerFailed("the worker process died")
        ok, value = pickle.loads(data)
        if not ok:
            raise WorkerFailed(f"the worker process failed: {value}")
        return value

    return wait
