from __future__ import annotations

import re

import pytest
from django.test import Client
from tests.portal.factories import County
from tests.portal.html_text import CJK, LATIN_WORD, visible_text

from sunshine.admissions.models import School
from sunshine.portal.models import Hotline

pytestmark = pytest.mark.django_db

# Words that are the same in both languages: a key name, the other language's name in the
# language switch, the commands in the empty state, a file name.
_ZH_ALLOWED = {
    "English",
    "Tab",
    "sunshine",
    "demo",
    "import",
    "DIR",
    "docs",
    "data",
    "package",
    "xlsx",
}


def _data_values(county: County) -> tuple[str, ...]:
    schools = School.objects.filter(season=county.season)
    apps = county.applications.values()
    return (
        county.season.region_name,
        *(s.name for s in schools),
        *(s.code for s in schools),
        *(a.code for a in apps),
        "简体中文",  # the switch back to Chinese is written in Chinese on purpose
        "房户一致",  # tier names as published: Chinese is the official name
        "片区内居住",
        "户籍在片区",
        "社保满一年",
    )


def _english(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_home_lists_schools_with_plans_demand_and_zones(client: Client, county: County) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    rows = {r.school.code: r for r in response.context["rows"]}
    assert set(rows) == {s.code for s in (county.east, county.west, county.private, county.junior)}
    # a1 lists east and west; a2 west; a3 west then east; a4 chose the private school.
    assert (rows[county.east.code].applications, rows[county.east.code].first_choice) == (2, 1)
    assert (rows[county.west.code].applications, rows[county.west.code].first_choice) == (3, 2)
    assert (rows[county.private.code].applications, rows[county.private.code].first_choice) == (
        1,
        1,
    )
    assert rows[county.east.code].zone_codes == ("Z01", "Z02")
    assert rows[county.west.code].zone_codes == ("Z02",)
    for name in ("城东小学", "城西小学", "育才民办小学", "第一初级中学"):
        assert name in html
    assert '<td class="num">90</td>' in html
    assert "Z01, Z02" in html
    assert "示范县 2026 年义务教育招生" in html


def test_stage_filter_shows_one_stage(client: Client, county: County) -> None:
    response = client.get("/", {"stage": "junior"})
    assert [r.school.code for r in response.context["rows"]] == [county.junior.code]
    response = client.get("/", {"stage": "nonsense"})
    assert len(response.context["rows"]) == 4  # an unknown stage shows everything


def test_policy_summary_shows_tiers_per_stage(client: Client, county: County) -> None:
    html = client.get("/").content.decode()
    for text in ("房户一致", "户籍迁入不晚于 2025-08-31", "监护人连续缴纳社保满 12 个月"):
        assert text in html
    assert html.index("房户一致") < html.index("片区内居住")  # tiers in policy order
    _english(client)
    html = client.get("/").content.decode()
    assert "Hukou and home at one address" in html
    assert "12 months" in html


def test_hotlines_appear_only_when_published(client: Client, county: County) -> None:
    assert "招生咨询与举报电话" not in client.get("/").content.decode()
    Hotline.objects.create(season=county.season, name="县教育局招生办", phone="0571-12345678")
    html = client.get("/").content.decode()
    assert "招生咨询与举报电话" in html
    assert 'href="tel:0571-12345678"' in html


def test_empty_state_says_how_to_load_data(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "尚未导入招生数据" in html
    assert "sunshine demo" in html
    assert "sunshine import" in html


def test_unknown_season_is_404(client: Client, county: County) -> None:
    assert client.get("/", {"season": "999999"}).status_code == 404
    assert client.get("/", {"season": "x"}).status_code == 404


def test_page_is_chinese_by_default_and_english_after_switching(
    client: Client, county: County
) -> None:
    zh = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in zh
    assert "学校招生计划" in zh
    _english(client)
    en = client.get("/").content.decode()
    assert '<html lang="en">' in en
    assert "学校招生计划" not in en
    assert "Enrollment plans" in en


def test_no_untranslated_text_in_either_language(client: Client, county: County) -> None:
    data = _data_values(county)
    zh = visible_text(client.get("/").content.decode(), without=data)
    english_words = set(LATIN_WORD.findall(zh)) - _ZH_ALLOWED
    assert not english_words, english_words
    _english(client)
    en = visible_text(client.get("/").content.decode(), without=data)
    assert not CJK.findall(en), re.findall(r".{0,20}[\u4e00-\u9fff]+.{0,20}", en)


def test_empty_state_has_no_untranslated_text(client: Client) -> None:
    zh = visible_text(client.get("/").content.decode(), without=("简体中文",))
    assert not set(LATIN_WORD.findall(zh)) - _ZH_ALLOWED
    _english(client)
    en = visible_text(client.get("/").content.decode(), without=("简体中文",))
    assert not CJK.findall(en)


def test_page_works_without_javascript(client: Client, county: County) -> None:
    html = client.get("/").content.decode()
    # The zones are listed in plain HTML; the map container stays hidden until the script runs.
    assert re.search(r"<td[^>]*>Z02</td>", html)
    assert '<div id="zone-map" hidden' in html
    assert "portal/zonemap.js" in html
    assert 'id="zone-map-labels"' in html
