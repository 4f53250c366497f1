"""A small synthetic county for the browser journeys, loaded through the real services.

One family is held back from the import: its child, guardians and home stay in the registries
(births, households, properties…), so the family can register online in the browser and the
registry checks find what a real family's would.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sunshine.accounts.services import ensure_demo_accounts
from sunshine.admissions.models import Address, Season
from sunshine.admissions.services import import_package
from sunshine.datasets.reader import read_package
from sunshine.datasets.synthetic import generate

ACTOR = "test:e2e"
PASSWORD = "sunshine-demo"


@dataclass(frozen=True)
class WalkIn:
    """The held-back family, as the parent would type it."""

    child_id: str
    child_name: str
    guardian_ids: tuple[str, ...]
    address_text: str
    certificate_no: str
    preferences: tuple[str, ...]  # school codes the package had listed


@dataclass(frozen=True)
class World:
    season: Season
    walk_in: WalkIn


def _hold_back(package_dir: Path) -> WalkIn:
    path = package_dir / "applications.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    # A primary-school family with no sibling, no priority group and no special need.
    row = next(
        r
        for r in rows
        if r["stage"] == "primary"
        and not r["sibling_application_ids"]
        and not r["priority_group"]
        and not r["special_needs"]
        and not r["private_school_id"]
    )
    kept = [r for r in rows if r is not row]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    addresses = package_dir / "addresses.csv"
    with addresses.open(encoding="utf-8-sig", newline="") as f:
        text = next(
            a["text"] for a in csv.DictReader(f) if a["address_id"] == row["claimed_address_id"]
        )
    return WalkIn(
        child_id=row["child_id"],
        child_name=row["child_name"],
        guardian_ids=tuple(row["guardian_ids"].split(";")),
        address_text=text,
        certificate_no=row["claimed_certificate_no"],
        preferences=tuple(p for p in row["preferences"].split(";") if p),
    )


def build_world(tmp: Path, *, children: int = 300, seed: int = 7) -> World:
    package_dir = tmp / "county"
    generate(package_dir, children=children, seed=seed, progress=False)
    walk_in = _hold_back(package_dir)
    season = import_package(read_package(package_dir), actor=ACTOR)
    ensure_demo_accounts(actor=ACTOR, season=season)
    assert Address.objects.filter(season=season, text=walk_in.address_text).exists()
    return World(season=season, walk_in=walk_in)


def hold_lottery_and_run(season: Season, *, seed: int = 7) -> object:
    """The witnessed ceremony and the season run on its draw, as the demo holds them."""
    from sunshine.admissions.services import run_season
    from sunshine.cli.demo_steps import hold_ceremony

    ceremony = hold_ceremony(season, seed)
    run_season(season, actor=ACTOR, ceremony=ceremony)  # type: ignore[arg-type]
    return ceremony
