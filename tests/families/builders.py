"""A family with registry records in the small county of ``tests.portal.factories``: the child's
hukou and the mother's home at one address in zone Z01 (served by 城东小学 alone), the birth
record naming both parents, vaccinations and the mother's social insurance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Address, Season
from sunshine.families.models import Registration
from sunshine.families.registration import ChildDetails
from sunshine.registry.models import (
    BirthRecord,
    HouseholdMember,
    PropertyOwnership,
    SocialSecurity,
    VaccinationRecord,
)
from tests.portal.factories import County, id_number, make_user


@dataclass
class Family:
    season: Season
    child_id: str
    mother_id: str
    father_id: str
    home: Address  # in Z01
    other: Address  # in Z02 (east and west)
    certificate: str

    def details(self, **changes: object) -> ChildDetails:
        fields: dict[str, object] = {
            "season": self.season.pk,
            "child_name": "陈小明",
            "child_id_number": self.child_id,
            "stage": "primary",
            "own_id_number": self.mother_id,
            "other_guardian_id": self.father_id,
            "address": self.home.pk,
            "certificate_no": self.certificate,
        }
        fields.update(changes)
        return ChildDetails(**fields)  # type: ignore[arg-type]


def open_window(season: Season, *, days: int = 30) -> Season:
    now = timezone.now()
    season.registration_opens = now - dt.timedelta(days=1)
    season.registration_closes = now + dt.timedelta(days=days)
    season.save(update_fields=["registration_opens", "registration_closes"])
    return season


def close_window(season: Season) -> Season:
    now = timezone.now()
    season.registration_opens = now - dt.timedelta(days=30)
    season.registration_closes = now - dt.timedelta(minutes=1)
    season.save(update_fields=["registration_opens", "registration_closes"])
    return season


def make_family(county: County, tag: str = "F") -> Family:
    season = county.season
    region = season.region_code
    child = id_number(region, "20190301")
    mother = id_number(region, "19880202")
    father = id_number(region, "19870707")
    home = Address.objects.create(
        season=season, code=f"HOME-{tag}", text=f"城东区幸福路{tag}号", lon=120.01, lat=30.01
    )
    other = Address.objects.create(
        season=season, code=f"OTHER-{tag}", text=f"城西区和平街{tag}号", lon=120.07, lat=30.01
    )
    cert = f"浙(2017)城东不动产权第{tag}号"
    HouseholdMember.objects.create(
        season=season,
        person_id=mother,
        household_id=f"H-{tag}",
        address=home,
        registered_on=dt.date(2017, 6, 1),
        relation="head",
    )
    HouseholdMember.objects.create(
        season=season,
        person_id=child,
        household_id=f"H-{tag}",
        address=home,
        registered_on=dt.date(2019, 4, 1),
        relation="child",
    )
    PropertyOwnership.objects.create(
        season=season,
        certificate_no=cert,
        address=home,
        owner_id=mother,
        share=1.0,
        acquired_on=dt.date(2017, 5, 20),
    )
    BirthRecord.objects.create(
        season=season,
        child_id=child,
        birth_date=dt.date(2019, 3, 1),
        mother_id=mother,
        father_id=father,
        address=home,
    )
    VaccinationRecord.objects.create(season=season, child_id=child, complete=True)
    SocialSecurity.objects.create(
        season=season, person_id=mother, months_continuous=40, as_of=dt.date(2026, 3, 31)
    )
    return Family(season, child, mother, father, home, other, cert)


def make_parent(username: str | None = None) -> User:
    return make_user(Role.PARENT, username)


def ready_registration(family: Family, parent: User, preferences: list[str]) -> Registration:
    """A registration with every finding confirmed and the given preferences: ready to submit."""
    from sunshine.families.registration import (
        Answer,
        answer_findings,
        assess_registration,
        register_child,
        set_choices,
    )

    r = register_child(actor=parent, details=family.details())
    findings = assess_registration(r).findings
    r = answer_findings(
        actor=parent, registration=r, answers={f.check: Answer(True) for f in findings}
    )
    return set_choices(actor=parent, registration=r, preferences=preferences)
