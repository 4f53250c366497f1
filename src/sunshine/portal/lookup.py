""" "Which schools serve my address": an address found by its text, or a point on the map,
placed in each stage's zones with ``core.zoning`` (via ``core.catchment``), with the border and
outside cases said plainly. Read-only and public: addresses are places, never people."""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely.geometry
from django.db.models import Q
from django.utils.translation import gettext as _

from sunshine.admissions.models import STAGE_CHOICES, Address, School, Season, Zone
from sunshine.core.catchment import NEAR_METRES, place
from sunshine.core.zoning import OUTSIDE, ZoningError, zone_layer
from sunshine.errors import Invalid, NotFound

MAX_MATCHES = 20
MIN_QUERY = 2  # one character would match half the county


@dataclass(frozen=True, slots=True)
class SchoolRef:
    code: str
    name: str
    kind: str
    plan_seats: int


@dataclass(frozen=True, slots=True)
class NearbyZone:
    code: str
    metres: int


@dataclass(frozen=True, slots=True)
class StageAnswer:
    """One stage's answer for the point. ``zone`` is None when the point lies in no zone."""

    stage: str
    zone: str | None
    schools: tuple[SchoolRef, ...]  # the zone's schools: the public schools the child may list
    containing: tuple[str, ...]  # every zone holding the point (two or more: on a border)
    border_metres: int | None  # distance to the zone's edge, rounded down to the metre
    nearby: tuple[NearbyZone, ...]  # inside: other zones within NEAR_METRES; outside: nearest
    private_schools: tuple[SchoolRef, ...]  # 公民同招: open to applicants from the whole county

    @property
    def outside(self) -> bool:
        return self.zone is None

    @property
    def shared_border(self) -> bool:
        return len(self.containing) > 1

    @property
    def near_border(self) -> bool:
        return self.border_metres is not None and self.border_metres < NEAR_METRES


@dataclass(frozen=True, slots=True)
class Lookup:
    lon: float
    lat: float
    address: Address | None
    stages: tuple[StageAnswer, ...]


def _ref(school: School) -> SchoolRef:
    return SchoolRef(school.code, school.name, school.kind, school.plan_seats)


def find_addresses(season: Season, query: str) -> tuple[list[Address], int]:
    """Addresses whose text contains ``query`` (or whose code is it), at most MAX_MATCHES of
    them, and how many matched in all."""
    query = " ".join(query.split())
    if len(query) < MIN_QUERY:
        raise Invalid(_("请至少输入 %(n)s 个字的地址。") % {"n": MIN_QUERY}, field="q")
    matches = Address.objects.filter(season=season).filter(Q(text__icontains=query) | Q(code=query))
    total = matches.count()
    return list(matches.order_by("text", "code")[:MAX_MATCHES]), total


def address_by_code(season: Season, code: str) -> Address:
    address = Address.objects.filter(season=season, code=code).first()
    if address is None:
        raise NotFound(_("本招生季没有编码为 %(code)s 的地址。") % {"code": code}, field="address")
    return address


def parse_point(lon: str | float | None, lat: str | float | None) -> tuple[float, float]:
    """A longitude and latitude from a form or a query string, or Invalid naming the field."""
    values = []
    for name, value, limit in (("lon", lon, 180.0), ("lat", lat, 90.0)):
        try:
            number = float(value) if value not in (None, "") else math.nan
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number) or abs(number) > limit:
            raise Invalid(
                _("%(name)s 应是 -%(limit)s 到 %(limit)s 之间的数。")
                % {"name": _("经度") if name == "lon" else _("纬度"), "limit": f"{limit:g}"},
                field=name,
            )
        values.append(number)
    return values[0], values[1]


def _stage_answer(
    season: Season, stage: str, zones: list[Zone], lon: float, lat: float
) -> StageAnswer:
    schools = [sorted(z.schools.all(), key=lambda s: s.code) for z in zones]
    try:
        layer = zone_layer(
            [z.code for z in zones],
            [shapely.geometry.shape(z.geometry) for z in zones],
            [list(range(len(s))) for s in schools],  # the layer only carries counts here
        )
    except (ZoningError, ValueError, TypeError, KeyError) as exc:
        raise Invalid(_("招生片区图无法读取：%(error)s") % {"error": exc}) from exc
    p = place(layer, lon, lat)
    private = School.objects.filter(season=season, stage=stage, kind="private").order_by("code")
    codes = layer.zone_id
    return StageAnswer(
        stage=stage,
        zone=None if p.zone == OUTSIDE else codes[p.zone],
        schools=() if p.zone == OUTSIDE else tuple(_ref(s) for s in schools[p.zone]),
        containing=tuple(codes[i] for i in p.containing),
        border_metres=None if p.border_metres is None else math.floor(p.border_metres),
        nearby=tuple(NearbyZone(codes[d.zone], math.floor(d.metres)) for d in p.nearby),
        private_schools=tuple(_ref(s) for s in private),
    )


def lookup_point(season: Season, lon: float, lat: float, address: Address | None = None) -> Lookup:
    """The zone and schools of each stage the season runs, for the point (``lon``, ``lat``)."""
    zones = list(Zone.objects.filter(season=season).prefetch_related("schools"))
    stages = []
    for stage, _label in STAGE_CHOICES:
        of_stage = [z for z in zones if z.stage == stage]
        if of_stage or School.objects.filter(season=season, stage=stage).exists():
            stages.append(_stage_answer(season, stage, of_stage, lon, lat))
    return Lookup(lon, lat, address, tuple(stages))
