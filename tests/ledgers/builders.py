"""People and rows for the ledger tests, made with the real services on the test database."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import openpyxl

from sunshine.accounts.models import Role, User
from sunshine.ledgers import services
from sunshine.ledgers.models import LedgerRow
from tests.portal.factories import make_season, make_user

HOME = "330110"  # 示范县
OTHER = "330120"  # 邻县, in the same city 3301
FAR = "420102"  # another province


@dataclass
class People:
    admin: User  # bureau administrator of HOME
    reviewer: User  # bureau reviewer of HOME
    inspector: User  # 纪检监察 of HOME
    supervisor: User  # the city above HOME and OTHER (prefix 3301)
    far_supervisor: User  # a supervisor of another province
    other_admin: User  # bureau administrator of OTHER
    school_staff: User
    parent: User


def make_people() -> People:
    make_season(HOME, "示范县")
    make_season(OTHER, "邻县")
    admin = make_user(Role.BUREAU_ADMIN, "admin", region_code=HOME, phone="13800000001")
    admin.first_name, admin.last_name = "明", "李"
    admin.save()
    return People(
        admin=admin,
        reviewer=make_user(Role.BUREAU_REVIEWER, "reviewer", region_code=HOME),
        inspector=make_user(Role.INSPECTOR, "inspector", region_code=HOME),
        supervisor=make_user(Role.SUPERVISOR, "supervisor", region_code="3301"),
        far_supervisor=make_user(Role.SUPERVISOR, "far", region_code="42"),
        other_admin=make_user(Role.BUREAU_ADMIN, "other-admin", region_code=OTHER),
        school_staff=make_user(Role.SCHOOL_STAFF, "school", region_code=HOME),
        parent=make_user(Role.PARENT, "parent"),
    )


SAMPLE: dict[str, dict[str, Any]] = {
    "clue": {
        "source": "群众来电（12345转办）",
        "summary": "反映某小学收取“共建费”",
        "handling": "已转纪检监察组核查",
        "result": "",
        "remarks": "",
    },
    "violation": {
        "violator": "城东小学",
        "behaviour": "组织入学测试",
        "handling": "责令整改，约谈校长",
    },
    "rectification": {
        "issue": "招生热线未向社会公布",
        "measures": "在官网和公众号公布热线",
        "owner": "基础教育股 张三",
        "deadline": dt.date(2024, 7, 31),
    },
    "visit": {
        "visit_date": dt.date(2024, 7, 10),
        "unit": "城东小学",
        "method": "covert",
        "inspectors": "王五、赵六",
        "content": "以家长身份电话咨询报名材料",
        "remarks": "",
    },
}


def add(kind: str, actor: Any, region: str = HOME, **values: Any) -> LedgerRow:
    return services.create_row(kind, region, actor=actor, values={**SAMPLE.get(kind, {}), **values})


def add_problem(actor: Any, visit_number: int, region: str = HOME, **values: Any) -> LedgerRow:
    base = {"visit": visit_number, "description": "报名咨询电话无人接听", "status": ""}
    return services.create_row("visit_problem", region, actor=actor, values={**base, **values})


def sheet_cells(data: bytes) -> list[list[Any]]:
    """Every row of the workbook's first sheet as values (dates as dates)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    out = []
    for row in sheet.iter_rows(values_only=True):
        out.append([v.date() if isinstance(v, dt.datetime) else v for v in row])
    return out


def workbook(rows: list[list[Any]]) -> bytes:
    """A hand-made .xlsx whose first sheet holds ``rows`` from A1."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
