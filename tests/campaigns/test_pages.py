"""The campaign pages: list, creation, timeline and task table, their forms and their refusals,
and the summary report as a page and as an .xlsx built from the ledgers."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from sunshine.campaigns import services
from sunshine.campaigns.models import Campaign, Task
from sunshine.ledgers import services as ledger_services
from sunshine.ledgers.checklist_services import fill_checklist_item
from tests.campaigns.conftest import COUNTY, NOW, People, county_campaign
from tests.portal.factories import make_season
from tests.portal.html_text import visible_text

pytestmark = pytest.mark.django_db
HOME = "/staff/campaigns/"


def signed_in(client: Client, user: object) -> Client:
    client.force_login(user)  # type: ignore[arg-type]
    return client


def with_tasks(people: People) -> Campaign:
    campaign = county_campaign(people)
    phase = campaign.phases.get(name="自查自纠")
    services.add_task(
        campaign,
        actor=people.admin,
        title="建立问题台账",
        responsible_unit="各中小学",
        deadline=dt.date(2026, 8, 10),
        phase=phase,
        now=NOW,
    )
    services.add_task(
        campaign,
        actor=people.admin,
        title="专项督查",
        responsible_unit="纪检监察组",
        deadline=dt.date(2026, 8, 31),
        now=NOW,
    )
    return campaign


def test_anonymous_visitors_go_to_login_and_families_are_refused(
    client: Client, people: People
) -> None:
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert signed_in(client, people.parent).get(HOME).status_code == 403
    assert signed_in(client, people.school_staff).get(HOME).status_code == 403


def test_the_list_shows_the_campaigns_in_scope(client: Client, people: People) -> None:
    county_campaign(people)
    text = visible_text(signed_in(client, people.inspector).get(HOME).content.decode())
    assert "违规办理中小学生入学行为专项治理" in text
    assert "新建专项行动" not in text  # inspectors read
    text = visible_text(signed_in(client, people.neighbour_admin).get(HOME).content.decode())
    assert "违规办理中小学生入学行为专项治理" not in text


def test_an_administrator_creates_a_campaign_through_the_form(
    client: Client, people: People
) -> None:
    client = signed_in(client, people.admin)
    assert client.get(HOME + "new/").status_code == 200
    form = {
        "name": "阳光招生专项行动",
        "level": "county",
        "region_code": COUNTY,
        "starts_on": "2026-05-28",
        "ends_on": "2026-10-20",
    }
    response = client.post(HOME + "new/", form)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{HOME}{campaign.pk}/"
    bad = client.post(HOME + "new/", {**form, "region_code": "3301"})
    assert bad.status_code == 422
    assert "该层级的行政区划代码应为 6 位数字" in bad.content.decode()
    assert Campaign.objects.count() == 1


def test_a_reviewer_cannot_create_even_by_posting(client: Client, people: People) -> None:
    assert signed_in(client, people.reviewer).get(HOME + "new/").status_code == 403
    response = client.post(
        HOME + "new/",
        {
            "name": "x",
            "level": "county",
            "region_code": COUNTY,
            "starts_on": "2026-05-28",
            "ends_on": "2026-10-20",
        },
    )
    assert response.status_code == 403
    assert not Campaign.objects.exists()


def test_the_detail_page_has_the_timeline_and_the_task_table(
    client: Client, people: People
) -> None:
    campaign = with_tasks(people)
    response = signed_in(client, people.inspector).get(f"{HOME}{campaign.pk}/")
    html = response.content.decode()
    assert html.index("自查自纠") < html.index("督查整改") < html.index("建章立制")
    assert "建立问题台账" in html
    assert "专项督查" in html
    assert 'action="/staff/campaigns/tasks/' not in html  # no status form for an inspector
    assert "添加任务" not in visible_text(html)
    admin_html = signed_in(client, people.admin).get(f"{HOME}{campaign.pk}/").content.decode()
    assert admin_html.count('action="/staff/campaigns/tasks/') == 2
    assert "添加任务" in visible_text(admin_html)


def test_forms_on_the_detail_page_add_phases_and_tasks_and_show_errors(
    client: Client, people: People
) -> None:
    campaign = county_campaign(people)
    client = signed_in(client, people.admin)
    url = f"{HOME}{campaign.pk}/"
    overlap = client.post(
        url + "phases/", {"name": "回头看", "starts_on": "2026-08-30", "ends_on": "2026-09-02"}
    )
    assert overlap.status_code == 422
    assert "时间重叠" in overlap.content.decode()
    response = client.post(
        url + "tasks/",
        {"title": "上报总结材料", "responsible_unit": "教育局", "deadline": "2026-09-30"},
    )
    assert response.status_code == 302
    assert response["Location"] == url + "#tasks"
    outside = client.post(
        url + "tasks/", {"title": "x", "responsible_unit": "y", "deadline": "2027-01-01"}
    )
    assert outside.status_code == 422
    assert "完成时限须在专项行动期间" in outside.content.decode()
    task = Task.objects.get()
    done = client.post(f"{HOME}tasks/{task.pk}/status/", {"status": "done", "note": "已上报"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.note) == ("done", "已上报")
    refused = signed_in(client, people.inspector).post(
        f"{HOME}tasks/{task.pk}/status/", {"status": "open"}
    )
    assert refused.status_code == 403


def test_another_county_cannot_open_the_campaign(client: Client, people: People) -> None:
    campaign = county_campaign(people)
    assert signed_in(client, people.neighbour_admin).get(f"{HOME}{campaign.pk}/").status_code == 404


def test_the_alert_button_records_overdue_tasks_once(client: Client, people: People) -> None:
    today = timezone.localdate()  # the page alerts as of the real clock
    campaign = county_campaign(
        people,
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=30),
        phases=False,
    )
    for deadline in (today - dt.timedelta(days=1), today + dt.timedelta(days=1)):
        services.add_task(
            campaign,
            actor=people.admin,
            title="x",
            responsible_unit="y",
            deadline=deadline,
            now=NOW,
        )
    client = signed_in(client, people.admin)
    first = visible_text(client.post(HOME + "alerts/", follow=True).content.decode())
    assert "新记录逾期提醒 1 条" in first
    again = visible_text(client.post(HOME + "alerts/", follow=True).content.decode())
    assert "新记录逾期提醒 0 条" in again
    assert signed_in(client, people.inspector).post(HOME + "alerts/").status_code == 403


def test_the_summary_page_and_workbook_hold_tasks_cases_and_ledgers(
    client: Client, people: People
) -> None:
    make_season(COUNTY, "示范县")
    campaign = with_tasks(people)
    ledger_services.create_row(
        "clue",
        COUNTY,
        actor=people.admin,
        values={
            "source": "12345转办",
            "summary": "反映收取共建费",
            "handling": "转纪检",
            "result": "",
            "remarks": "",
        },
    )
    fill_checklist_item(COUNTY, 1, actor=people.admin, measures="已公布热线", conclusion="无问题")
    client = signed_in(client, people.admin)
    page = client.get(f"{HOME}{campaign.pk}/summary/")
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "示范县" in text
    assert "问题线索" in text
    assert "1/26" in text
    response = client.get(f"{HOME}{campaign.pk}/summary.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "阶段", "任务", "各县情况"]
    tasks = [[c.value for c in row] for row in book["任务"].iter_rows()]
    assert tasks[0][:4] == ["序号", "完成时限", "主要工作", "责任单位"]
    assert tasks[1][:4] == [1, dt.datetime(2026, 8, 10), "建立问题台账", "各中小学"]
    counties = [[c.value for c in row] for row in book["各县情况"].iter_rows()]
    header, row = counties[0], counties[1]
    assert row[:2] == [COUNTY, "示范县"]
    assert row[header.index("问题线索")] == 1
    assert row[header.index("对照检查表")] == "1/26"
    phases = [[c.value for c in r] for r in book["阶段"].iter_rows(min_row=2)]
    assert [p[0] for p in phases] == ["自查自纠", "督查整改", "建章立制"]
