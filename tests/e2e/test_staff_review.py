"""Journey 2: a two-level review (school officer, then a county reviewer) and an override
that takes effect only with a second person's approval — the requester's own approval is
refused (专人负责、分级审核、相互检查)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from sunshine.review.models import Override
from tests.e2e.conftest import Shots, sign_in
from tests.e2e.world import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_level_review_and_a_second_approver(
    live_server: LiveServer, desktop: Page, shots: Shots, tmp_path: Path
) -> None:
    build_world(tmp_path)
    base = live_server.url
    page = desktop

    # Level 1: the school's admissions officer passes the oldest application in the queue.
    sign_in(page, base, "demo-school", PASSWORD)
    page.goto(f"{base}/staff/review/")
    expect(page.get_by_test_id("review-queue")).to_be_visible()
    row = page.get_by_test_id("queue-row").first
    code = row.get_attribute("data-code")
    assert code
    shots("level1-queue")
    link = row.get_by_test_id("queue-row-link")
    detail = f"{base}{link.get_attribute('href')}"
    link.click()
    form = page.get_by_test_id("decision-form")
    form.locator("input[name=decision][value=pass]").check()
    form.get_by_test_id("decision-submit").click()
    page.goto(detail)  # a decision returns the officer to the queue; look at the case again
    expect(page.get_by_test_id("review-state")).to_have_attribute("data-state", "pending_second")
    shots("level1-passed")

    # Level 2: a county reviewer finds it in the second-level queue and passes it too.
    sign_in(page, base, "demo-reviewer", PASSWORD)
    page.goto(f"{base}/staff/review/")
    page.locator(
        f"[data-testid=queue-row][data-code='{code}'] [data-testid=queue-row-link]"
    ).click()
    form = page.get_by_test_id("decision-form")
    form.locator("input[name=decision][value=pass]").check()
    form.get_by_test_id("decision-submit").click()
    page.goto(detail)
    expect(page.get_by_test_id("review-state")).to_have_attribute("data-state", "passed")
    shots("level2-passed")

    # The reviewer asks to waive a check (an exception) with a reason...
    override_form = page.get_by_test_id("override-form")
    override_form.locator("select[name=kind]").select_option("exception")
    override_form.locator("select[name=check]").select_option(label="居住证")
    override_form.locator("[name=reason]").fill("居住证补办中，经派出所核实在本片区居住")
    override_form.get_by_test_id("override-submit").click()
    shots("override-requested")
    override = Override.objects.get(application__code=code)
    assert override.state == "requested"

    # ...and cannot approve it alone.
    page.goto(f"{base}/staff/review/overrides/?state=requested")
    mine = page.locator(f"[data-testid=override-row][data-override-id='{override.pk}']")
    mine.get_by_test_id("override-approve").click()
    expect(page.get_by_test_id("override-error")).to_be_visible()
    shots("self-approval-refused")
    override.refresh_from_db()
    assert override.state == "requested"
    assert override.decided_by_id is None

    # A second person, the bureau admin, approves it.
    sign_in(page, base, "demo-admin", PASSWORD)
    page.goto(f"{base}/staff/review/overrides/?state=requested")
    row = page.locator(f"[data-testid=override-row][data-override-id='{override.pk}']")
    row.get_by_test_id("override-approve").click()
    override.refresh_from_db()
    assert override.state == "approved"
    assert override.decided_by is not None
    assert override.decided_by.username == "demo-admin"
    shots("approved-by-second-person")
