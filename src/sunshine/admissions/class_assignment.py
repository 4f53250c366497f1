"""Balanced class assignment (均衡编班) for a season's admissions, run by the bureau.

The engine already forms classes when it runs the season (``season_store`` writes
``Admission.class_no``). This use case forms them again over the admissions as they stand now
(a family that declined its seat no longer takes a place in a class) with the same function,
:func:`sunshine.core.classes.assign_classes`, the same inputs and the same published seed
(derived from the season's latest lottery seed). Run straight after the season it therefore
changes nothing; run after declines it rebalances.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from sunshine.accounts.models import Role
from sunshine.accounts.permissions import require_role
from sunshine.admissions.models import Admission, School, Season, SeasonRun
from sunshine.audit.services import Actor, record_event
from sunshine.core.canonical import digest
from sunshine.core.classes import ClassesError, assign_classes, classes_seed
from sunshine.core.policy import PolicyError
from sunshine.datasets.errors import PackageErrors
from sunshine.datasets.policy_toml import parse_policy
from sunshine.errors import Conflict, Invalid, NotAllowed
from sunshine.registry.models import HouseholdMember

__all__ = ["ClassRun", "SchoolBalance", "assign_season_classes", "class_balance"]

BATCH = 2000


@dataclass(frozen=True, slots=True)
class ClassRun:
    run: SeasonRun  # whose lottery seed the class seeds derive from
    children: int
    classes: int
    changed: int  # admissions whose class number changed (or was cleared)
    by_stage: dict[str, dict[str, int]]


def _require(actor: Actor, season: Season) -> None:
    require_role(actor, Role.BUREAU_ADMIN, action=_("均衡编班"))
    if not isinstance(actor, str) and actor.region_code != season.region_code:
        raise NotAllowed(_("均衡编班：只能处理本县（区）的招生季。"))


def _seated(season: Season) -> QuerySet[Admission]:
    """Admissions that take a place in a class: every one not declined by the family."""
    return Admission.objects.filter(season=season).exclude(accepted=False)


def _local(season: Season) -> Exists:
    # A migrant child (随迁子女) is one without a 户籍 in the county's registry, as in the
    # batch pipeline.
    return Exists(
        HouseholdMember.objects.filter(season=season, person_id=OuterRef("child_id_number"))
    )


def assign_season_classes(season: Season, *, actor: Actor) -> ClassRun:
    """Form balanced classes at every school of the season, in one transaction."""
    _require(actor, season)
    try:
        policy = parse_policy(season.policy_toml)
    except PackageErrors as error:
        raise Invalid(str(error)) from error
    with transaction.atomic():
        locked = Season.objects.select_for_update().get(pk=season.pk)
        run = (
            SeasonRun.objects.filter(season=locked)
            .exclude(lottery_seed="")
            .order_by("-started_at", "-pk")
            .first()
        )
        if run is None:
            raise Conflict(_("还没有运行过录取：先运行录取（摇号种子决定编班），再编班。"))
        rows = list(
            _seated(locked)
            .annotate(local=_local(locked))
            .order_by("pk")
            .values_list(
                "pk",
                "school_id",
                "school__stage",
                "school__class_size",
                "application__code",
                "application__gender",
                "application__special_needs",
                "local",
                "class_no",
            )
        )
        by_stage: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for row in rows:
            by_stage[row[2]].append(row)
        new_class: dict[int, int] = {}
        summary: dict[str, dict[str, int]] = {}
        for stage, stage_rows in sorted(by_stage.items()):
            try:
                default = policy.stage(stage).class_size
            except PolicyError as error:
                raise Invalid(
                    _("招生政策没有 %(stage)s 学段的班额。") % {"stage": stage}
                ) from error
            placed, n_classes = _assign(stage_rows, default, bytes.fromhex(run.lottery_seed), stage)
            new_class.update(placed)
            summary[stage] = {"children": len(stage_rows), "classes": n_classes}
        declined = list(
            Admission.objects.filter(season=locked, accepted=False, class_no__isnull=False)
        )
        changed = [
            Admission(pk=pk, class_no=new_class[pk])
            for pk, *_rest, old in rows
            if old != new_class[pk]
        ]
        changed += [Admission(pk=a.pk, class_no=None) for a in declined]
        Admission.objects.bulk_update(changed, ["class_no"], batch_size=BATCH)
        before = sorted((r[4], r[8]) for r in rows)
        after = sorted((r[4], new_class[r[0]]) for r in rows)
        record_event(
            actor=actor,
            action="classes.assigned",
            object_type="season",
            object_id=str(locked.pk),
            before={"classes": before, "declined": len(declined)},
            after={"classes": after},
            detail={
                "run": run.pk,
                "lottery_seed": run.lottery_seed,
                "stages": summary,
                "changed": len(changed),
                "classes_sha256": digest(after),
            },
        )
    return ClassRun(
        run=run,
        children=len(rows),
        classes=sum(s["classes"] for s in summary.values()),
        changed=len(changed),
        by_stage=summary,
    )


def _assign(
    rows: list[tuple[Any, ...]], default_size: int, lottery_seed: bytes, stage: str
) -> tuple[dict[int, int], int]:
    """Class numbers by admission pk for one stage, and the number of classes formed."""
    schools = sorted({r[1] for r in rows})
    index = {pk: i for i, pk in enumerate(schools)}
    sizes: dict[int, int] = {r[1]: r[3] or default_size for r in rows}
    try:
        classes = assign_classes(
            public_ids=[r[4] for r in rows],
            school=np.array([index[r[1]] for r in rows], dtype=np.int64),
            gender=[r[5] for r in rows],
            special_needs=[r[6] for r in rows],
            migrant=np.array([not r[7] for r in rows], dtype=bool),
            class_size=np.array([sizes[pk] for pk in schools], dtype=np.int64),
            seed=classes_seed(lottery_seed, stage),
        )
    except ClassesError as error:
        raise Invalid(str(error)) from error
    numbers = classes.class_no.tolist()
    return {r[0]: numbers[i] for i, r in enumerate(rows)}, int(classes.n_classes.sum())


# --- balance ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassRow:
    class_no: int
    children: int
    boys: int
    girls: int
    special_needs: int
    migrants: int


@dataclass(frozen=True, slots=True)
class SchoolBalance:
    school: School
    classes: list[ClassRow] = field(default_factory=list)
    unassigned: int = 0  # seated children without a class yet

    def spread(self, attribute: str) -> int:
        values = [getattr(c, attribute) for c in self.classes]
        return max(values) - min(values) if values else 0

    @property
    def spread_children(self) -> int:
        return self.spread("children")

    @property
    def spread_boys(self) -> int:
        return self.spread("boys")

    @property
    def spread_girls(self) -> int:
        return self.spread("girls")

    @property
    def balanced(self) -> bool:
        """Sizes and genders differ by at most one between classes (docs/classes.md)."""
        return all(self.spread(a) <= 1 for a in ("children", "boys", "girls"))


def class_balance(season: Season, schools: QuerySet[School]) -> list[SchoolBalance]:
    """Per school and class: children, boys, girls, special needs and migrants, in one
    grouped query."""
    groups = (
        _seated(season)
        .filter(school__in=schools)
        .annotate(local=_local(season))
        .values("school_id", "class_no")
        .annotate(
            children=Count("pk"),
            boys=Count("pk", filter=Q(application__gender="M")),
            girls=Count("pk", filter=Q(application__gender="F")),
            special=Count("pk", filter=~Q(application__special_needs="")),
            migrants=Count("pk", filter=Q(local=False)),
        )
        .order_by("school_id", "class_no")
    )
    rows: dict[int, list[ClassRow]] = defaultdict(list)
    unassigned: dict[int, int] = defaultdict(int)
    for g in groups:
        if g["class_no"] is None:
            unassigned[g["school_id"]] += g["children"]
            continue
        rows[g["school_id"]].append(
            ClassRow(
                g["class_no"], g["children"], g["boys"], g["girls"], g["special"], g["migrants"]
            )
        )
    return [
        SchoolBalance(school, rows.get(school.pk, []), unassigned.get(school.pk, 0))
        for school in schools
        if school.pk in rows or school.pk in unassigned
    ]
