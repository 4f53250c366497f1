"""The adapter on a synthetic county: the planted anomalies are exactly what the checks find."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sunshine.core.eligibility import assess
from sunshine.core.policy import Stage
from sunshine.core.reasons import Check, Reason
from sunshine.datasets.reader import read_package
from sunshine.datasets.schema import GROUND_TRUTH_FILE
from sunshine.datasets.synthetic import generate
from sunshine.datasets.to_core import stage_inputs

pytestmark = pytest.mark.no_postgres_rerun


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county")
    generate(out, children=2000, seed=7, progress=False)
    return out


def planted(county: Path, kind: str) -> set[str]:
    truth = json.loads((county / GROUND_TRUTH_FILE).read_text(encoding="utf-8"))
    return {a for x in truth["anomalies"] if x["kind"] == kind for a in x["application_ids"]}


def test_stage_inputs_split_and_factorise(county: Path) -> None:
    pkg = read_package(county)
    inputs = stage_inputs(pkg)
    apps = pkg["applications"]
    assert set(inputs) == {Stage.PRIMARY, Stage.JUNIOR}
    rows = np.concatenate([i.application_rows for i in inputs.values()])
    assert sorted(rows.tolist()) == list(range(len(apps)))
    for stage, inp in inputs.items():
        ev = inp.evidence
        assert (apps["stage"][inp.application_rows] == stage.value).all()
        assert (pkg["schools"]["stage"][inp.school_rows] == stage.value).all()
        assert ev.applicants.child.min() >= 0
        assert ev.applicants.claimed_address.min() >= 0
        # one code space: every applicant's guardians appear among the people of the registries
        assert np.isin(ev.applicants.guardian, ev.births.mother).mean() > 0.5
        assert ev.zones.n_zones > 0


def test_planted_anomalies_are_found(county: Path) -> None:
    pkg = read_package(county)
    found: dict[Reason, set[str]] = {Reason.PERMIT_INVALID: set(), Reason.LOCK_LOCKED: set()}
    for stage, inp in stage_inputs(pkg).items():
        r = assess(pkg.policy, stage, inp.evidence)
        assert r.eligible.all()
        assert len(r.outside_zone) == 0
        for code, check in (
            (Reason.PERMIT_INVALID, Check.PERMIT),
            (Reason.LOCK_LOCKED, Check.SEAT_LOCK),
        ):
            found[code] |= set(r.application_id[r.reason[:, check] == code].tolist())
    assert found[Reason.PERMIT_INVALID] == planted(county, "expired_permit")
    assert found[Reason.LOCK_LOCKED] == planted(county, "seat_lock_reuse")
