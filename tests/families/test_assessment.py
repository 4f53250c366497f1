"""The one-application package behind the findings page gives exactly what the engine gives
when it runs over the whole season: same reason for every check, same priority at every
school. Each family below exercises one join the package must not lose (grandparents' home,
seat lock by a stranger or by a sibling, permits, parents not on the birth record...)."""

from __future__ import annotations

import datetime as dt

import pytest

from sunshine.admissions.models import Address, Application, Preference, Season
from sunshine.admissions.package_dump import season_to_package
from sunshine.core.eligibility import assess
from sunshine.core.market import NOT_ADMISSIBLE
from sunshine.core.policy import Stage
from sunshine.core.reasons import Reason
from sunshine.datasets.policy_toml import parse_policy
from sunshine.datasets.to_core import stage_inputs
from sunshine.families.assessment import FINDING_CHECKS, assess_claim
from sunshine.families.registration import claim_of_application
from sunshine.registry.models import (
    BirthRecord,
    HouseholdMember,
    PropertyOwnership,
    ResidencePermit,
    SeatUsage,
    SocialSecurity,
    VaccinationRecord,
)
from tests.portal.factories import County, id_number

pytestmark = pytest.mark.django_db
D = dt.date


def _address(season: Season, code: str, lon: float) -> Address:
    return Address.objects.create(season=season, code=code, text=code, lon=lon, lat=30.01)


def _application(
    county: County, code: str, child: str, guardians: list[str], address: Address, cert: str = ""
) -> Application:
    app = Application.objects.create(
        season=county.season,
        code=code,
        child_id_number=child,
        child_name="测试",
        gender="M",
        birth_date=D(int(child[6:10]), int(child[10:12]), int(child[12:14])),
        stage="primary",
        guardian_ids=guardians,
        claimed_address=address,
        claimed_certificate_no=cert,
    )
    Preference.objects.create(application=app, rank=1, school=county.east)
    Preference.objects.create(application=app, rank=2, school=county.west)
    return app


def _people(n: int) -> list[str]:
    return [id_number("330110", "19850101") for _ in range(n)]


def _families(county: County) -> list[Application]:
    s = county.season
    home = _address(s, "A-HOME", 120.01)
    multi = _address(s, "A-MULTI", 120.07)
    apps = []

    # 1: both parents, hukou and home at one address, records complete.
    child = id_number("330110", "20190301")
    mother, father = _people(2)
    HouseholdMember.objects.create(
        season=s,
        person_id=mother,
        household_id="H1",
        address=home,
        registered_on=D(2017, 6, 1),
        relation="head",
    )
    HouseholdMember.objects.create(
        season=s,
        person_id=child,
        household_id="H1",
        address=home,
        registered_on=D(2019, 4, 1),
        relation="child",
    )
    PropertyOwnership.objects.create(
        season=s,
        certificate_no="C1",
        address=home,
        owner_id=father,
        share=0.5,
        acquired_on=D(2016, 1, 1),
    )
    BirthRecord.objects.create(
        season=s, child_id=child, birth_date=D(2019, 3, 1), mother_id=mother, father_id=father
    )
    VaccinationRecord.objects.create(season=s, child_id=child, complete=True)
    apps.append(_application(county, "F1", child, [mother, father], home, "C1"))

    # 2: the home belongs to the grandmother, head of the child's household (not accepted).
    child = id_number("330110", "20190505")
    mother, grandma = _people(2)
    for person, relation in ((grandma, "head"), (child, "other")):
        HouseholdMember.objects.create(
            season=s,
            person_id=person,
            household_id="H2",
            address=multi,
            registered_on=D(2015, 1, 1),
            relation=relation,
        )
    PropertyOwnership.objects.create(
        season=s,
        certificate_no="C2",
        address=multi,
        owner_id=grandma,
        share=1.0,
        acquired_on=D(2010, 1, 1),
    )
    BirthRecord.objects.create(season=s, child_id=child, birth_date=D(2019, 5, 5), mother_id=mother)
    VaccinationRecord.objects.create(season=s, child_id=child, complete=False)
    apps.append(_application(county, "F2", child, [mother], multi, "C2"))

    # 3: the home was used in 2022 by another family's child: locked.
    child, stranger_child = id_number("330110", "20190606"), id_number("330110", "20160606")
    (mother,) = _people(1)
    PropertyOwnership.objects.create(
        season=s,
        certificate_no="C3",
        address=home,
        owner_id=mother,
        share=1.0,
        acquired_on=D(2021, 1, 1),
    )
    SeatUsage.objects.create(
        season=s, certificate_no="C3", year=2022, stage="primary", child_id=stranger_child
    )
    BirthRecord.objects.create(season=s, child_id=child, birth_date=D(2019, 6, 6), mother_id=mother)
    apps.append(_application(county, "F3", child, [mother], home, "C3"))

    # 4: the home was used in 2023 by an older sibling (same mother): exempt.
    child, sibling = id_number("330110", "20190707"), id_number("330110", "20170707")
    (mother,) = _people(1)
    PropertyOwnership.objects.create(
        season=s,
        certificate_no="C4",
        address=multi,
        owner_id=mother,
        share=1.0,
        acquired_on=D(2015, 1, 1),
    )
    SeatUsage.objects.create(
        season=s, certificate_no="C4", year=2023, stage="primary", child_id=sibling
    )
    for kid, born in ((child, D(2019, 7, 7)), (sibling, D(2017, 7, 7))):
        BirthRecord.objects.create(season=s, child_id=kid, birth_date=born, mother_id=mother)
    apps.append(_application(county, "F4", child, [mother], multi, "C4"))

    # 5: migrants: a residence permit and 10 months of social insurance, no hukou, no home.
    child = id_number("330110", "20190808")
    mother, father = _people(2)
    ResidencePermit.objects.create(
        season=s,
        person_id=father,
        address=multi,
        issued_on=D(2024, 1, 1),
        valid_until=D(2027, 1, 1),
    )
    ResidencePermit.objects.create(
        season=s, person_id=mother, address=home, issued_on=D(2020, 1, 1), valid_until=D(2023, 1, 1)
    )
    SocialSecurity.objects.create(
        season=s, person_id=father, months_continuous=10, as_of=D(2026, 3, 1)
    )
    BirthRecord.objects.create(
        season=s, child_id=child, birth_date=D(2019, 8, 8), mother_id=mother, father_id=father
    )
    apps.append(_application(county, "F5", child, [mother, father], multi))

    # 6: a listed guardian is not a parent on the birth record; too young; no records.
    child = id_number("330110", "20210101")
    (uncle,) = _people(1)
    BirthRecord.objects.create(season=s, child_id=child, birth_date=D(2021, 1, 1))
    apps.append(_application(county, "F6", child, [uncle], home))
    return apps  # fmt: skip


def test_the_family_package_agrees_with_the_whole_season(county: County) -> None:
    apps = _families(county)
    season = county.season
    policy = parse_policy(season.policy_toml)
    evidence = stage_inputs(season_to_package(season))[Stage.PRIMARY].evidence
    whole = assess(policy, Stage.PRIMARY, evidence)
    row_of = {code: i for i, code in enumerate(whole.application_id.tolist())}
    seen = set()
    for app in apps:
        i = row_of[app.code]
        claim = claim_of_application(app)
        one = assess_claim(season, claim)
        expected = [int(whole.reason[i, c]) for c in FINDING_CHECKS]
        assert [f.reason for f in one.findings] == [Reason(r).name for r in expected], app.code
        seen.update(f.reason for f in one.findings)
        # the level at each school the family listed is the engine's level there
        lo, hi = int(whole.pref_ptr[i]), int(whole.pref_ptr[i + 1])
        engine_levels = {
            evidence.schools.school_id[int(whole.pref_school[e])]: int(whole.pref_priority[e])
            for e in range(lo, hi)
        }
        for candidate in one.candidates:
            want = engine_levels.get(candidate.school.code)
            if want is not None:
                got = NOT_ADMISSIBLE if candidate.level is None else candidate.level
                assert got == want, app.code
    # the families above do reach the tricky findings
    assert {
        "HOME_GRANDPARENT_NOT_ALLOWED",
        "LOCK_LOCKED",
        "LOCK_SIBLING",
        "PERMIT_VALID",
        "PARENTS_MISMATCH",
        "AGE_UNDER",
        "VAX_INCOMPLETE",
        "HOME_GUARDIAN",
    } <= seen
