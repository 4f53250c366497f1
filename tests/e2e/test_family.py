"""Journey 1: a family signs up with a phone, registers its child, submits (twice, by a
double tap, making one application), sees its outcome with the explanation, accepts the
offer and downloads its receipt — on a phone-sized screen."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from sunshine.accounts import sms
from sunshine.admissions.models import Admission, Application
from sunshine.audit.checkpoints import publish_checkpoint
from tests.e2e.conftest import Shots
from tests.e2e.world import build_world, hold_lottery_and_run

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_NUMBER = "13800138000"
PASSWORD = "Sunshine-family-2026"


def test_family_registers_submits_and_accepts(
    live_server: LiveServer,
    phone: Page,
    shots: Shots,
    tmp_path: Path,
    settings: Settings,
) -> None:
    settings.SUNSHINE_SMS_BACKEND = "sunshine.accounts.sms.OutboxBackend"
    sms.outbox.clear()
    world = build_world(tmp_path)
    child = world.walk_in
    base = live_server.url
    page = phone

    # Sign up with a phone number and the code sent to it.
    page.goto(f"{base}/accounts/signup/")
    page.get_by_test_id("signup-phone").fill(PHONE_NUMBER)
    page.get_by_test_id("send-code").click()
    expect(page.get_by_test_id("code-sent")).to_be_visible()
    code = re.search(r"\d{6}", sms.outbox[-1].text)
    assert code is not None
    assert sms.outbox[-1].phone == PHONE_NUMBER
    page.get_by_test_id("signup-code").fill(code.group())
    page.get_by_test_id("signup-password").fill(PASSWORD)
    page.get_by_test_id("signup-password2").fill(PASSWORD)
    shots("sign-up")
    page.get_by_test_id("sign-up").click()
    expect(page.get_by_test_id("register-child")).to_be_visible()
    shots("family-home")

    # Register the child: the ID is checked as it is typed.
    page.get_by_test_id("register-child").click()
    page.get_by_test_id("child-name").fill(child.child_name)
    mistyped = child.child_id[:-1] + ("0" if child.child_id[-1] != "0" else "1")
    page.get_by_test_id("child-id").fill(mistyped)
    expect(page.get_by_test_id("idcheck-child")).not_to_be_empty()
    shots("id-checked-as-typed")
    page.get_by_test_id("child-id").fill(child.child_id)
    page.locator("input[name=stage][value=primary]").check()
    page.get_by_test_id("own-id").fill(child.guardian_ids[0])
    if len(child.guardian_ids) > 1:
        page.get_by_test_id("other-id").fill(child.guardian_ids[1])
    page.get_by_test_id("address-query").fill(child.address_text)
    page.get_by_test_id("search-address").click()
    results = page.get_by_test_id("address-results")
    results.get_by_label(child.address_text).check()
    page.get_by_test_id("certificate-no").fill(child.certificate_no)
    shots("child")
    page.get_by_test_id("save-child").click()

    # What the registries say; the family confirms.
    expect(page.get_by_test_id("findings-form")).to_be_visible()
    expect(page.get_by_test_id("finding-hukou")).to_have_attribute("data-result", "pass")
    shots("findings")
    page.get_by_test_id("save-findings").click()

    # Candidate schools follow from the zone; rank them.
    expect(page.get_by_test_id("zone-map")).to_be_visible()
    for school in child.preferences:
        page.get_by_test_id(f"add-{school}").click()
    expect(page.get_by_test_id("gongmin-tongzhao")).to_be_visible()
    shots("schools")
    page.get_by_test_id("choices-next").click()

    # Submit: the page says the time of submission changes nothing; a double tap is one.
    expect(page.get_by_test_id("time-statement")).to_be_visible()
    shots("submit")
    page.get_by_test_id("submit-application").dblclick()
    expect(page.get_by_test_id("application-code")).to_be_visible()
    application_code = page.get_by_test_id("application-code").inner_text().strip()
    assert Application.objects.filter(child_id_number=child.child_id).count() == 1
    shots("submitted")

    # The bureau holds the lottery and runs the season; the family sees why it got its place.
    hold_lottery_and_run(world.season)
    publish_checkpoint(actor="test:e2e")
    page.reload()
    expect(page.get_by_test_id("outcome")).to_be_visible()
    expect(page.get_by_test_id("outcome-explanation")).not_to_be_empty()
    expect(page.get_by_test_id("cutoffs")).to_be_visible()
    expect(page.get_by_test_id("lottery-number")).not_to_be_empty()
    expect(page.get_by_test_id("timeline")).to_be_visible()
    shots("outcome")

    page.get_by_test_id("accept-offer").click()
    expect(page.get_by_test_id("offer")).to_have_attribute("data-accepted", "yes")
    admission = Admission.objects.get(application__code=application_code)
    assert admission.accepted is True
    shots("accepted")

    with page.expect_download() as download:
        page.get_by_test_id("download-receipt").click()
    receipt = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    # The receipt proves the application's own event is in the signed log.
    assert application_code in receipt["event"]
    assert receipt["checkpoint"]["tree_size"] > receipt["seq"]
