"""The dashboard: scoped figures, charts with titles, and a data table under each chart."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sunshine.accounts.models import Role
from sunshine.admissions.models import Application
from sunshine.analytics.charts import Series, bar_chart
from sunshine.analytics.queries import review_backlog, seats_and_demand, status_counts
from tests.portal.factories import County, build_county, make_application, make_user

pytestmark = pytest.mark.django_db
URL = "/staff/dashboard/"


@pytest.fixture
def county(db: None) -> County:
    return build_county()


def _counts(user: object, county: County) -> dict[str, int]:
    return {s.status: s.count for s in status_counts(user, county.season)}


def test_status_counts_follow_the_scope(county: County) -> None:
    build_county("330122", "邻县")  # another county's applications are never counted
    bureau = make_user(Role.BUREAU_REVIEWER, region_code="330110")
    counts = _counts(bureau, county)
    assert counts["submitted"] == 4
    assert counts["admitted"] == 1
    assert sum(counts.values()) == 5
    # School staff of the west school count the applications that list it or were admitted.
    school = make_user(Role.SCHOOL_STAFF, region_code="330110", school=county.west)
    assert sum(_counts(school, county).values()) == 3  # a1, a2 (admitted), a3


def test_seats_against_first_choice_and_all_listings(county: County) -> None:
    bureau = make_user(Role.BUREAU_ADMIN, region_code="330110")
    make_application(
        county.season, "330110-A9", preferences=(county.east,), status=Application.Status.WITHDRAWN
    )
    rows = {d.school.code: d for d in seats_and_demand(bureau, county.season)}
    east, west, private = rows["330110-P1"], rows["330110-P2"], rows["330110-P9"]
    assert (east.plan_seats, east.first_choice, east.listings) == (90, 1, 2)  # withdrawn not
    assert (west.first_choice, west.listings, west.admitted) == (2, 3, 1)
    assert (private.first_choice, private.listings) == (1, 1)
    school = make_user(Role.SCHOOL_STAFF, region_code="330110", school=county.west)
    assert [d.school for d in seats_and_demand(school, county.season)] == [county.west]


def test_backlog_counts_by_age_and_level(county: County) -> None:
    now = timezone.now()
    for days, key in ((0, "a1"), (5, "a2"), (20, "a3")):
        app = county.applications[key]
        app.submitted_at = now - dt.timedelta(days=days, hours=1)
        app.save(update_fields=["submitted_at"])
    bureau = make_user(Role.BUREAU_REVIEWER, region_code="330110")
    first, second = review_backlog(bureau, county.season, now)
    assert first.level == 1
    assert second.level == 2
    assert first.total == 5  # nobody has reviewed anything yet
    assert first.by_age[0] >= 1
    assert first.by_age[2] == 1
    assert first.by_age[4] >= 1
    assert sum(first.by_age) == first.total
    assert first.oldest_days is not None
    assert first.oldest_days >= 20
    assert second.total == 0
    assert second.oldest_days is None


def test_bar_chart_geometry_is_proportional() -> None:
    chart = bar_chart(["甲", "乙"], [Series("n", "bar-a", [10, 5]), Series("m", "bar-b", [0, 2])])
    a, b = chart.blocks[0].bars[0], chart.blocks[1].bars[0]
    assert a.width == pytest.approx(2 * b.width)
    assert chart.blocks[0].bars[1].width == 0
    ys = [bar.y for block in chart.blocks for bar in block.bars]
    assert ys == sorted(ys)
    assert len(set(ys)) == len(ys)
    assert chart.height > max(ys)
    with pytest.raises(ValueError, match="values"):
        bar_chart(["甲"], [Series("n", "bar-a", [1, 2])])


def test_the_page_has_three_accessible_charts_each_with_a_table(
    client: Client, county: County
) -> None:
    client.force_login(make_user(Role.BUREAU_ADMIN, region_code="330110"))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for cid in ("chart-status", "chart-demand", "chart-backlog"):
        assert f'data-testid="{cid}"' in html
        assert f'aria-labelledby="{cid}-title {cid}-desc"' in html
        assert f'<title id="{cid}-title">' in html
    for table in ("table-status", "table-demand", "table-backlog"):
        assert f'data-testid="{table}"' in html
    assert "城东小学" in html


@pytest.mark.parametrize("role", [Role.PARENT, Role.WITNESS, Role.NOTARY])
def test_non_staff_are_refused(client: Client, county: County, role: Role) -> None:
    client.force_login(make_user(role, region_code="330110"))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client: Client, county: County) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "scope", "allowed"),
    [
        (Role.SCHOOL_STAFF, {"region_code": "330110"}, True),
        (Role.BUREAU_REVIEWER, {"region_code": "330110"}, True),
        (Role.INSPECTOR, {"region_code": "330110"}, True),
        (Role.SUPERVISOR, {"region_code": "3301"}, True),
        (Role.BUREAU_ADMIN, {"region_code": "330122"}, False),
    ],
)
def test_a_season_outside_the_scope_is_not_found(
    client: Client, county: County, role: Role, scope: dict[str, str], allowed: bool
) -> None:
    if role == Role.SCHOOL_STAFF:
        scope["school"] = county.east  # type: ignore[assignment]
    client.force_login(make_user(role, **scope))
    response = client.get(URL, {"season": county.season.pk})
    assert response.status_code == (200 if allowed else 404)
