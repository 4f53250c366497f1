"""The public JSON API's shapes (django-ninja schemas, hence the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class SeasonOut(Schema):
    id: int
    region_code: str
    region_name: str
    school_year: int


class TierOut(Schema):
    number: int
    name: str
    conditions: list[str]


class StagePolicyOut(Schema):
    stage: str
    label: str
    min_age: int | None
    seat_lock_years: int
    class_size: int
    tiers: list[TierOut]


class DocumentOut(Schema):
    title: str
    title_en: str
    issuer: str
    issuer_en: str
    date: dt.date
    number: str
    url: str
    summary: str
    summary_en: str
    scope: str


class PolicyOut(Schema):
    season: SeasonOut
    sha256: str  # of policy_toml's UTF-8 bytes
    policy_toml: str  # the file exactly as the engine ran it
    readable: bool  # False when the stored policy no longer parses (summary fields empty)
    age_cutoff: dt.date | None
    mechanism: str
    preferences_allowed: int | None
    overflow: str
    stages: list[StagePolicyOut]
    documents: list[DocumentOut]


class SchoolOut(Schema):
    code: str
    name: str
    stage: str
    kind: str
    plan_seats: int
    lon: float
    lat: float
    applications: int
    first_choice: int
    zones: list[str]


class HotlineOut(Schema):
    name: str
    phone: str
    hours: str


class AddressOut(Schema):
    code: str
    text: str
    lon: float
    lat: float


class SchoolRefOut(Schema):
    code: str
    name: str
    kind: str
    plan_seats: int


class NearbyZoneOut(Schema):
    code: str
    metres: int


class StageAnswerOut(Schema):
    stage: str
    zone: str | None
    outside: bool
    shared_border: bool
    near_border: bool
    border_metres: int | None
    containing: list[str]
    nearby: list[NearbyZoneOut]
    schools: list[SchoolRefOut]
    private_schools: list[SchoolRefOut]


class PlacementOut(Schema):
    lon: float
    lat: float
    address: AddressOut | None
    stages: list[StageAnswerOut]


class LookupOut(Schema):
    """Matches of a text search (``total`` counts all, ``matches`` lists at most 20); ``result``
    is set when the search found exactly one address, or an address code or point was given."""

    total: int
    matches: list[AddressOut]
    result: PlacementOut | None


class PublishedListOut(Schema):
    id: int
    season: SeasonOut
    kind: str
    school_code: str | None
    school_name: str | None
    latest_version: int
    versions: int


class VersionOut(Schema):
    list_id: int
    number: int
    kind: str
    sha256: str  # SHA-256 of the canonical JSON of ``rows``
    published_at: dt.datetime
    published_by_role: str
    approved_by_role: str
    reason: str
    rows: list[dict[str, Any]]


class DiffOut(Schema):
    list_id: int
    old: int
    new: int
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, dict[str, Any]]]  # each {"before": row, "after": row}
    steps: list[VersionOut]


class WitnessInputOut(Schema):
    role: str
    name: str
    value: str | None  # shown once the ceremony is drawn


class CeremonyOut(Schema):
    id: int
    season: SeasonOut
    label: str
    state: str
    pool_fingerprint: str
    policy_digest: str
    program_digest: str
    frozen_at: dt.datetime
    announced_at: dt.datetime | None
    drawn_at: dt.datetime | None
    published_at: dt.datetime | None
    witness_roles: list[str]
    seed: str | None  # shown once drawn


class CeremonyDetailOut(CeremonyOut):
    pool_size: int
    inputs: list[WitnessInputOut]
    beacon_source: str
    beacon_round: int | None
    beacon_value: str | None


class NumberOut(Schema):
    """A family's lottery number and every step of its derivation (docs/lottery.md §6)."""

    public_id: str
    ceremony_id: int
    ceremony_label: str
    key: str
    siblings: list[str]
    seed: str
    message: str
    digest: str
    number_hex: str
    number: str  # a 64-bit integer, as text so no JSON reader rounds it
    position: int
    groups: int
