"""The public record as JSON: published lists (公示) with their versions and differences, and
the lottery ceremonies with their transcripts and each family's number."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from sunshine.admissions.models import PublishedList, PublishedVersion, Season
from sunshine.ceremony.models import Ceremony
from sunshine.portal import records
from sunshine.portal.schemas import (
    CeremonyDetailOut,
    CeremonyOut,
    DiffOut,
    NumberOut,
    PublishedListOut,
    VersionOut,
)

router = Router(tags=["public"])


def _season(season: Season) -> dict[str, Any]:
    return {
        "id": season.pk,
        "region_code": season.region_code,
        "region_name": season.region_name,
        "school_year": season.school_year,
    }


def _version(v: PublishedVersion) -> dict[str, Any]:
    return {
        "list_id": v.list_id,
        "number": v.number,
        "kind": v.list.kind,
        "sha256": v.sha256,
        "published_at": v.published_at,
        "published_by_role": v.published_by.role,
        "approved_by_role": v.approved_by.role,
        "reason": v.reason,
        "rows": v.rows,
    }


@router.get(
    "/publications",
    response=list[PublishedListOut],
    summary="Published lists (公示) with their latest version",
    operation_id="public_publications",
)
def publications(request: HttpRequest) -> list[dict[str, Any]]:
    lists: list[PublishedList] = list(records.published_lists())
    return [
        {
            "id": p.pk,
            "season": _season(p.season),
            "kind": p.kind,
            "school_code": p.school.code if p.school else None,
            "school_name": p.school.name if p.school else None,
            "latest_version": getattr(p, "latest", 0) or 0,
            "versions": getattr(p, "count", 0) or 0,
        }
        for p in lists
    ]


@router.get(
    "/publications/{list_id}/versions/{number}",
    response=VersionOut,
    summary="One version of a published list, its masked rows and digest",
    operation_id="public_publication_version",
)
def publication_version(request: HttpRequest, list_id: int, number: int) -> dict[str, Any]:
    return _version(records.published_version(list_id, number))


@router.get(
    "/publications/{list_id}/diff/{old}/{new}",
    response=DiffOut,
    summary="What changed between two versions of a list, with each step's approver and reason",
    operation_id="public_publication_diff",
)
def publication_diff(request: HttpRequest, list_id: int, old: int, new: int) -> dict[str, Any]:
    found = records.version_diff(list_id, old, new)
    return {
        "list_id": list_id,
        "old": old,
        "new": new,
        "added": list(found.diff.added),
        "removed": list(found.diff.removed),
        "changed": [{"before": was, "after": now} for was, now in found.diff.changed],
        "steps": [_version(v) for v in found.steps],
    }


def _ceremony(c: Ceremony) -> dict[str, Any]:
    drawn = c.state in records.DRAWN_STATES
    return {
        "id": c.pk,
        "season": _season(c.season),
        "label": c.label,
        "state": c.state,
        "pool_fingerprint": c.pool_fingerprint,
        "policy_digest": c.policy_digest,
        "program_digest": c.program_digest,
        "frozen_at": c.frozen_at,
        "announced_at": c.announced_at,
        "drawn_at": c.drawn_at,
        "published_at": c.published_at,
        "witness_roles": list(c.witness_roles),
        "seed": c.seed if drawn else None,
    }


@router.get(
    "/ceremonies",
    response=list[CeremonyOut],
    summary="Lottery ceremonies, newest first",
    operation_id="public_ceremonies",
)
def ceremonies(request: HttpRequest) -> list[dict[str, Any]]:
    return [_ceremony(c) for c in records.public_ceremonies()]


@router.get(
    "/ceremonies/{ceremony_id}",
    response=CeremonyDetailOut,
    summary="One ceremony: pool fingerprint, inputs (values once drawn), seed",
    operation_id="public_ceremony",
)
def ceremony(request: HttpRequest, ceremony_id: int) -> dict[str, Any]:
    c = records.public_ceremony(ceremony_id)
    drawn = c.state in records.DRAWN_STATES
    return {
        **_ceremony(c),
        "pool_size": len(c.pool_ids),
        # Typed values stay hidden until the draw, so no one can choose theirs after seeing
        # the others'.
        "inputs": [
            {"role": i.role, "name": i.name, "value": i.value if drawn else None}
            for i in c.inputs.all()
        ],
        "beacon_source": c.beacon_source,
        "beacon_round": c.beacon_round,
        "beacon_value": (c.beacon_value or None) if drawn else None,
    }


@router.get(
    "/ceremonies/{ceremony_id}/transcript",
    summary="A published ceremony's transcript (the canonical JSON that verify_lottery.py checks)",
    operation_id="public_ceremony_transcript",
    response={200: dict[str, Any]},
)
def transcript(request: HttpRequest, ceremony_id: int) -> HttpResponse:
    # The stored bytes as they are: re-serialising could change what the verifier hashes.
    body = records.published_transcript(ceremony_id).encode("utf-8")
    return HttpResponse(body, content_type="application/json")


class NumberQuery(Schema):
    public_id: str  # the application code (报名编号)


@router.get(
    "/lottery/number",
    response=NumberOut,
    summary="A family's lottery number and every step of its derivation",
    operation_id="public_lottery_number",
)
def lottery_number(request: HttpRequest, q: Query[NumberQuery]) -> dict[str, Any]:
    d = records.lottery_number(q.public_id)
    return {
        "public_id": d.public_id,
        "ceremony_id": d.ceremony.pk,
        "ceremony_label": d.ceremony.label,
        "key": d.key,
        "siblings": list(d.siblings),
        "seed": d.seed,
        "message": d.message,
        "digest": d.digest,
        "number_hex": d.number_hex,
        "number": str(d.number),
        "position": d.position,
        "groups": d.groups,
    }
