"""A batch run keeps the memory it frees, to use again, instead of giving it back at once.

glibc's malloc serves each large block (a numpy array of a few MB or more) with its own
``mmap`` and unmaps it when freed, and it trims the top of its heap as soon as enough is free.
A season allocates and frees gigabytes of such arrays, so the kernel kept zeroing and faulting
in the same amount of memory over and over: about 1.3 s of system time in a 4.5 s run of a
200,000-child city on this project's 2-core VM. Serving every block from the heap and never
trimming it cut the page faults by a quarter and the system time by a third, for about 7 %
more peak memory (docs/performance.md). The process exits when its season is written, which
is when the memory goes back.

Only the command line calls this, never the web server, whose memory should go back.
"""

from __future__ import annotations

import ctypes
import sys

# mallopt(3) parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_NEVER_TRIM = 2**31 - 1  # the largest value mallopt takes: trim only past 2 GB free


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to serve every block from its heap and not to trim it. Returns
    whether it took effect: elsewhere (another C library, another system) nothing changes."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # mallopt returns 1 on success, 0 on error; musl's stub always returns 0
    return bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, _NEVER_TRIM))
