"""The verification checks and their bilingual reasons.

A check's outcome is one small integer per (application, check): a :class:`Reason`. Each reason
belongs to one check, has one result (pass | fail | missing) and a Chinese and an English
template. Templates without ``{placeholders}`` are rendered once, here; the others are filled
from per-application parameters only when a row is written or shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Final


class Check(IntEnum):
    ID = 0
    AGE = 1
    PARENTS = 2
    ZONE = 3
    HUKOU = 4
    HOME = 5
    SEAT_LOCK = 6
    PERMIT = 7
    SOCIAL_SECURITY = 8
    VACCINATION = 9
    PREFERENCES = 10

    @property
    def label(self) -> str:
        return self.name.lower()


class Result(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Template:
    check: Check
    result: Result
    zh: str
    en: str

    @property
    def has_params(self) -> bool:
        return "{" in self.zh or "{" in self.en


_P, _F, _M = Result.PASS, Result.FAIL, Result.MISSING


class Reason(IntEnum):
    ID_OK = 0
    ID_INVALID = 1
    ID_BIRTH_MISMATCH = 2
    AGE_OK = 3
    AGE_UNDER = 4
    AGE_NOT_REQUIRED = 5
    PARENTS_OK = 6
    PARENTS_GUARDIANSHIP = 7
    PARENTS_MISMATCH = 8
    PARENTS_NO_GUARDIAN = 9
    PARENTS_NO_RECORD = 10
    ZONE_IN = 11
    ZONE_OUT = 12
    HUKOU_AT = 13
    HUKOU_ELSEWHERE = 14
    HUKOU_NONE = 15
    HOME_GUARDIAN = 16
    HOME_GRANDPARENT = 17
    HOME_GRANDPARENT_NOT_ALLOWED = 18
    HOME_NOT_OWNED = 19
    HOME_UNKNOWN = 20
    HOME_NONE = 21
    LOCK_FREE = 22
    LOCK_SIBLING = 23
    LOCK_LOCKED = 24
    LOCK_NONE = 25
    PERMIT_VALID = 26
    PERMIT_INVALID = 27
    PERMIT_NONE = 28
    SS_RECORD = 29
    SS_NONE = 30
    VAX_OK = 31
    VAX_INCOMPLETE = 32
    VAX_NONE = 33
    PREFS_OK = 34
    PREFS_NONE = 35
    PREFS_TOO_MANY = 36
    PREFS_INVALID = 37
    PREFS_DUPLICATE = 38
    PRIVATE_INVALID = 39

    @property
    def template(self) -> Template:
        return TEMPLATES[self]

    @property
    def result(self) -> Result:
        return TEMPLATES[self].result


R = Reason
C = Check
TEMPLATES: Final[dict[Reason, Template]] = {
    R.ID_OK: Template(
        C.ID, _P, "身份证号码有效，与出生日期一致", "ID number valid and matches the birth date"
    ),
    R.ID_INVALID: Template(
        C.ID, _F, "身份证号码无效（格式或校验码错误）", "ID number invalid (format or check digit)"
    ),
    R.ID_BIRTH_MISMATCH: Template(
        C.ID,
        _F,
        "身份证号码中的出生日期与填报的出生日期（{date}）不一致",
        "the birth date in the ID number differs from the one given ({date})",
    ),
    R.AGE_OK: Template(C.AGE, _P, "截至{cutoff}已满{age}周岁", "aged {age} or more on {cutoff}"),
    R.AGE_UNDER: Template(
        C.AGE,
        _F,
        "截至{cutoff}未满{age}周岁（{date}出生）",
        "under {age} on {cutoff} (born {date})",
    ),
    R.AGE_NOT_REQUIRED: Template(
        C.AGE, _P, "本学段不设入学年龄要求", "this stage has no minimum age"
    ),
    R.PARENTS_OK: Template(
        C.PARENTS,
        _P,
        "监护人均为出生医学证明记载的父母",
        "the guardians are the parents on the birth record",
    ),
    R.PARENTS_GUARDIANSHIP: Template(
        C.PARENTS,
        _P,
        "孤儿或事实无人抚养儿童，认可所填监护人",
        "orphan or de-facto unsupported child: the listed guardians are accepted",
    ),
    R.PARENTS_MISMATCH: Template(
        C.PARENTS,
        _F,
        "有监护人不是出生医学证明记载的父母，其材料不予采信",
        "a guardian is not a parent on the birth record; their evidence does not count",
    ),
    R.PARENTS_NO_GUARDIAN: Template(C.PARENTS, _F, "未填报监护人", "no guardian listed"),
    R.PARENTS_NO_RECORD: Template(C.PARENTS, _M, "查无出生医学证明记录", "no birth record found"),
    R.ZONE_IN: Template(
        C.ZONE, _P, "填报地址位于招生片区 {zone}", "the claimed address lies in zone {zone}"
    ),
    R.ZONE_OUT: Template(
        C.ZONE,
        _F,
        "填报地址不在本学段任何招生片区内",
        "the claimed address lies in no zone of this stage",
    ),
    R.HUKOU_AT: Template(
        C.HUKOU, _P, "户籍在填报地址，{date}迁入", "hukou at the claimed address since {date}"
    ),
    R.HUKOU_ELSEWHERE: Template(
        C.HUKOU,
        _F,
        "户籍不在填报地址（{date}迁入现户籍地址）",
        "hukou at another address (registered there since {date})",
    ),
    R.HUKOU_NONE: Template(C.HUKOU, _M, "无本地户籍记录", "no local hukou record"),
    R.HOME_GUARDIAN: Template(
        C.HOME,
        _P,
        "房产为监护人所有，份额{share}，{date}取得",
        "home owned by a guardian, share {share}, acquired {date}",
    ),
    R.HOME_GRANDPARENT: Template(
        C.HOME,
        _P,
        "房产为同户祖辈所有，份额{share}，{date}取得",
        "home owned by a grandparent of the child's household, share {share}, acquired {date}",
    ),
    R.HOME_GRANDPARENT_NOT_ALLOWED: Template(
        C.HOME,
        _F,
        "房产为同户祖辈所有，本地政策不认可祖辈房产",
        "home owned by a grandparent; this policy does not accept grandparents' homes",
    ),
    R.HOME_NOT_OWNED: Template(
        C.HOME, _F, "房产不属于监护人", "the home is not owned by a guardian"
    ),
    R.HOME_UNKNOWN: Template(
        C.HOME, _F, "不动产登记中查无此证号", "no such certificate in the property register"
    ),
    R.HOME_NONE: Template(C.HOME, _M, "未申报房产", "no home claimed"),
    R.LOCK_FREE: Template(
        C.SEAT_LOCK, _P, "该房产学位未被锁定", "the home's school place is not locked"
    ),
    R.LOCK_SIBLING: Template(
        C.SEAT_LOCK,
        _P,
        "该房产{year}年已由兄弟姐妹使用，同一家庭不受锁定限制",
        "the home was used in {year} by a sibling; the same family is exempt",
    ),
    R.LOCK_LOCKED: Template(
        C.SEAT_LOCK,
        _F,
        "该房产学位{year}年已被其他家庭子女使用，锁定至{until}年",
        "the home was used in {year} by another family's child and is locked until {until}",
    ),
    R.LOCK_NONE: Template(C.SEAT_LOCK, _M, "未申报房产，不适用", "no home claimed"),
    R.PERMIT_VALID: Template(
        C.PERMIT,
        _P,
        "监护人居住证有效，有效期至{date}",
        "a guardian's residence permit is valid until {date}",
    ),
    R.PERMIT_INVALID: Template(
        C.PERMIT,
        _F,
        "监护人居住证在{ref}不在有效期内（有效期至{date}）",
        "no guardian's residence permit is valid on {ref} (one is valid until {date})",
    ),
    R.PERMIT_NONE: Template(
        C.PERMIT,
        _M,
        "无居住证记录（有本地户籍者无需）",
        "no residence permit on record (not needed with local hukou)",
    ),
    R.SS_RECORD: Template(
        C.SOCIAL_SECURITY,
        _P,
        "监护人连续缴纳社保{months}个月（截至{date}）",
        "a guardian has {months} continuous months of social insurance (as of {date})",
    ),
    R.SS_NONE: Template(C.SOCIAL_SECURITY, _M, "无社保缴纳记录", "no social insurance record"),
    R.VAX_OK: Template(C.VACCINATION, _P, "预防接种记录完整", "vaccination record complete"),
    R.VAX_INCOMPLETE: Template(
        C.VACCINATION,
        _F,
        "预防接种不完整，须补种（不影响入学）",
        "vaccination incomplete: catch-up needed (does not affect admission)",
    ),
    R.VAX_NONE: Template(C.VACCINATION, _M, "查无预防接种记录", "no vaccination record"),
    R.PREFS_OK: Template(C.PREFERENCES, _P, "志愿有效", "preferences valid"),
    R.PREFS_NONE: Template(
        C.PREFERENCES,
        _M,
        "未填报志愿，由教育部门统筹安排",
        "no preference listed: the bureau will place the child",
    ),
    R.PREFS_TOO_MANY: Template(
        C.PREFERENCES,
        _F,
        "志愿超过{n}个，仅前{n}个有效",
        "more than {n} preferences: only the first {n} count",
    ),
    R.PREFS_INVALID: Template(
        C.PREFERENCES,
        _F,
        "有志愿学校不是本学段公办学校，已忽略",
        "a listed school is not a public school of this stage and was ignored",
    ),
    R.PREFS_DUPLICATE: Template(
        C.PREFERENCES,
        _F,
        "志愿学校重复，重复项已忽略",
        "a school is listed twice; the repeat was ignored",
    ),
    R.PRIVATE_INVALID: Template(
        C.PREFERENCES,
        _F,
        "所报民办学校不是本学段民办学校，已忽略",
        "the private school chosen is not a private school of this stage and was ignored",
    ),
}

# Per-code lookup tables, so a whole code array maps to results or checks in one take.
RESULT_OF: Final = tuple(TEMPLATES[r].result for r in Reason)
CHECK_OF: Final = tuple(TEMPLATES[r].check for r in Reason)
# Mandatory checks: a failure makes the application ineligible everywhere (in this order).
MANDATORY: Final = (Check.ID, Check.AGE)
