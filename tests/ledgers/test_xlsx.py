"""The .xlsx forms: the official shape on export, and an import that reports every problem
with its Excel row and column and writes nothing unless the whole file is good."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from sunshine.audit.models import AuditEvent
from sunshine.errors import Invalid, NotAllowed
from sunshine.ledgers import services
from sunshine.ledgers.checklist_services import fill_checklist_item
from sunshine.ledgers.models import ChecklistEntry, ProblemClue, Rectification
from sunshine.ledgers.specs import SPECS
from sunshine.ledgers.xlsx_services import (
    ImportRejected,
    export_checklist,
    export_ledger,
    import_checklist,
    import_ledger,
)
from tests.ledgers.builders import HOME, OTHER, People, add, add_problem, sheet_cells, workbook

pytestmark = pytest.mark.django_db
DAY = dt.date(2024, 7, 25)

# The forms' own headers (seed 002: 附件1, 附件2, 附件3), written out here on purpose.
OFFICIAL = {
    "clue": (
        "义务教育招生入学工作问题线索管理台账",
        [
            "序号",
            "问题线索来源（含群众来信来电、上访、平台举报等）",
            "问题线索摘要",
            "办理情况",
            "处理结果",
            "备注",
        ],
    ),
    "violation": (
        "义务教育阳光招生专项行动违规招生行为查处登记表",
        ["序号", "违规主体", "违规行为", "查处和追责情况"],
    ),
}
CHECKLIST_HEADERS = [
    "序号",
    "重点任务",
    "重点任务排查项目",
    "落实举措（简要填写印发文件或政策执行情况）",
    "检查结论",
]


@pytest.mark.parametrize("kind", sorted(OFFICIAL))
def test_official_forms_keep_their_title_and_headers(people: People, kind: str) -> None:
    add(kind, people.admin)
    cells = sheet_cells(export_ledger(kind, HOME, actor=people.admin, today=DAY).data)
    title, headers = OFFICIAL[kind]
    assert cells[0][0] == title
    assert cells[1][0] == (
        "县（市）教育局（签章）：示范县教育局　　填报人：李明　　联系电话：13800000001"
        "　　填报时间：2024年7月25日"
    )
    assert cells[2] == headers
    assert cells[3][0] == 1
    assert len(cells) == 4


def test_the_checklist_exports_all_26_items_in_the_form(people: People) -> None:
    fill_checklist_item(
        HOME, 2, actor=people.admin, measures="建立新建小区对口机制", conclusion="已落实"
    )
    export = export_checklist(HOME, actor=people.reviewer, today=DAY)
    assert export.filename == f"对照检查表-2024-{HOME}-20240725.xlsx"
    cells = sheet_cells(export.data)
    assert cells[0][0] == "义务教育阳光招生专项行动对照检查表"
    assert cells[1][0].startswith("县（市）教育局（签章）：示范县教育局　　填报人：reviewer")
    assert cells[2] == CHECKLIST_HEADERS
    rows = cells[3:]
    assert [r[0] for r in rows] == list(range(1, 27))
    assert [r[1] for r in rows if r[1]] == [
        "优化招生入学政策措施",
        "严格规范招生行为",
        "强化招生信息公开",
        "优化招生入学流程",
        "保障特殊群体入学",
    ]
    assert rows[1][2:] == [
        "新建学校招生范围和新建小区对口学校划分工作机制是否完善",
        "建立新建小区对口机制",
        "已落实",
    ]
    assert rows[0][3:] == [None, None]


def test_export_is_logged_with_its_digest_and_left_to_readers(people: People) -> None:
    add("clue", people.admin)
    services.void_row("clue", HOME, 1, actor=people.admin, reason="重复")
    add("clue", people.admin)
    export = export_ledger("clue", HOME, actor=people.supervisor, today=DAY)
    assert [r[0] for r in sheet_cells(export.data)[3:]] == [2]  # the voided row is left out
    event = AuditEvent.objects.get(action="ledgers.clue.exported")
    assert json.loads(event.canonical)["detail"] == {
        "region_code": HOME,
        "rows": 1,
        "sha256": export.sha256,
    }
    for actor in (people.school_staff, people.other_admin, people.far_supervisor):
        with pytest.raises(NotAllowed):
            export_ledger("clue", HOME, actor=actor)


def _clue_file(rows: list[list[Any]], **overrides: Any) -> bytes:
    title, headers = OFFICIAL["clue"]
    return workbook(
        [
            [overrides.get("title", title)],
            ["县（市）教育局（签章）："],
            overrides.get("headers", headers),
            *rows,
        ]
    )


def test_every_problem_is_reported_at_once_and_nothing_is_written(people: People) -> None:
    add("clue", people.admin)  # number 1
    services.void_row("clue", HOME, 1, actor=people.admin, reason="重复")
    data = _clue_file(
        [
            [None, "来电", "反映收费", None, None, None],  # row 4: fine
            ["abc", "来电", None, None, None, None],  # row 5: bad number, blank summary
            [1, "来信", "已作废的序号", None, None, None],  # row 6: voided number
            [8, "来信", "x" * 2001, None, None, None],  # row 7: too long
            [8, "来信", "重复序号", None, None, None],  # row 8: repeated number
            [None, None, None, None, None, None],  # row 9: blank, skipped
            [3.5, "来访", 12345, None, None, None],  # row 10: a fraction for a number
        ]
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ImportRejected) as caught:
        import_ledger("clue", HOME, data, actor=people.inspector)
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [(5, "A"), (5, "C"), (6, "A"), (7, "C"), (8, "A"), (10, "A")]
    messages = [p.message for p in caught.value.problems]
    assert messages[1] == "不能为空"
    assert "已作废" in messages[2]
    assert "第 7 行" in messages[4]
    assert str(caught.value.problems[1]) == "第 5 行，C 列（问题线索摘要）：不能为空"
    assert caught.value.http_status == 422
    assert ProblemClue.objects.count() == 1
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a workbook", "无法读取"),
        (workbook([["随便一个表"], ["序号", "名称"]]), "找不到表头行"),
        (None, "标题应为"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused(
    people: People, data: bytes | None, message: str
) -> None:
    if data is None:
        data = _clue_file([[None, "来电", "摘要", None, None, None]], title="别的表")
    with pytest.raises(ImportRejected) as caught:
        import_ledger("clue", HOME, data, actor=people.admin)
    assert message in caught.value.problems[0].message
    assert not ProblemClue.objects.exists()


def test_another_ledgers_file_is_refused(people: People) -> None:
    add("violation", people.admin)
    data = export_ledger("violation", HOME, actor=people.admin).data
    with pytest.raises(ImportRejected):
        import_ledger("clue", HOME, data, actor=people.admin)


def test_import_updates_known_numbers_and_numbers_new_rows(people: People) -> None:
    add("clue", people.admin)
    add("clue", people.admin)
    data = _clue_file(
        [
            [2, "来电", "二号已核实", "已核查", "属实", None],
            [None, "平台举报", "新线索甲", None, None, None],
            [7, "上访", "新线索乙", None, None, None],
            [None, "来信", "新线索丙", None, None, None],
            [
                1,
                "群众来电（12345转办）",
                "反映某小学收取“共建费”",
                "已转纪检监察组核查",
                None,
                None,
            ],
        ]
    )
    result = import_ledger("clue", HOME, data, actor=people.inspector)
    # Blank numbers continue after the highest number in the ledger or the file.
    assert (result.created, result.updated, result.unchanged) == ([7, 8, 9], [2], 1)
    rows = dict(ProblemClue.objects.values_list("number", "summary"))
    assert rows == {
        1: "反映某小学收取“共建费”",
        2: "二号已核实",
        7: "新线索乙",
        8: "新线索甲",
        9: "新线索丙",
    }
    assert (
        services.create_row("clue", HOME, actor=people.admin, values={"summary": "网页新增"}).number
        == 10
    )
    events = AuditEvent.objects.filter(action__startswith="ledgers.clue.").order_by("seq")
    assert [(e.action, e.object_id) for e in events][2:7] == [
        ("ledgers.clue.updated", f"{HOME}:2"),
        ("ledgers.clue.created", f"{HOME}:8"),
        ("ledgers.clue.created", f"{HOME}:7"),
        ("ledgers.clue.created", f"{HOME}:9"),
        ("ledgers.clue.imported", HOME),
    ]
    imported = AuditEvent.objects.get(action="ledgers.clue.imported")
    assert json.loads(imported.canonical)["detail"]["sha256"] == result.sha256


def test_import_is_for_writers_of_that_county(people: People) -> None:
    data = _clue_file([[None, "来电", "摘要", None, None, None]])
    for actor in (people.supervisor, people.other_admin, people.school_staff):
        with pytest.raises(NotAllowed):
            import_ledger("clue", HOME, data, actor=actor)
    with pytest.raises(Invalid, match="5 MB"):
        import_ledger("clue", HOME, b"x" * (5 * 1024 * 1024 + 1), actor=people.admin)
    assert not ProblemClue.objects.exists()


def test_rectification_state_columns_load_new_rows_but_not_change_old_ones(people: People) -> None:
    add("rectification", people.admin)
    cells = sheet_cells(export_ledger("rectification", HOME, actor=people.admin).data)
    assert cells[2] == [
        "序号",
        "存在问题",
        "整改措施",
        "责任单位（责任人）",
        "整改时限",
        "整改状态",
        "完成时间",
        "回头看情况",
    ]
    row = cells[3]
    assert row[5] == "整改中"
    done = [None, "未公示新生名单", "补充公示", "各学校", "2024-08-01", "已完成", "2024/7/30", None]
    changed = [*row[:5], "已完成", None, None]
    early = [None, "问题", "措施", "单位", "2024年8月1日", "整改中", "2024-07-30", None]
    data = workbook([cells[0], cells[1], cells[2], done, changed, early])
    with pytest.raises(ImportRejected) as caught:
        import_ledger("rectification", HOME, data, actor=people.admin)
    assert [(p.row, p.column) for p in caught.value.problems] == [(5, "F"), (6, "G")]
    result = import_ledger(
        "rectification", HOME, workbook([cells[0], cells[1], cells[2], done]), actor=people.admin
    )
    new = Rectification.objects.get(number=result.created[0])
    assert (new.status, new.completed_on, new.deadline) == (
        "done",
        dt.date(2024, 7, 30),
        dt.date(2024, 8, 1),
    )


def test_visit_problems_refer_to_visits_by_number(people: People) -> None:
    visit = add("visit", people.inspector)
    add_problem(people.inspector, visit.number)
    cells = sheet_cells(export_ledger("visit_problem", HOME, actor=people.admin).data)
    assert cells[2][:2] == ["序号", "对应走访序号"]
    bad = [None, 5, "问题", None, None, None, None, None]
    no_visit = [None, None, "问题", None, None, None, None, None]
    with pytest.raises(ImportRejected) as caught:
        import_ledger(
            "visit_problem", HOME, workbook([*cells, bad, no_visit]), actor=people.inspector
        )
    problems = [(p.row, p.column, p.message) for p in caught.value.problems]
    assert problems == [
        (5, "B", "走访台账中没有序号为 5 的有效走访"),
        (6, "B", "不能为空"),
    ]


def test_a_filled_checklist_loads_back(people: People) -> None:
    fill_checklist_item(HOME, 5, actor=people.admin, measures="未发现", conclusion="无此问题")
    data = export_checklist(HOME, actor=people.admin).data
    result = import_checklist(OTHER, data, actor=people.other_admin)
    assert (result.created, result.updated, result.unchanged) == ([5], [], 25)
    entry = ChecklistEntry.objects.get(region_code=OTHER)
    assert (entry.item_no, entry.measures, entry.conclusion) == (5, "未发现", "无此问题")
    again = import_checklist(OTHER, data, actor=people.other_admin)
    assert (again.created, again.updated, again.unchanged) == ([], [], 26)


def test_a_checklist_of_other_items_is_refused(people: People) -> None:
    cells = sheet_cells(export_checklist(HOME, actor=people.admin).data)
    cells[3][2] = "学校划片是否合理"  # item 1 reworded
    cells[4][3] = "已落实"
    cells[5][0] = 2  # item 3 numbered 2: repeated
    cells[6][0] = 40
    with pytest.raises(ImportRejected) as caught:
        import_checklist(HOME, workbook(cells), actor=people.admin)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "C"), (6, "A"), (7, "A")]
    assert not ChecklistEntry.objects.exists()


def test_every_ledger_has_a_title_sheet_and_headers() -> None:
    for spec in SPECS.values():
        assert len(spec.sheet) <= 31
        assert spec.headers[0] == "序号"
        assert len(set(spec.headers)) == len(spec.headers)
