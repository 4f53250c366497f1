"""Journey 3: a public visitor finds the schools serving an address and verifies a lottery
number, with no account."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from sunshine.admissions.models import Address, Application
from tests.e2e.conftest import Shots
from tests.e2e.world import build_world, hold_lottery_and_run

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_finds_schools_and_verifies_a_number(
    live_server: LiveServer, phone: Page, shots: Shots, tmp_path: Path
) -> None:
    world = build_world(tmp_path)
    hold_lottery_and_run(world.season)
    application = Application.objects.filter(season=world.season, stage="primary").first()
    assert application is not None
    address = Address.objects.get(pk=application.claimed_address_id)

    phone.goto(live_server.url)
    shots("home")
    phone.goto(f"{live_server.url}/lookup/")
    form = phone.get_by_test_id("lookup-form")
    form.locator("input[name=q]").fill(address.text)
    phone.get_by_test_id("lookup-submit").click()
    shots("address-matches")
    match = phone.locator(f"[data-testid=lookup-match][data-address-code='{address.code}']")
    if match.count():  # several addresses share the words typed: pick ours
        match.click()
    result = phone.get_by_test_id("stage-result-primary")
    expect(result).to_be_visible()
    schools = result.get_by_test_id("candidate-school")
    expect(schools.first).to_be_visible()
    listed = {schools.nth(i).get_attribute("data-school-code") for i in range(schools.count())}
    first_choice = application.preferences.order_by("rank").first()
    assert first_choice is not None
    assert first_choice.school.code in listed
    shots("schools-for-address")

    phone.goto(f"{live_server.url}/lottery/number/")
    phone.locator("input[name=public_id]").fill(application.code)
    phone.get_by_role("button", name="查询").click()
    number_hex = phone.get_by_test_id("number-hex").inner_text().strip()
    message_hex = phone.get_by_test_id("hash-input").inner_text().strip()
    digest_shown = phone.get_by_test_id("digest").inner_text().strip()
    shots("lottery-number")
    # The visitor's own check: SHA-256 of the shown input, first 8 bytes, is the number.
    digest = hashlib.sha256(bytes.fromhex(message_hex)).hexdigest()
    assert digest == digest_shown
    assert digest[:16] == number_hex.lower()
