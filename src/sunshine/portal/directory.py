"""The index of everything the public may read (信息公开目录), for the home page.

A link whose page is not installed is left out, so the blacklist and the seat warnings appear
once the apps that publish them add their pages (under any of the URL names or paths listed
here), with no change to this module.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Entry:
    key: str  # stable: the link's data-testid is "open-<key>"
    targets: tuple[str, ...]  # URL names (with ":"), or paths (starting "/"), first found wins
    label: Promise
    description: Promise
    seasonal: bool = False  # the page takes ?season=


ENTRIES = (
    Entry(
        "policy",
        ("portal:policy",),
        _("招生政策与政策依据"),
        _("录取类别、年龄、学位锁定，以及政策所依据的法律和文件。"),
        seasonal=True,
    ),
    Entry(
        "schools",
        ("portal:schools",),
        _("学校与招生计划"),
        _("每所学校的招生计划、报名人数和招生片区。"),
        seasonal=True,
    ),
    Entry(
        "lookup",
        ("portal:address_lookup",),
        _("查询地址对应学校"),
        _("输入地址或在地图上点选，查看所属片区和对应学校。"),
        seasonal=True,
    ),
    Entry(
        "hotlines",
        ("portal:hotlines",),
        _("招生热线"),
        _("教育局和学校的招生咨询、投诉举报电话。"),
        seasonal=True,
    ),
    Entry(
        "publications",
        ("portal:publication_index",),
        _("公示名单"),
        _("录取、候补和分班名单，每个版本都可核对和比较。"),
    ),
    Entry(
        "lottery",
        ("ceremony:list",),
        _("摇号仪式"),
        _("每场摇号的输入、随机种子和过程记录，可自行复核。"),
    ),
    Entry(
        "lottery-number",
        ("ceremony:number",),
        _("查询摇号号码"),
        _("输入报名编号，查看号码及其计算过程。"),
    ),
    Entry(
        "checkpoints",
        ("portal:audit_checkpoints",),
        _("审计日志检查点"),
        _("签名的审计日志检查点和验证用公钥。"),
    ),
    Entry(
        "receipt",
        ("portal:audit_receipt",),
        _("核验回执"),
        _("检查您的回执是否包含在已签名的审计日志中。"),
    ),
    Entry(
        "complaints",
        ("complaints:new",),
        _("投诉举报"),
        _("在线提交投诉或举报，并凭编号查询办理进度。"),
    ),
    Entry(
        "blacklist",
        ("blacklist:list", "/blacklist/"),
        _("黑名单"),
        _("因严重违规招生被列入黑名单的学校和校长。"),
    ),
    Entry(
        "seat-warnings",
        ("analytics:seat_warnings", "planning:seat_warnings", "/seat-warnings/"),
        _("学位预警"),
        _("各片区学位需求与供给的预警。"),
    ),
)


def _url(targets: tuple[str, ...]) -> str | None:
    for target in targets:
        if target.startswith("/"):
            try:
                resolve(target)
            except Resolver404:
                continue
            return target
        try:
            return reverse(target)
        except NoReverseMatch:
            continue
    return None


def directory(season_id: int | None = None) -> list[dict[str, object]]:
    """The installed entries with their URLs; ``season_id`` is kept on seasonal pages."""
    links: list[dict[str, object]] = []
    for entry in ENTRIES:
        url = _url(entry.targets)
        if url is None:
            continue
        if entry.seasonal and season_id is not None:
            url = f"{url}?season={season_id}"
        links.append(
            {"key": entry.key, "url": url, "label": entry.label, "text": entry.description}
        )
    return links
