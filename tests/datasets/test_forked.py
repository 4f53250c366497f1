"""A call in a forked child: its result comes back, its failure is raised, and without a fork
the same call runs in place."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sunshine.datasets import forked

pytestmark = pytest.mark.no_postgres_rerun


# In a fresh interpreter: a test run may have left threads behind, and then nothing forks.
CHILD = """
import os
import numpy as np
from sunshine.datasets import forked
assert forked.can_fork()
parent = os.getpid()
pid, values = forked.start(lambda: (os.getpid(), np.arange(5) * 2))()
assert pid != parent, "not run in another process"
assert values.tolist() == [0, 2, 4, 6, 8]
def boom():
    raise ValueError("no such county")
try:
    forked.start(boom)()
except forked.WorkerFailed as e:
    assert "ValueError: no such county" in str(e), e
else:
    raise AssertionError("the failure was not raised")
print("ok")
"""


def test_a_result_comes_back_from_a_child_and_a_failure_is_raised() -> None:
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_without_a_fork_the_call_runs_in_place() -> None:
    seen: list[int] = []

    def call() -> str:
        seen.append(os.getpid())
        return "done"

    wait = forked.start(call, fork=False)
    assert seen == [os.getpid()]
    assert wait() == "done"
