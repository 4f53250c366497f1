"""The ledger pages, driven through Django's test client on the real database."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sunshine.ledgers.models import ChecklistEntry, ProblemClue, Rectification
from sunshine.ledgers.xlsx_services import export_ledger
from tests.ledgers.builders import HOME, OTHER, SAMPLE, People, add, sheet_cells, workbook

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_home_is_the_users_county(people: People) -> None:
    add("clue", people.admin)
    page = _client(people.inspector).get(reverse("ledgers:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "示范县专项行动台账" in text
    assert "义务教育招生入学工作问题线索管理台账" in text
    assert "已填写检查结论 0/26 项" in text


def test_a_supervisor_sees_the_counties_side_by_side(people: People) -> None:
    add("clue", people.admin)
    page = _client(people.supervisor).get(reverse("ledgers:home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "示范县" in text
    assert "邻县" in text
    assert reverse("ledgers:county", args=[OTHER]) in text


@pytest.mark.parametrize("role", ["school_staff", "parent", "other_admin", "far_supervisor"])
def test_outsiders_get_nothing(people: People, role: str) -> None:
    client = _client(getattr(people, role))
    assert client.get(reverse("ledgers:county", args=[HOME])).status_code == 403
    assert client.get(reverse("ledgers:list", args=[HOME, "clues"])).status_code == 403
    assert client.get(reverse("ledgers:export", args=[HOME, "clues"])).status_code == 403
    assert client.get(reverse("ledgers:checklist", args=[HOME])).status_code == 403


def test_signed_out_users_are_sent_to_log_in(db: None) -> None:
    response = Client().get(reverse("ledgers:list", args=[HOME, "clues"]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_add_a_row_through_the_form(people: People) -> None:
    client = _client(people.inspector)
    url = reverse("ledgers:create", args=[HOME, "clues"])
    assert client.get(url).status_code == 200
    response = client.post(url, {**SAMPLE["clue"], "case_code": "TS-1"})
    assert response.status_code == 302
    row = ProblemClue.objects.get(region_code=HOME)
    assert (row.number, row.case_code, row.created_by) == (1, "TS-1", people.inspector)
    listing = client.get(reverse("ledgers:list", args=[HOME, "clues"]))
    assert "反映某小学收取“共建费”" in listing.content.decode()
    assert "已添加第 1 号记录" in listing.content.decode()


def test_form_errors_show_beside_the_field(people: People) -> None:
    client = _client(people.admin)
    response = client.post(reverse("ledgers:create", args=[HOME, "clues"]), {"summary": ""})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert not ProblemClue.objects.exists()
    response = client.post(
        reverse("ledgers:create", args=[HOME, "clues"]), {"summary": "含\x07控制字符"}
    )
    assert response.status_code == 400
    assert "含有无法保存的控制字符" in response.content.decode()


def test_readers_cannot_post(people: People) -> None:
    add("rectification", people.admin)
    client = _client(people.inspector)  # reads the rectification ledger, does not write it
    assert client.get(reverse("ledgers:create", args=[HOME, "rectifications"])).status_code == 403
    page = client.get(reverse("ledgers:edit", args=[HOME, "rectifications", 1]))
    assert page.status_code == 200
    assert '<form method="post" class="card ledger-form"' not in page.content.decode()
    assert (
        client.post(reverse("ledgers:edit", args=[HOME, "rectifications", 1]), {}).status_code
        == 403
    )
    void = client.post(reverse("ledgers:void", args=[HOME, "rectifications", 1]), {"reason": "x"})
    assert void.status_code == 403
    assert Rectification.objects.get().voided_at is None


def test_edit_void_and_follow_up(people: People) -> None:
    add("rectification", people.admin)
    client = _client(people.admin)
    edit = reverse("ledgers:edit", args=[HOME, "rectifications", 1])
    values = {**SAMPLE["rectification"], "owner": "李四", "deadline": "2024-08-15"}
    assert client.post(edit, values).status_code == 302
    assert Rectification.objects.get().owner == "李四"
    done = client.post(
        reverse("ledgers:rectification_complete", args=[HOME, 1]), {"completed_on": "2024-08-10"}
    )
    assert done.status_code == 302
    supervisor = _client(people.supervisor)
    page = supervisor.get(edit).content.decode()
    assert "回头看" in page
    response = supervisor.post(
        reverse("ledgers:rectification_follow_up", args=[HOME, 1]),
        {"outcome": "reopen", "note": "仍未公布", "reviewed_on": "2024-08-20"},
    )
    assert response.status_code == 302
    row = Rectification.objects.get()
    assert (row.status, row.review_note) == ("reopened", "2024-08-20 回头看重开：仍未公布")
    assert (
        client.post(
            reverse("ledgers:void", args=[HOME, "rectifications", 1]), {"reason": ""}
        ).status_code
        == 302
    )
    assert Rectification.objects.get().voided_at is None  # no reason, no void
    assert (
        client.post(
            reverse("ledgers:void", args=[HOME, "rectifications", 1]), {"reason": "重复"}
        ).status_code
        == 302
    )
    assert Rectification.objects.get().void_reason == "重复"


def test_export_downloads_the_form(people: People) -> None:
    add("violation", people.admin)
    response = _client(people.supervisor).get(reverse("ledgers:export", args=[HOME, "violations"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    cells = sheet_cells(response.content)
    assert cells[2] == ["序号", "违规主体", "违规行为", "查处和追责情况"]


def test_import_page_lists_every_problem(people: People) -> None:
    add("clue", people.admin)
    cells = sheet_cells(export_ledger("clue", HOME, actor=people.admin).data)
    bad = workbook(
        [*cells, ["x", "来电", None, None, None, None], [None, "来信", "好的", None, None, None]]
    )
    client = _client(people.admin)
    url = reverse("ledgers:import", args=[HOME, "clues"])
    response = client.post(url, {"file": SimpleUploadedFile("clues.xlsx", bad)})
    assert response.status_code == 422
    text = response.content.decode()
    assert "文件中有 2 处错误，未导入任何数据" in text
    assert "应为正整数序号" in text
    assert "不能为空" in text
    assert ProblemClue.objects.count() == 1
    good = workbook([*cells, [None, "来信", "新线索", None, None, None]])
    response = client.post(url, {"file": SimpleUploadedFile("clues.xlsx", good)})
    assert response.status_code == 302
    assert ProblemClue.objects.count() == 2


def test_fill_the_checklist_with_evidence(people: People) -> None:
    client = _client(people.reviewer)
    page = client.get(reverse("ledgers:checklist", args=[HOME]))
    text = page.content.decode()
    assert text.count('class="card checklist-item"') == 26
    assert "保障特殊群体入学" in text
    response = client.post(
        reverse("ledgers:checklist_item", args=[HOME, 13]),
        {
            "item13-measures": "开通热线 0908-7625100",
            "item13-conclusion": "已落实",
            "item13-file": SimpleUploadedFile("热线公告.pdf", b"%PDF-1.4 hotline"),
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#item-13")
    entry = ChecklistEntry.objects.get()
    assert (entry.item_no, entry.conclusion, entry.evidence.count()) == (13, "已落实", 1)
    evidence = entry.evidence.get()
    page = client.get(reverse("ledgers:checklist", args=[HOME])).content.decode()
    assert evidence.sha256 in page
    download = client.get(reverse("ledgers:evidence", args=[HOME, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 hotline"  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/octet-stream"
    assert (
        _client(people.other_admin)
        .get(reverse("ledgers:evidence", args=[HOME, evidence.pk]))
        .status_code
        == 403
    )


def test_checklist_errors_stay_on_the_item(people: People) -> None:
    client = _client(people.admin)
    response = client.post(
        reverse("ledgers:checklist_item", args=[HOME, 2]),
        {
            "item2-measures": "x",
            "item2-conclusion": "y",
            "item2-file": SimpleUploadedFile("a.exe", b"MZ"),
        },
    )
    assert response.status_code == 400
    assert "不支持该文件类型" in response.content.decode()
    assert not ChecklistEntry.objects.exists()
    response = _client(people.inspector).post(
        reverse("ledgers:checklist_item", args=[HOME, 2]), {"item2-measures": "x"}
    )
    assert response.status_code == 403


def test_checklist_export_and_import_pages(people: People) -> None:
    client = _client(people.admin)
    export = client.get(reverse("ledgers:checklist_export", args=[HOME]))
    assert export.status_code == 200
    cells = sheet_cells(export.content)
    cells[3][4] = "已落实"
    response = client.post(
        reverse("ledgers:checklist_import", args=[HOME]),
        {"file": SimpleUploadedFile("c.xlsx", workbook(cells))},
    )
    assert response.status_code == 302
    assert ChecklistEntry.objects.get().conclusion == "已落实"


def test_english_pages_translate_the_checklist(people: People) -> None:
    client = _client(people.admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("ledgers:checklist", args=[HOME])).content.decode()
    assert "Guarantee admission for special groups" in page
