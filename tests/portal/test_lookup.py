"""The public page "which schools serve my address": by text, by address code and by point, with
the border and outside cases explained. The test county's zones are squares 0.05° wide at
latitude 30: Z01 [120.00, 120.05] serves the east school, Z02 [120.05, 120.10] the east and west
schools (a multi-school zone), and the junior zone ZJ1 covers Z01's square."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.portal.factories import County
from tests.portal.html_text import CJK, visible_text

from sunshine.admissions.models import Address
from sunshine.portal.lookup import MAX_MATCHES, lookup_point

pytestmark = pytest.mark.django_db


def _get(client: Client, county: County, **params: object) -> tuple[int, str]:
    response = client.get("/lookup/", {"season": county.season.pk, **params})
    return response.status_code, response.content.decode()


def _testids(html: str, name: str) -> list[str]:
    """The data-school-code (or text) of every element with data-testid=name."""
    return re.findall(rf'data-testid="{name}"(?: data-school-code="([^"]*)")?', html)


def test_a_point_in_a_multi_school_zone_lists_its_schools(client: Client, county: County) -> None:
    status, html = _get(client, county, lon="120.075", lat="30.025")
    assert status == 200
    assert 'data-testid="lookup-result"' in html
    assert 'data-testid="stage-result-primary" data-zone="Z02"' in html
    assert _testids(html, "candidate-school") == [county.east.code, county.west.code]
    assert "多校划片" in html
    assert 'data-testid="border-note"' not in html
    # 公民同招: the private primary school is open to the whole county
    assert _testids(html, "private-school") == [county.private.code]


def test_the_junior_stage_is_answered_too_here_outside_its_zones(
    client: Client, county: County
) -> None:
    _status, html = _get(client, county, lon="120.075", lat="30.025")
    assert 'data-testid="stage-result-junior" data-zone=""' in html
    assert 'data-testid="outside-note"' in html
    assert "片区 ZJ1（约 2409 米）" in html  # 0.025° of longitude at latitude 30


def test_a_point_on_a_shared_border_goes_to_the_smaller_zone_and_says_why(
    client: Client, county: County
) -> None:
    _status, html = _get(client, county, lon="120.05", lat="30.025")
    assert 'data-testid="stage-result-primary" data-zone="Z01"' in html
    assert 'data-testid="border-note"' in html
    assert "片区 Z01, Z02 的分界线上" in html
    assert _testids(html, "candidate-school") == [county.east.code, county.junior.code]


def test_a_point_near_a_border_says_how_near(client: Client, county: County) -> None:
    _status, html = _get(client, county, lon="120.0495", lat="30.025")
    assert 'data-testid="near-border-note"' in html
    assert "距片区边界约 48 米" in html
    assert "片区 Z02（约 48 米）" in html


def test_a_point_outside_every_zone_names_the_nearest(client: Client, county: County) -> None:
    _status, html = _get(client, county, lon="120.2", lat="30.025")
    assert 'data-testid="stage-result-primary" data-zone=""' in html
    assert html.count('data-testid="outside-note"') == 2
    primary = html.split('data-testid="stage-result-primary"')[1].split("</article>")[0]
    assert primary.index("片区 Z02") < primary.index("片区 Z01")
    assert _testids(html, "candidate-school") == []


def test_one_matching_address_is_placed_at_once(client: Client, county: County) -> None:
    Address.objects.create(
        season=county.season, code="ADDR-P", text="和平街8号", lon=120.075, lat=30.025
    )
    status, html = _get(client, county, q="和平街")
    assert status == 200
    assert "和平街8号" in html
    assert 'data-zone="Z02"' in html
    assert 'data-testid="map-marker"' not in html  # drawn by the script, not the server
    assert 'data-marker-lon="120.075000"' in html


def test_several_matches_are_listed_and_one_can_be_chosen(client: Client, county: County) -> None:
    _status, html = _get(client, county, q="幸福路")
    assert 'data-testid="lookup-matches"' in html
    codes = re.findall(r'data-testid="lookup-match" data-address-code="([^"]+)"', html)
    assert len(codes) == len(county.applications)  # each test application has an address
    assert 'data-testid="lookup-result"' not in html
    status, chosen = _get(client, county, address=codes[0])
    assert status == 200
    assert 'data-testid="stage-result-primary" data-zone="Z01"' in chosen


def test_many_matches_are_capped(client: Client, county: County) -> None:
    Address.objects.bulk_create(
        Address(season=county.season, code=f"M{i}", text=f"长街{i}号", lon=120.0, lat=30.0)
        for i in range(MAX_MATCHES + 5)
    )
    _status, html = _get(client, county, q="长街")
    assert html.count('data-testid="lookup-match"') == MAX_MATCHES
    assert f"找到 {MAX_MATCHES + 5} 个地址" in html
    assert f"只列出前 {MAX_MATCHES} 个" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "火星路"}, "没有找到包含这些字的地址"),
        ({"q": "幸"}, "请至少输入 2 个字的地址"),
    ],
)
def test_a_search_that_finds_nothing_says_so_beside_the_box(
    client: Client, county: County, params: dict[str, str], message: str
) -> None:
    status, html = _get(client, county, **params)
    assert status == 200
    assert re.search(rf'data-testid="lookup-error">[^<]*{message}', html)


def test_an_unknown_address_code_is_404(client: Client, county: County) -> None:
    status, html = _get(client, county, address="NOPE")
    assert status == 404
    assert 'data-testid="lookup-problem"' in html


def test_a_point_that_is_no_number_is_a_field_error(client: Client, county: County) -> None:
    status, html = _get(client, county, lon="east", lat="30")
    assert status == 200
    assert "<details open>" in html
    assert 'role="alert"' in html
    assert 'data-testid="lookup-result"' not in html


def test_the_page_offers_the_map_in_pick_mode(client: Client, county: County) -> None:
    _status, html = _get(client, county)
    assert f'data-pick-url="/lookup/?season={county.season.pk}"' in html
    assert 'data-testid="lookup-query"' in html
    assert "portal/zonemap.js" in html


def test_the_home_page_offers_the_search_box(client: Client, county: County) -> None:
    html = client.get("/").content.decode()
    assert 'action="/lookup/"' in html
    assert 'data-testid="lookup-query"' in html


def test_the_lookup_uses_one_fixed_number_of_queries(
    county: County, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        found = lookup_point(county.season, 120.075, 30.025)
    assert [s.stage for s in found.stages] == ["primary", "junior"]


def test_the_page_reads_in_english(client: Client, county: County) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _status, html = _get(client, county, lon="120.05", lat="30.025")
    names = [county.east.name, county.west.name, county.private.name, county.junior.name]
    text = visible_text(html, without=(*names, county.season.region_name, "简体中文"))
    assert not CJK.findall(text), re.findall(r".{0,20}[\u4e00-\u9fff]+.{0,20}", text)
    assert "exactly on the shared border of zones Z01, Z02" in text
