"""What `sunshine demo` does after the import, through the same services staff would use:
a witnessed lottery ceremony, the season run on its draw, the published lists and an audit
checkpoint, so that every public page shows real data."""

from __future__ import annotations

import hashlib

from sunshine.accounts.models import User
from sunshine.admissions.models import School, Season
from sunshine.cli.demo_cmd import DEMO_ACTOR

# Who types which witness input at the demo ceremony (role announced -> demo account).
WITNESSES = {"notary": "demo-notary", "parent_representative": "demo-witness"}


def demo_value(seed: int, role: str) -> str:
    """A witness's typed value, reproducible from the demo's seed (a real one is typed live)."""
    return str(int(hashlib.sha256(f"{seed}/{role}".encode()).hexdigest(), 16) % 1_000_000)


def hold_ceremony(season: Season, seed: int) -> object:
    from sunshine.ceremony import services as ceremony

    c = ceremony.freeze_pool(
        season, actor=DEMO_ACTOR, label=f"{season.region_name} {season.school_year} 演示摇号"
    )
    c = ceremony.announce(c, actor=DEMO_ACTOR, witness_roles=list(WITNESSES))
    for role, username in WITNESSES.items():
        user = User.objects.get(username=username)
        name = user.get_full_name() or username
        ceremony.add_witness_input(
            c, actor=user, role=role, name=name, value=demo_value(seed, role)
        )
    c = ceremony.draw(c, actor=DEMO_ACTOR)
    return ceremony.publish(c, actor=DEMO_ACTOR)


def publish_lists(season: Season) -> tuple[int, int]:
    """Publish each school's admitted list (publisher: the bureau admin; approver: the
    reviewer). Returns (published, withheld by the re-identification check)."""
    from sunshine.admissions.publication import PublicationNotAnonymous, publish_list

    admin = User.objects.get(username="demo-admin")
    reviewer = User.objects.get(username="demo-reviewer")
    published = withheld = 0
    for school in School.objects.filter(season=season, admissions__isnull=False).distinct():
        try:
            publish_list(season, "admitted", school, actor=admin, approver=reviewer)
            published += 1
        except PublicationNotAnonymous:
            withheld += 1
    return published, withheld
