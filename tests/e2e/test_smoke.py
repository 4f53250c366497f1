"""The browser can reach the live site, in Chinese by default and in English on request."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import Shots
from tests.e2e.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_in_chinese_then_english(
    live_server: LiveServer, desktop: Page, shots: Shots, tmp_path: Path
) -> None:
    world = build_world(tmp_path, children=120)
    desktop.goto(live_server.url)
    expect(desktop.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(desktop.get_by_text(world.season.region_name).first).to_be_visible()
    shots("home-zh")
    desktop.get_by_role("button", name="English").click()
    expect(desktop.locator("html")).to_have_attribute("lang", "en")
    shots("home-en")
