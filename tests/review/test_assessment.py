"""A review page's batch assessment equals what a run over the whole season decides."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sunshine.admissions.models import Application, Season
from sunshine.admissions.package_dump import season_to_package
from sunshine.admissions.services import import_package
from sunshine.core.eligibility import assess, check_columns
from sunshine.core.reasons import Check
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate
from sunshine.datasets.to_core import stage_inputs
from sunshine.review.assessment import assess_applications

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(tmp_path: Path) -> Season:
    generate(tmp_path, children=400, seed=11, progress=False)
    return import_package(read_package(tmp_path), actor="test")


def whole_season(season: Season) -> dict[str, tuple[list[tuple[str, str, str]], list[int]]]:
    package = season_to_package(season)
    out = {}
    for stage, si in stage_inputs(package).items():
        result = assess(package.policy, stage, si.evidence)
        cols = check_columns(result)
        n = len(Check)
        for i, code in enumerate(result.application_id.tolist()):
            checks = list(
                zip(
                    cols["check"][i * n : (i + 1) * n],
                    cols["result"][i * n : (i + 1) * n],
                    cols["en"][i * n : (i + 1) * n],
                    strict=True,
                )
            )
            tiers = result.pref_tier[result.pref_ptr[i] : result.pref_ptr[i + 1]].tolist()
            out[code] = (checks, tiers)
    return out


def test_a_page_is_assessed_exactly_as_the_whole_season(season: Season) -> None:
    full = whole_season(season)
    # every 7th application: both stages, and all kinds of registry evidence and anomalies
    page = list(Application.objects.filter(season=season).order_by("code")[::7])
    assert len(page) > 40
    with CaptureQueriesContext(connection) as queries:
        got = assess_applications(season, page)
    assert len(queries) < 25  # one batch, whatever the page size
    assert set(got) == {a.code for a in page}
    failing = 0
    for code, a in got.items():
        checks, tiers = full[code]
        assert [(c.check, c.result, c.text["en"]) for c in a.checks] == checks, code
        assert [(e.tier or 0) - 1 for e in a.entries] == tiers, code
        failing += bool(a.failures)
    assert failing  # the sample does exercise failed and missing checks
