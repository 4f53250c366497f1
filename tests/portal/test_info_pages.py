"""The public pages of the season's rules and offer: policy with its documents, schools with
plans, hotlines, and the home page's index of everything public."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import clear_url_caches
from pytest_django.fixtures import Settings
from tests.portal.factories import County, build_county
from tests.portal.html_text import CJK, visible_text

from sunshine.portal.directory import ENTRIES, directory
from sunshine.portal.documents import documents_for
from sunshine.portal.models import Hotline

pytestmark = pytest.mark.django_db


def _english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_the_policy_page_shows_tiers_and_the_documents_it_rests_on(
    client: Client, county: County
) -> None:
    response = client.get("/policy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "户籍迁入不晚于 2025-08-31" in html
    assert html.count('data-testid="policy-document"') >= 5
    for title in ("中华人民共和国义务教育法", "教基一〔2014〕1号", "国务院令第741号"):
        assert title in html
    # the widest scope first, the newest first within it: the 2021 PIPL before the 2014 opinions
    assert html.index("个人信息保护法") < html.index("教基一〔2014〕1号")


def test_the_policy_file_downloads_with_the_digest_the_page_shows(
    client: Client, county: County
) -> None:
    html = client.get("/policy/").content.decode()
    shown = re.search(r'data-testid="policy-sha256">([0-9a-f]{64})<', html)
    assert shown is not None
    download = client.get("/policy/policy.toml", {"season": county.season.pk})
    assert download.status_code == 200
    assert download["Content-Type"] == "application/toml; charset=utf-8"
    assert "attachment" in download["Content-Disposition"]
    assert download.content == county.season.policy_toml.encode("utf-8")
    assert hashlib.sha256(download.content).hexdigest() == shown.group(1)


def test_a_county_adds_its_own_documents_in_sunshine_home(
    client: Client, county: County, settings: Settings, tmp_path: Path
) -> None:
    settings.HOME = tmp_path
    (tmp_path / "policy-documents.toml").write_text(
        """
[[documents]]
title = "示范县2026年义务教育招生工作实施意见"
title_en = "Model County: 2026 compulsory-education admission rules"
issuer = "示范县教育局"
issuer_en = "Model County Education Bureau"
date = 2026-04-01
scope = "330110"
url = "https://example.org/2026.html"

[[documents]]
title = "别县文件"
title_en = "Another county's notice"
issuer = "别县教育局"
issuer_en = "Another county's bureau"
date = 2026-04-02
scope = "330999"
""",
        encoding="utf-8",
    )
    html = client.get("/policy/").content.decode()
    assert "示范县2026年义务教育招生工作实施意见" in html
    assert 'href="https://example.org/2026.html"' in html
    assert "别县文件" not in html
    # national documents come before the county's own
    assert html.index("义务教育法") < html.index("示范县2026年")


def test_the_schools_page_filters_by_stage_and_kind(client: Client, county: County) -> None:
    html = client.get("/schools/", {"kind": "private"}).content.decode()
    assert re.findall(r'data-school-code="([^"]+)"', html) == [county.private.code]
    assert "共 1 所学校，招生计划合计 40 人" in html
    html = client.get("/schools/", {"stage": "primary", "kind": "public"}).content.decode()
    codes = re.findall(r'data-school-code="([^"]+)"', html)
    assert codes == [county.east.code, county.west.code]
    html = client.get("/schools/", {"kind": "nonsense", "stage": "junior"}).content.decode()
    assert re.findall(r'data-school-code="([^"]+)"', html) == [county.junior.code]


def test_the_hotlines_page_lists_them_or_says_none_yet(client: Client, county: County) -> None:
    assert 'data-testid="hotlines-empty"' in client.get("/hotlines/").content.decode()
    Hotline.objects.create(
        season=county.season, name="县教育局招生办", phone="0571-1", hours="8-17"
    )
    html = client.get("/hotlines/").content.decode()
    assert 'href="tel:0571-1"' in html
    assert html.count('data-testid="hotline"') == 1


def test_pages_follow_the_season_asked_for(client: Client, county: County) -> None:
    other = build_county("330120", "邻县")
    html = client.get("/schools/", {"season": county.season.pk}).content.decode()
    assert county.east.code in html
    assert other.east.code not in html
    assert f'name="season" value="{county.season.pk}"' in html  # kept by the filter form
    assert client.get("/policy/", {"season": 999999}).status_code == 404
    assert client.get("/policy/policy.toml", {"season": 999999}).status_code == 404


@pytest.mark.parametrize("url", ["/policy/", "/schools/", "/hotlines/", "/lookup/"])
def test_without_a_season_the_pages_say_how_to_load_data(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert "尚未导入招生数据" in response.content.decode()


def test_the_home_page_links_every_public_page(client: Client, county: County) -> None:
    html = client.get("/").content.decode()
    for key in ("policy", "schools", "lookup", "hotlines", "publications", "lottery",
                "lottery-number", "checkpoints", "receipt"):  # fmt: skip
        assert f'data-testid="open-{key}"' in html, key
    # the blacklist and seat warnings appear once their apps publish a page
    installed = {link["key"] for link in directory()}
    assert {"policy", "lookup", "receipt"} <= installed
    assert installed <= {e.key for e in ENTRIES}


def test_a_page_found_by_path_joins_the_index(settings: Settings) -> None:
    assert "seat-warnings" not in {link["key"] for link in directory()}
    settings.ROOT_URLCONF = "tests.portal.urls_with_extra_pages"
    clear_url_caches()
    try:
        links = {link["key"]: link["url"] for link in directory(7)}
    finally:
        clear_url_caches()
    assert links["seat-warnings"] == "/seat-warnings/"
    assert links["policy"] == "/policy/?season=7"  # seasonal pages keep the season
    assert links["publications"] == "/publications/"


@pytest.mark.parametrize("url", ["/policy/", "/schools/", "/hotlines/", "/"])
def test_the_pages_read_in_english(client: Client, county: County, url: str) -> None:
    Hotline.objects.create(season=county.season, name="招生办", phone="0571-1")
    _english(client)
    html = client.get(url).content.decode()
    names = [s.name for s in (county.east, county.west, county.private, county.junior)]
    data = (*names, county.season.region_name, "招生办", "简体中文", "房户一致", "片区内居住")
    numbers = tuple(d.number for d in documents_for(county.season.region_code) if d.number)
    text = visible_text(html, without=(*data, *numbers, "户籍在片区", "社保满一年"))
    assert not CJK.findall(text), re.findall(r".{0,20}[\u4e00-\u9fff]+.{0,20}", text)
    if url == "/policy/":
        assert "Compulsory Education Law of the People's Republic of China" in text
