"""The blacklist on the web: staff pages drive each step; the public page shows only what is
published, with principals' names masked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sunshine.campaigns import blacklist
from sunshine.campaigns.models import BlacklistEntry
from tests.campaigns.conftest import People
from tests.portal.html_text import visible_text

pytestmark = pytest.mark.django_db
STAFF = "/staff/campaigns/blacklist/"
Status = BlacklistEntry.Status


def signed_in(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


PROPOSAL = {
    "subject": "principal",
    "school_name": "城东小学",
    "school_code": "330110-P1",
    "principal_name": "欧阳明辉",
    "violation": "组织入学考试选拔学生。",
    "legal_basis": "《义务教育法》第十二条",
    "objection_days": "7",
    "repair_days": "365",
}


def proposed_long_ago(people: People) -> BlacklistEntry:
    """An entry whose objection window closed yesterday (the pages act at the real time)."""
    notice = timezone.now() - dt.timedelta(days=8)
    return blacklist.propose_entry(
        actor=people.admin,
        subject="principal",
        school_name="城东小学",
        principal_name="欧阳明辉",
        violation="欧阳明辉组织入学考试。",
        legal_basis="《义务教育法》第十二条",
        now=notice,
    )


def test_an_administrator_proposes_through_the_form(client: Client, people: People) -> None:
    client = signed_in(client, people.admin)
    assert client.get(STAFF + "new/").status_code == 200
    response = client.post(STAFF + "new/", PROPOSAL)
    entry = BlacklistEntry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{STAFF}{entry.pk}/"
    assert entry.status == Status.NOTIFIED
    assert entry.region_code == people.admin.region_code
    bad = client.post(STAFF + "new/", {**PROPOSAL, "principal_name": ""})
    assert bad.status_code == 422
    assert "列入校长时须填写校长姓名" in bad.content.decode()
    assert BlacklistEntry.objects.count() == 1


def test_an_inspector_reads_but_gets_no_forms_and_cannot_post(
    client: Client, people: People
) -> None:
    entry = proposed_long_ago(people)
    client = signed_in(client, people.inspector)
    assert "欧阳明辉" in client.get(STAFF).content.decode()
    html = client.get(f"{STAFF}{entry.pk}/").content.decode()
    assert "blacklist.notified" in html  # the audit trail is shown
    assert '<form method="post"' not in html.split("</header>")[1]
    response = client.post(f"{STAFF}{entry.pk}/request_publication/")
    assert response.status_code == 403
    assert client.get(STAFF + "new/").status_code == 403
    assert client.post(STAFF + "new/", PROPOSAL).status_code == 403


def test_another_county_does_not_see_the_entry(client: Client, people: People) -> None:
    entry = proposed_long_ago(people)
    client = signed_in(client, people.neighbour_admin)
    assert client.get(f"{STAFF}{entry.pk}/").status_code == 404
    assert "欧阳明辉" not in client.get(STAFF).content.decode()
    assert signed_in(client, people.parent).get(STAFF).status_code == 403


def test_steps_on_the_page_up_to_publication_and_the_public_page(
    client: Client, people: People
) -> None:
    entry = proposed_long_ago(people)
    public = visible_text(client.get("/blacklist/").content.decode())
    assert "城东小学" not in public  # not published yet
    admin = signed_in(Client(), people.admin)
    page = admin.get(f"{STAFF}{entry.pk}/").content.decode()
    assert f"{STAFF}{entry.pk}/request_publication/" in page
    assert admin.post(f"{STAFF}{entry.pk}/request_publication/").status_code == 302
    # The same administrator may not approve: the page shows the refusal.
    same = admin.post(f"{STAFF}{entry.pk}/publication_decision/", {"decision": "yes"})
    assert same.status_code == 403
    second = signed_in(Client(), people.admin2)
    response = second.post(f"{STAFF}{entry.pk}/publication_decision/", {"decision": "yes"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    public = visible_text(client.get("/blacklist/").content.decode())
    assert "城东小学" in public
    assert "欧**辉" in public
    assert "欧阳明辉" not in public


def test_a_refusal_without_reason_is_shown_beside_the_field(client: Client, people: People) -> None:
    entry = proposed_long_ago(people)
    blacklist.request_publication(entry, actor=people.admin, now=timezone.now())
    response = signed_in(client, people.admin2).post(
        f"{STAFF}{entry.pk}/publication_decision/", {"decision": "no", "reason": ""}
    )
    assert response.status_code == 422
    assert "此项不能为空" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == Status.PENDING


def test_an_objection_out_of_time_is_refused_on_the_page(client: Client, people: People) -> None:
    entry = proposed_long_ago(people)
    response = signed_in(client, people.admin).post(
        f"{STAFF}{entry.pk}/objection/", {"text": "迟交的异议"}
    )
    assert response.status_code == 422
    assert "异议期已于" in response.content.decode()
    assert signed_in(client, people.admin).post(f"{STAFF}{entry.pk}/nonsense/").status_code == 404


def test_the_public_page_narrows_by_region(client: Client, people: People) -> None:
    entry = proposed_long_ago(people)
    blacklist.request_publication(entry, actor=people.admin, now=timezone.now())
    blacklist.decide_publication(entry, actor=people.admin2, approve=True, now=timezone.now())
    assert "城东小学" in client.get("/blacklist/", {"region": "3301"}).content.decode()
    assert "城东小学" not in client.get("/blacklist/", {"region": "3302"}).content.decode()
    assert "城东小学" in client.get("/blacklist/", {"region": "bad"}).content.decode()


def test_the_page_offers_only_the_steps_the_clock_allows(client: Client, people: People) -> None:
    fresh = blacklist.propose_entry(
        actor=people.admin,
        subject="school",
        school_name="城西小学",
        violation="超计划招生",
        legal_basis="十项严禁",
        now=timezone.now(),
    )
    html = signed_in(client, people.admin).get(f"{STAFF}{fresh.pk}/").content.decode()
    assert f"{fresh.pk}/objection/" in html  # the window is open
    assert f"{fresh.pk}/request_publication/" not in html
    assert f"{fresh.pk}/withdraw/" in html
    old = proposed_long_ago(people)
    html = client.get(f"{STAFF}{old.pk}/").content.decode()
    assert f"{old.pk}/objection/" not in html
    assert f"{old.pk}/request_publication/" in html
    blacklist.request_publication(old, actor=people.admin, now=timezone.now())
    blacklist.decide_publication(old, actor=people.admin2, approve=True, now=timezone.now())
    html = client.get(f"{STAFF}{old.pk}/").content.decode()
    assert f"{old.pk}/exit_review/" not in html  # the repair period has just begun
    assert f"{old.pk}/withdraw/" not in html
    assert "批准公示" in visible_text(html)  # the audit trail, in words
