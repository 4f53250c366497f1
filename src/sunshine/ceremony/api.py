"""JSON API of the staff ceremony (mounted at /api/lottery/): every step of the staff page,
through the same services and scope. The public reads (transcripts, a family's number) are
the portal's (/api/public/)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import django_auth

from sunshine.accounts.models import Role
from sunshine.admissions.models import Season
from sunshine.ceremony import services, staff
from sunshine.ceremony.models import Ceremony
from sunshine.errors import NotAllowed, NotFound
from sunshine.planning.cosign import cosigner

router = Router(tags=["ceremony"])


class CeremonyOut(Schema):
    id: int
    season: int
    label: str
    state: str
    pool_size: int
    pool_fingerprint: str
    witness_roles: list[str]
    entered_roles: list[str]  # who has typed; the values stay hidden until the draw
    missing: list[str]
    beacon_source: str
    beacon_round: int | None
    seed: str  # "" until drawn
    frozen_at: dt.datetime
    drawn_at: dt.datetime | None
    published_at: dt.datetime | None
    redraws: int


class FreezeIn(Schema):
    season: int
    label: str


class AnnounceIn(Schema):
    witness_roles: list[str]
    beacon_source: str = ""
    beacon_round: int | None = None


class WitnessIn(Schema):
    role: str
    name: str
    value: str


class BeaconIn(Schema):
    value: str


class RedrawIn(Schema):
    reason: str
    cosigner_username: str
    cosigner_password: str


class RunOut(Schema):
    run: int
    lottery_seed: str
    admissions: int


def _out(ceremony: Ceremony) -> CeremonyOut:
    c = Ceremony.objects.get(pk=ceremony.pk)
    announced = c.state == Ceremony.State.ANNOUNCED
    return CeremonyOut(
        id=c.pk,
        season=c.season_id,
        label=c.label,
        state=c.state,
        pool_size=len(c.pool_ids),
        pool_fingerprint=c.pool_fingerprint,
        witness_roles=list(c.witness_roles),
        entered_roles=sorted(c.inputs.values_list("role", flat=True)),
        missing=services._missing(c) if announced else [],
        beacon_source=c.beacon_source,
        beacon_round=c.beacon_round,
        seed=c.seed,
        frozen_at=c.frozen_at,
        drawn_at=c.drawn_at,
        published_at=c.published_at,
        redraws=c.redraws.count(),
    )


def _staff(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in staff.STAFF_ROLES:
        raise NotAllowed("only the bureau administrator, notaries and witnesses take part")


def _ceremony(request: HttpRequest, pk: int) -> Ceremony:
    _staff(request)
    ceremony = staff.ceremonies_for(request.user).filter(pk=pk).first()
    if ceremony is None:
        raise NotFound(f"no ceremony {pk} in your scope")
    return ceremony


@router.get(
    "/ceremonies",
    response=list[CeremonyOut],
    operation_id="lottery_staff_ceremonies",
    auth=django_auth,
    summary="My ceremonies",
)
def ceremonies(request: HttpRequest) -> list[CeremonyOut]:
    _staff(request)
    return [_out(c) for c in staff.ceremonies_for(request.user)]


@router.post(
    "/ceremonies",
    response={201: CeremonyOut},
    operation_id="lottery_freeze",
    auth=django_auth,
    summary="Freeze a season's applications as a new ceremony's pool",
)
def freeze(request: HttpRequest, body: FreezeIn) -> Status[CeremonyOut]:
    _staff(request)
    season = staff.seasons_to_freeze(request.user).filter(pk=body.season).first()
    if season is None:
        if request.user.role != Role.BUREAU_ADMIN:  # type: ignore[union-attr]
            raise NotAllowed("only a bureau administrator freezes a pool")
        raise NotFound(f"no season {body.season} in your county")
    staff.require_operator(request.user, season)
    return Status(201, _out(services.freeze_pool(season, actor=request.user, label=body.label)))


@router.get(
    "/ceremonies/{pk}",
    response=CeremonyOut,
    operation_id="lottery_staff_ceremony",
    auth=django_auth,
    summary="One ceremony",
)
def ceremony(request: HttpRequest, pk: int) -> CeremonyOut:
    return _out(_ceremony(request, pk))


def _operated(request: HttpRequest, pk: int) -> Ceremony:
    ceremony = _ceremony(request, pk)
    staff.require_operator(request.user, ceremony.season)
    return ceremony


@router.post(
    "/ceremonies/{pk}/announce",
    response=CeremonyOut,
    operation_id="lottery_announce",
    auth=django_auth,
    summary="Announce the seed's inputs",
)
def announce(request: HttpRequest, pk: int, body: AnnounceIn) -> CeremonyOut:
    ceremony = _operated(request, pk)
    services.announce(
        ceremony,
        actor=request.user,
        witness_roles=body.witness_roles,
        beacon_source=body.beacon_source,
        beacon_round=body.beacon_round,
    )
    return _out(ceremony)


@router.post(
    "/ceremonies/{pk}/inputs",
    response={201: CeremonyOut},
    operation_id="lottery_witness_input",
    auth=django_auth,
    summary="A witness or notary types their input",
)
def witness_input(request: HttpRequest, pk: int, body: WitnessIn) -> Status[CeremonyOut]:
    ceremony = _ceremony(request, pk)
    staff.require_witness(request.user, ceremony)
    services.add_witness_input(
        ceremony, actor=request.user, role=body.role, name=body.name, value=body.value
    )
    return Status(201, _out(ceremony))


@router.post(
    "/ceremonies/{pk}/beacon",
    response=CeremonyOut,
    operation_id="lottery_beacon",
    auth=django_auth,
    summary="Enter the announced beacon round's value",
)
def beacon(request: HttpRequest, pk: int, body: BeaconIn) -> CeremonyOut:
    ceremony = _operated(request, pk)
    services.enter_beacon(ceremony, actor=request.user, value=body.value)
    return _out(ceremony)


@router.post(
    "/ceremonies/{pk}/draw",
    response=CeremonyOut,
    operation_id="lottery_draw",
    auth=django_auth,
    summary="Draw",
)
def draw(request: HttpRequest, pk: int) -> CeremonyOut:
    ceremony = _operated(request, pk)
    return _out(services.draw(ceremony, actor=request.user))


@router.post(
    "/ceremonies/{pk}/redraw",
    response=CeremonyOut,
    operation_id="lottery_redraw",
    auth=django_auth,
    summary="Set a draw aside, co-signed on the spot by a second administrator",
)
def redraw(request: HttpRequest, pk: int, body: RedrawIn) -> CeremonyOut:
    ceremony = _operated(request, pk)
    approver = cosigner(
        request,
        actor=request.user,  # type: ignore[arg-type]
        username=body.cosigner_username,
        password=body.cosigner_password,
        roles={Role.BUREAU_ADMIN},
        region_code=ceremony.season.region_code,
    )
    staff.redraw_cosigned(ceremony, actor=request.user, approver=approver, reason=body.reason)
    return _out(ceremony)


@router.post(
    "/ceremonies/{pk}/publish",
    response=CeremonyOut,
    operation_id="lottery_publish",
    auth=django_auth,
    summary="Publish the transcript",
)
def publish(request: HttpRequest, pk: int) -> CeremonyOut:
    ceremony = _operated(request, pk)
    return _out(services.publish(ceremony, actor=request.user))


@router.post(
    "/ceremonies/{pk}/run",
    response=RunOut,
    operation_id="lottery_run",
    auth=django_auth,
    summary="Run the season's admissions on this ceremony's draw",
)
def run(request: HttpRequest, pk: int) -> RunOut:
    ceremony = _operated(request, pk)
    season_run = staff.run_with_ceremony(ceremony, actor=request.user)
    season: Season = ceremony.season
    return RunOut(
        run=season_run.pk,
        lottery_seed=season_run.lottery_seed,
        admissions=season.admissions.count(),
    )
