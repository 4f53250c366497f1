"""Schools, zones, addresses, applications and the decisions about them.

Everything imported from a data package hangs off a :class:`Season` (one region, one school
year), so a package loads, replaces or deletes as a unit.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

STAGE_CHOICES = [("primary", _("小学一年级")), ("junior", _("初中一年级"))]
KIND_CHOICES = [("public", _("公办")), ("private", _("民办"))]


class Season(models.Model):
    """One region's admission season: the policy in force and the data it was given."""

    region_code = models.CharField(_("行政区划代码"), max_length=6)
    region_name = models.CharField(_("地区"), max_length=100)
    school_year = models.PositiveIntegerField(_("学年"))
    policy_toml = models.TextField(_("招生政策"))
    policy_sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(_("导入时间"))
    # Per table, the names of the package's extra columns in file order (rows keep their values
    # in ``extra``; PostgreSQL's jsonb does not keep key order, so an export needs this list).
    extra_columns = models.JSONField(default=dict, blank=True)
    # Online registration (网上报名) window, set by the bureau. The policy file carries no dates
    # but the age cut-off, so the window lives here; no window means online registration is shut.
    registration_opens = models.DateTimeField(_("网上报名开始"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("网上报名截止"), null=True, blank=True)

    class Meta:
        verbose_name = _("招生季")
        verbose_name_plural = _("招生季")
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "school_year"], name="one_season_per_region_year"
            ),
            models.CheckConstraint(
                condition=models.Q(registration_opens__isnull=True)
                | models.Q(registration_closes__isnull=True)
                | models.Q(registration_opens__lt=models.F("registration_closes")),
                name="registration_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_name} {self.school_year}"

    def registration_is_open(self, at: dt.datetime) -> bool:
        """Whether a family may submit or change an application at ``at`` (opens <= at < closes)."""
        opens, closes = self.registration_opens, self.registration_closes
        return opens is not None and closes is not None and opens <= at < closes


class School(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="schools")
    code = models.CharField(_("学校代码"), max_length=64)
    name = models.CharField(_("学校名称"), max_length=200)
    stage = models.CharField(_("学段"), max_length=8, choices=STAGE_CHOICES)
    kind = models.CharField(_("办学性质"), max_length=8, choices=KIND_CHOICES)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    plan_seats = models.PositiveIntegerField(_("招生计划"))
    class_size = models.PositiveIntegerField(_("班额"), null=True, blank=True)
    feeds = models.ForeignKey(
        "self",
        verbose_name=_("对口初中"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feeders",
    )
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("学校")
        verbose_name_plural = _("学校")
        ordering = ["stage", "code"]
        constraints = [
            models.UniqueConstraint(fields=["season", "code"], name="school_code_unique_in_season")
        ]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """A catchment zone (划片); several schools make a multi-school zone (多校划片)."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="zones")
    code = models.CharField(_("片区代码"), max_length=64)
    stage = models.CharField(_("学段"), max_length=8, choices=STAGE_CHOICES)
    geometry = models.JSONField(_("范围"))  # GeoJSON Polygon/MultiPolygon in lon/lat
    schools = models.ManyToManyField(School, related_name="zones", verbose_name=_("学校"))
    properties = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("招生片区")
        verbose_name_plural = _("招生片区")
        ordering = ["stage", "code"]
        constraints = [
            models.UniqueConstraint(fields=["season", "code"], name="zone_code_unique_in_season")
        ]

    def __str__(self) -> str:
        return self.code


class Address(models.Model):
    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="addresses")
    code = models.CharField(_("地址编码"), max_length=64)
    text = models.CharField(_("地址"), max_length=300)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("地址")
        verbose_name_plural = _("地址")
        constraints = [
            models.UniqueConstraint(fields=["season", "code"], name="address_code_unique_in_season")
        ]

    def __str__(self) -> str:
        return self.text


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已提交")
        VERIFIED = "verified", _("已审核")
        ADMITTED = "admitted", _("已录取")
        PRIVATE_ADMITTED = "private_admitted", _("民办录取")
        OVERFLOW_PLACED = "overflow_placed", _("统筹安排")
        WAITLISTED = "waitlisted", _("候补")
        INELIGIBLE = "ineligible", _("不符合条件")
        UNPLACED = "unplaced", _("未安排")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Source(models.TextChoices):
        IMPORT = "import", _("数据导入")
        ONLINE = "online", _("网上报名")

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="applications")
    code = models.CharField(_("报名编号"), max_length=64)  # the public id used by the lottery
    child_id_number = models.CharField(_("儿童身份证号"), max_length=18)
    child_name = models.CharField(_("儿童姓名"), max_length=64)
    gender = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))])
    birth_date = models.DateField(_("出生日期"))
    stage = models.CharField(_("学段"), max_length=8, choices=STAGE_CHOICES)
    guardian_ids = models.JSONField(_("监护人身份证号"), default=list)
    claimed_address = models.ForeignKey(
        Address, verbose_name=_("申报地址"), on_delete=models.PROTECT, related_name="+"
    )
    claimed_certificate_no = models.CharField(_("申报房产证号"), max_length=64, blank=True)
    private_school = models.ForeignKey(
        School,
        verbose_name=_("民办学校志愿"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    priority_group = models.CharField(_("教育优待"), max_length=16, blank=True)
    special_needs = models.CharField(_("特殊群体"), max_length=16, blank=True)
    sibling_codes = models.JSONField(_("同报兄弟姐妹"), default=list, blank=True)
    current_school = models.ForeignKey(
        School,
        verbose_name=_("就读小学"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # How the application reached Sunshine: in a bureau's data package or typed by the family.
    source = models.CharField(
        _("报名方式"), max_length=8, choices=Source.choices, default=Source.IMPORT
    )
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["season", "code"], name="application_code_unique"),
            # One application per child per season: a second one is a duplicate, not a choice.
            models.UniqueConstraint(
                fields=["season", "child_id_number"], name="one_application_per_child"
            ),
        ]
        indexes = [models.Index(fields=["season", "status"])]

    def __str__(self) -> str:
        return self.code


class Preference(models.Model):
    """A family's ranked choice (志愿) of a public school."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="preferences"
    )
    rank = models.PositiveSmallIntegerField(_("志愿顺序"))  # 1 = first choice
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("志愿")
        verbose_name_plural = _("志愿")
        ordering = ["application", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="one_school_per_rank"),
            models.UniqueConstraint(fields=["application", "school"], name="school_listed_once"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.rank}"


# The registry checks a family answers (sunshine.core.reasons.Check labels), in check order.
FINDING_CHOICES = [
    ("id", _("身份证号码")),
    ("age", _("入学年龄")),
    ("parents", _("父母与监护人")),
    ("zone", _("招生片区")),
    ("hukou", _("户籍")),
    ("home", _("房产")),
    ("seat_lock", _("学位锁定")),
    ("permit", _("居住证")),
    ("social_security", _("社保")),
    ("vaccination", _("预防接种")),
]


class FindingResponse(models.Model):
    """A family's answer to one registry finding shown to it when registering online: it
    confirms the finding, or explains why it is wrong or incomplete (for the reviewers)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="finding_responses"
    )
    check_name = models.CharField(_("核验项目"), max_length=20, choices=FINDING_CHOICES)
    # The finding as shown (a sunshine.core.reasons.Reason name), so a reviewer sees what the
    # family answered even if the registries change later.
    reason = models.CharField(_("核验结果"), max_length=40)
    confirmed = models.BooleanField(_("家长确认"))
    explanation = models.TextField(_("家长说明"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"))

    class Meta:
        verbose_name = _("核验答复")
        verbose_name_plural = _("核验答复")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "check_name"], name="one_response_per_finding"
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed=True) | ~models.Q(explanation=""),
                name="disputed_finding_is_explained",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.check_name}"


class SeasonRun(models.Model):
    """One run of the engine over a season: its inputs' fingerprint and its report."""

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    mechanism = models.CharField(max_length=32)
    lottery_seed = models.CharField(max_length=64, blank=True)
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("录取运行")
        verbose_name_plural = _("录取运行")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.season} @ {self.started_at:%Y-%m-%d %H:%M}"


class Decision(models.Model):
    """The engine's outcome for one application in one run, with its explanation."""

    run = models.ForeignKey(SeasonRun, on_delete=models.CASCADE, related_name="decisions")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    status = models.CharField(max_length=20, choices=Application.Status.choices)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    lottery_number = models.CharField(max_length=32, blank=True)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    explanation = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("录取结果")
        verbose_name_plural = _("录取结果")
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="one_decision_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.status}"


class Admission(models.Model):
    """A binding seat. At most one per child per season, enforced by the database."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("录取")
        PRIVATE_ADMITTED = "private_admitted", _("民办录取")
        OVERFLOW_PLACED = "overflow_placed", _("统筹安排")

    season = models.ForeignKey(Season, on_delete=models.CASCADE, related_name="admissions")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="admission"
    )
    child_id_number = models.CharField(max_length=18)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="admissions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    class_no = models.PositiveSmallIntegerField(_("班级"), null=True, blank=True)
    decided_by_run = models.ForeignKey(
        SeasonRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted = models.BooleanField(null=True, blank=True)  # None = not yet answered

    class Meta:
        verbose_name = _("录取")
        verbose_name_plural = _("录取")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "child_id_number"], name="one_admission_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} -> {self.school_id}"


class ImmutableQuerySet(models.QuerySet["models.Model"]):
    """Published versions are a public record: no bulk update or delete through the ORM."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("published lists are immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("published lists are immutable")


class PublishedList(models.Model):
    """A list made public (公示): admitted children, a waitlist or class lists, per season
    and optionally per school. Its content lives in numbered, immutable versions."""

    class Kind(models.TextChoices):
        ADMITTED = "admitted", _("录取名单")
        WAITLIST = "waitlist", _("候补名单")
        CLASSES = "classes", _("分班名单")

    season = models.ForeignKey(Season, on_delete=models.PROTECT, related_name="published_lists")
    kind = models.CharField(_("名单类型"), max_length=16, choices=Kind.choices)
    school = models.ForeignKey(
        School,
        verbose_name=_("学校"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_lists",
    )
    created = models.DateTimeField(_("创建时间"))

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")
        ordering = ["season", "kind", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "kind", "school"], name="one_published_list_per_school"
            ),
            models.UniqueConstraint(
                fields=["season", "kind"],
                condition=models.Q(school__isnull=True),
                name="one_published_list_per_season",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.season} {self.kind} {self.school_id or '*'}"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("published lists are immutable")


class PublishedVersion(models.Model):
    """One published version of a list: masked rows, their digest, who published and who
    approved it, and why it replaces the previous one. Written once, never changed."""

    list = models.ForeignKey(PublishedList, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    rows = models.JSONField(_("名单"))
    sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        "accounts.User", verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        "accounts.User", verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("变更理由"), blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        verbose_name = _("公示版本")
        verbose_name_plural = _("公示版本")
        ordering = ["list", "number"]
        constraints = [
            models.UniqueConstraint(fields=["list", "number"], name="version_number_unique"),
            models.CheckConstraint(
                condition=~models.Q(published_by=models.F("approved_by")),
                name="approver_is_a_second_person",
            ),
            models.CheckConstraint(
                condition=models.Q(number=1) | ~models.Q(reason=""),
                name="later_version_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list} v{self.number}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("a published version is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("a published version is immutable")
