"""What each user may read (sunshine.accounts.scope): regions, a family's own applications, and
the audit events of an auditor's region."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import CharField
from django.db.models.functions import Cast
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.accounts import scope
from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Season
from sunshine.audit.models import AuditEvent
from sunshine.audit.services import record_event
from sunshine.errors import NotAllowed
from tests.portal.factories import County, build_county, make_user
from tests.portal.markets import rolled_back

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "code", "prefix"),
    [
        (Role.BUREAU_ADMIN, "330110", "330110"),
        (Role.BUREAU_REVIEWER, "330110", "330110"),
        (Role.INSPECTOR, "330110", "330110"),
        (Role.INSPECTOR, "3301", None),  # a county role needs a whole county code
        (Role.SUPERVISOR, "3301", "3301"),
        (Role.SUPERVISOR, "33", "33"),
        (Role.SUPERVISOR, "3", None),  # shorter than a province: never "everything"
        (Role.SUPERVISOR, "", None),
        (Role.SUPERVISOR, "33ab", None),
        (Role.SCHOOL_STAFF, "330110", None),  # a school officer's scope is the school
        (Role.PARENT, "330110", None),
        (Role.NOTARY, "330110", None),
        (Role.WITNESS, "330110", None),
    ],
)
def test_region_prefix_by_role(role: Role, code: str, prefix: str | None) -> None:
    user = make_user(role, region_code=code)
    assert scope.region_prefix(user) == prefix
    user.is_active = False
    assert scope.region_prefix(user) is None


def test_anonymous_has_no_region_and_no_family() -> None:
    assert scope.region_prefix(AnonymousUser()) is None
    assert not scope.family_applications(AnonymousUser()).exists()


def test_a_family_reads_only_its_own_childrens_applications(county: County) -> None:
    mine, theirs = county.applications["a1"], county.applications["a3"]
    parent = make_user(Role.PARENT)
    parent.applications.set([mine])
    make_user(Role.PARENT).applications.set([theirs])
    assert list(scope.family_applications(parent)) == [mine]
    staff = make_user(Role.BUREAU_ADMIN, region_code="330110")
    staff.applications.set([mine])  # a link on a staff account grants nothing
    assert not scope.family_applications(staff).exists()


@pytest.fixture
def county(db: None) -> County:
    return build_county()


@pytest.fixture
def two_counties(county: County) -> tuple[County, County]:
    return county, build_county("330120", "邻县")


def _event(object_type: str, object_id: str, actor: object = "cli:test") -> int:
    with transaction.atomic():
        return record_event(
            actor=actor, action="test", object_type=object_type, object_id=object_id
        ).seq


def _seen(user: User) -> set[int]:
    return set(scope.audit_events_visible_to(user).values_list("seq", flat=True))


def test_auditors_read_the_events_of_their_region(two_counties: tuple[County, County]) -> None:
    a, b = two_counties
    season_a = _event("season", str(a.season.pk))
    app_b = _event("application", b.applications["a1"].code)
    checkpoint = _event("checkpoint", "3")
    unrelated = _event("thing", "1")
    inspector_a = make_user(Role.INSPECTOR, region_code="330110")
    inspector_b = make_user(Role.INSPECTOR, region_code="330120")
    city = make_user(Role.SUPERVISOR, region_code="3301")
    other_city = make_user(Role.SUPERVISOR, region_code="3302")
    assert _seen(inspector_a) == {season_a, checkpoint}
    assert _seen(inspector_b) == {app_b, checkpoint}
    assert _seen(city) == {season_a, app_b, checkpoint}
    assert _seen(other_city) == {checkpoint}
    assert unrelated not in _seen(city)


def test_events_done_by_people_of_the_region_count_as_its_own(county: County) -> None:
    admin = make_user(Role.BUREAU_ADMIN, region_code="330110")
    officer = make_user(Role.SCHOOL_STAFF, school=county.east)
    by_admin = _event("thing", "1", actor=admin)
    by_officer = _event("thing", "2", actor=officer)
    assert _seen(make_user(Role.INSPECTOR, region_code="330110")) == {by_admin, by_officer}
    assert _seen(make_user(Role.INSPECTOR, region_code="330120")) == set()


@pytest.mark.parametrize(
    "role", [Role.PARENT, Role.SCHOOL_STAFF, Role.BUREAU_ADMIN, Role.NOTARY, Role.WITNESS]
)
def test_no_one_else_reads_the_audit_log(county: County, role: Role) -> None:
    _event("season", str(county.season.pk))
    user = make_user(role, region_code="330110", school=county.east)
    assert _seen(user) == set()
    with pytest.raises(NotAllowed):
        scope.require_audit_reader(user, action="read")


def test_an_auditor_without_a_region_is_refused() -> None:
    with pytest.raises(NotAllowed, match="no region"):
        scope.require_audit_reader(make_user(Role.SUPERVISOR, region_code=""), action="read")
    assert scope.require_audit_reader(make_user(Role.SUPERVISOR, region_code="33"), action="r")


def test_an_app_registers_the_region_of_its_objects(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scope, "AUDIT_OBJECT_SCOPES", dict(scope.AUDIT_OBJECT_SCOPES))
    seq = _event("season_alias", f"S{county.season.pk}")
    inspector = make_user(Role.INSPECTOR, region_code="330110")
    assert seq not in _seen(inspector)
    scope.register_audit_scope(
        "season_alias",
        lambda p: (
            Season.objects.filter(region_code__startswith=p)
            .annotate(ref=Cast("pk", CharField()))
            .values("ref")
        ),
    )
    assert seq not in _seen(inspector)  # the ids must match: "S<pk>" is not "<pk>"
    _event("season_alias", str(county.season.pk))
    assert len(_seen(inspector)) == 1


EXAMPLES = settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
OBJECTS = st.sampled_from(["season:A", "season:B", "app:A", "app:B", "checkpoint", "other"])


@EXAMPLES
@given(objects=st.lists(OBJECTS, max_size=12))
def test_visible_events_match_a_by_hand_count(db: None, objects: list[str]) -> None:
    with rolled_back():
        a, b = build_county(), build_county("330120", "邻县")
        ids = {
            "season:A": ("season", str(a.season.pk)),
            "season:B": ("season", str(b.season.pk)),
            "app:A": ("application", a.applications["a2"].code),
            "app:B": ("application", b.applications["a2"].code),
            "checkpoint": ("checkpoint", "1"),
            "other": ("thing", "x"),
        }
        seqs = [_event(*ids[o]) for o in objects]
        regions = {"330110": {"season:A", "app:A"}, "330120": {"season:B", "app:B"}}
        for code, own in regions.items():
            user = make_user(Role.INSPECTOR, region_code=code)
            wanted = {s for s, o in zip(seqs, objects, strict=True) if o in own | {"checkpoint"}}
            assert _seen(user) == wanted
        city = make_user(Role.SUPERVISOR, region_code="3301")
        assert _seen(city) == {s for s, o in zip(seqs, objects, strict=True) if o != "other"}
        assert AuditEvent.objects.count() >= len(objects)
