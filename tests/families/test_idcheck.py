"""The ID check beside the field: one message per kind of mistake, the same verdict as the
core GB 11643 rule, and the same verdict in the browser's script as on the server."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.core.ids import complete_ids, is_valid_id
from sunshine.families.idcheck import id_problem, id_problem_kind, normalise_id

pytestmark = pytest.mark.no_postgres_rerun
SCRIPT = Path(__file__).parents[2] / "src/sunshine/families/static/families/idcheck.js"
VALID = "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("", "empty"),
        ("1101051949123", "length"),
        ("11010519491231002X1", "length"),
        ("1101051949123100XX", "digits"),
        ("11010519491331002X", "date"),
        ("110105194902300021", "date"),
        ("110105194912310021", "check"),
        (VALID, None),
    ],
)
def test_each_mistake_has_its_kind(value: str, kind: str | None) -> None:
    assert id_problem_kind(value) == kind
    assert (id_problem(value) is None) == (kind is None)


def test_the_length_message_counts_the_digits() -> None:
    assert id_problem("12345") is not None
    assert "5" in str(id_problem("12345"))


def test_typing_is_forgiving_about_spaces_and_a_small_x() -> None:
    assert normalise_id(" 110105 19491231 002x ") == VALID


@given(st.text(alphabet="0123456789X", min_size=0, max_size=20))
def test_the_verdict_is_the_core_rule(value: str) -> None:
    assert (id_problem_kind(value) is None) == is_valid_id(value)


def _corpus(n: int = 3000) -> list[str]:
    rng = random.Random(20260501)
    first17 = [
        f"{rng.randrange(110000, 660000)}{rng.randrange(1900, 2030)}"
        f"{rng.randrange(1, 13):02d}{rng.randrange(1, 32):02d}{rng.randrange(1000):03d}"
        for _ in range(n)
    ]
    ids = [str(x) for x in complete_ids(np.array(first17))]
    corpus = list(ids)
    for x in ids[: n // 2]:  # one digit changed, the check character swapped, cut short
        i = rng.randrange(17)
        corpus.append(x[:i] + str((int(x[i]) + rng.randrange(1, 10)) % 10) + x[i + 1 :])
        corpus.append(x[:17] + rng.choice("0123456789X"))
        corpus.append(x[: rng.randrange(18)])
    corpus += ["", "20000229", "200002290000000000", "19000229123456789X", "00000101000000000X"]
    corpus += [f"110105{y}0229{s}" for y in ("2000", "1900", "2024", "2023") for s in ("0011",)]
    return corpus


def test_the_browser_script_gives_the_servers_verdict() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; the browser check is covered by the e2e tests")
    corpus = _corpus()
    program = (
        "globalThis.document = undefined;\n"
        + SCRIPT.read_text(encoding="utf-8")
        + "\nconst ids = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n"
        + "process.stdout.write(JSON.stringify(ids.map(v => globalThis.sunshineIdProblem(v))));\n"
    )
    result = subprocess.run(
        [node, "-e", program], input=json.dumps(corpus), capture_output=True, text=True, check=True
    )
    browser = json.loads(result.stdout)
    server = [id_problem_kind(v) for v in corpus]
    mismatches = [(v, b, s) for v, b, s in zip(corpus, browser, server, strict=True) if b != s]
    assert not mismatches, mismatches[:5]
    assert server.count(None) > 1000  # the corpus holds plenty of valid numbers
