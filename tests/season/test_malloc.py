"""keep_freed_memory, checked in a fresh interpreter (it changes the whole process's malloc):
a large array then comes from the heap, below the program break, instead of its own mmap,
and freeing it leaves the heap as it was, for the next array to reuse."""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.no_postgres_rerun,
    pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt only"),
]

PROBE = """
import ctypes, json, sys
import numpy as np
from sunshine.season.malloc import keep_freed_memory
took = keep_freed_memory() if sys.argv[1] == "keep" else None
libc = ctypes.CDLL(None)
libc.sbrk.restype = ctypes.c_void_p
libc.sbrk.argtypes = (ctypes.c_ssize_t,)
big = np.ones(48 * 2**20, dtype=np.uint8)  # past the 32 MB that glibc always mmaps
in_heap = big.ctypes.data < libc.sbrk(0)
brk = libc.sbrk(0)
del big
print(json.dumps({"took": took, "in_heap": in_heap, "kept": libc.sbrk(0) == brk}))
"""


def probe(mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def test_a_large_array_comes_from_the_heap_and_stays_there() -> None:
    assert probe("keep") == {"took": True, "in_heap": True, "kept": True}


def test_without_it_a_large_array_has_its_own_mapping() -> None:
    assert probe("default")["in_heap"] is False
