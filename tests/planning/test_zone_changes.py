"""Zone changes: drafted, published (公示) before they take effect, applied when due."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings

from sunshine.admissions.models import Zone
from sunshine.audit.models import AuditEvent
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.planning.models import ZoneChange
from sunshine.planning.services import (
    apply_due_changes,
    draft_zone_change,
    publish_zone_change,
    withdraw_zone_change,
)
from tests.planning.conftest import People, at
from tests.portal.factories import County, square

pytestmark = pytest.mark.django_db


def _draft(county: County, people: People, **kw: Any) -> ZoneChange:
    args: dict[str, Any] = {
        "actor": people.reviewer,
        "zone": Zone.objects.get(season=county.season, code="Z01"),
        "geometry": square(120.0, 30.0, 0.08),
        "schools": [county.east, county.west],
        "effective_from": at(20),
        "reason": "新小区交付，扩大片区",
        "now": at(1),
    }
    args.update(kw)
    return draft_zone_change(county.season, **args)


def test_a_published_change_takes_effect_on_its_date_and_only_then(
    county: County, people: People
) -> None:
    change = _draft(county, people)
    publish_zone_change(change, actor=people.admin, now=at(2))
    assert change.state == ZoneChange.State.PUBLISHED

    assert apply_due_changes(county.season, at(19), actor=people.admin).count == 0
    zone = Zone.objects.get(pk=change.zone_id)
    assert set(zone.schools.values_list("code", flat=True)) == {county.east.code}

    result = apply_due_changes(county.season, at(20), actor=people.admin)
    assert [c.pk for c in result.zones] == [change.pk]
    zone.refresh_from_db()
    assert zone.geometry == square(120.0, 30.0, 0.08)
    assert set(zone.schools.values_list("code", flat=True)) == {county.east.code, county.west.code}
    change.refresh_from_db()
    assert change.state == ZoneChange.State.EFFECTIVE
    assert change.previous_schools == [county.east.code]
    assert change.previous_geometry == square(120.0, 30.0, 0.05)

    assert apply_due_changes(county.season, at(25), actor=people.admin).count == 0
    event = AuditEvent.objects.get(action="zone.change_applied")
    assert event.object_id == "Z01"
    assert '"before":"' in event.canonical
    assert '"after":"' in event.canonical


def test_an_unpublished_change_never_takes_effect(county: County, people: People) -> None:
    change = _draft(county, people)
    result = apply_due_changes(county.season, at(21), actor=people.admin)
    assert result.count == 0
    assert [c.pk for c in result.unpublished] == [change.pk]
    change.refresh_from_db()
    assert change.state == ZoneChange.State.DRAFT
    zone = Zone.objects.get(pk=change.zone_id)
    assert zone.geometry == square(120.0, 30.0, 0.05)
    # ...and it can no longer be published: its date has passed.
    with pytest.raises(Invalid) as refused:
        publish_zone_change(change, actor=people.admin, now=at(21))
    assert refused.value.field == "effective_from"


def test_publication_needs_the_notice_period(
    county: County, people: People, settings: Settings
) -> None:
    settings.SUNSHINE_ZONE_NOTICE_DAYS = 7
    change = _draft(county, people)  # effective on the 20th
    with pytest.raises(Invalid) as refused:
        publish_zone_change(change, actor=people.admin, now=at(14))
    assert refused.value.field == "effective_from"
    change.refresh_from_db()
    assert change.state == ZoneChange.State.DRAFT
    publish_zone_change(change, actor=people.admin, now=at(13))
    assert change.state == ZoneChange.State.PUBLISHED


def test_a_new_zone_is_created_when_due(county: County, people: People) -> None:
    change = _draft(county, people, zone=None, code="Z09", stage="primary", schools=[county.west])
    publish_zone_change(change, actor=people.admin, now=at(2))
    apply_due_changes(county.season, at(20), actor=people.admin)
    zone = Zone.objects.get(season=county.season, code="Z09")
    assert list(zone.schools.all()) == [county.west]
    change.refresh_from_db()
    assert change.zone == zone
    assert change.new_zone


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"geometry": {"type": "Point", "coordinates": [120, 30]}}, "geometry"),
        (
            {  # a bow-tie: its edges cross
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]],
                }
            },
            "geometry",
        ),
        ({"geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1]]]}}, "geometry"),
        ({"geometry": square(300.0, 30.0)}, "geometry"),
        ({"schools": []}, "schools"),
        ({"effective_from": at(1, hour=8)}, "effective_from"),
        ({"reason": ""}, "reason"),
        ({"zone": None, "code": "Z01", "stage": "primary"}, "code"),
        ({"zone": None, "code": "", "stage": "primary"}, "code"),
        ({"zone": None, "code": "Z10", "stage": "college"}, "stage"),
    ],
)
def test_bad_drafts_are_refused_with_their_field(
    county: County, people: People, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(Invalid) as refused:
        _draft(county, people, **changes)
    assert refused.value.field == field
    assert not ZoneChange.objects.exists()


def test_a_zone_takes_only_public_schools_of_its_stage(county: County, people: People) -> None:
    for school in (county.private, county.junior):
        with pytest.raises(Invalid) as refused:
            _draft(county, people, schools=[county.east, school])
        assert refused.value.field == "schools"


def test_two_drafts_cannot_create_the_same_new_zone(county: County, people: People) -> None:
    _draft(county, people, zone=None, code="Z09", stage="primary")
    with pytest.raises(Invalid) as refused:
        _draft(county, people, zone=None, code="Z09", stage="primary")
    assert refused.value.field == "code"


@pytest.mark.parametrize("role", ["school", "inspector", "parent", "witness", "other_admin"])
def test_only_bureau_staff_of_the_county_may_draft(
    county: County, people: People, role: str
) -> None:
    with pytest.raises(NotAllowed):
        _draft(county, people, actor=getattr(people, role))


@pytest.mark.parametrize("role", ["reviewer", "school", "inspector", "parent", "other_admin"])
def test_only_an_administrator_of_the_county_may_publish(
    county: County, people: People, role: str
) -> None:
    change = _draft(county, people)
    with pytest.raises(NotAllowed):
        publish_zone_change(change, actor=getattr(people, role), now=at(2))
    change.refresh_from_db()
    assert change.state == ZoneChange.State.DRAFT


def test_a_published_change_withdrawn_stays_public_and_never_applies(
    county: County, people: People
) -> None:
    change = _draft(county, people)
    publish_zone_change(change, actor=people.admin, now=at(2))
    withdraw_zone_change(change, actor=people.admin, reason="规划变更")
    assert change.state == ZoneChange.State.WITHDRAWN
    assert change.published_at is not None
    assert apply_due_changes(county.season, at(25), actor=people.admin).count == 0
    with pytest.raises(Conflict):
        publish_zone_change(change, actor=people.admin, now=at(3))
    with pytest.raises(Conflict):
        withdraw_zone_change(change, actor=people.admin, reason="again")


def test_publishing_twice_is_refused(county: County, people: People) -> None:
    change = _draft(county, people)
    publish_zone_change(change, actor=people.admin, now=at(2))
    with pytest.raises(Conflict):
        publish_zone_change(change, actor=people.admin, now=at(3))
    assert AuditEvent.objects.filter(action="zone.change_published").count() == 1
