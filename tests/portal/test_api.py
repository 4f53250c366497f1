"""The public JSON API (/api/public/): the same facts as the public pages, with no sign-in."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings
from tests.portal.factories import County, admit, build_county, make_user

from sunshine.accounts.models import Role, User
from sunshine.admissions.models import Address, PublishedVersion
from sunshine.admissions.publication import publish_list
from sunshine.ceremony import services as ceremony_services
from sunshine.ceremony.models import Ceremony
from sunshine.core.canonical import canonical_json
from sunshine.core.lottery import number_of
from sunshine.portal.models import Hotline

pytestmark = pytest.mark.django_db


def _json(client: Client, url: str, status: int = 200, **params: Any) -> Any:
    response = client.get(url, params)
    assert response.status_code == status, response.content
    return response.json()


def test_seasons_latest_first(client: Client, county: County) -> None:
    later = build_county("330120", "邻县")
    later.season.school_year = 2027
    later.season.save()
    body = _json(client, "/api/public/seasons")
    assert [s["id"] for s in body] == [later.season.pk, county.season.pk]


def test_the_policy_with_its_digest_tiers_and_documents(client: Client, county: County) -> None:
    body = _json(client, "/api/public/policy", season=county.season.pk)
    text = county.season.policy_toml
    assert body["policy_toml"] == text
    assert body["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert body["readable"] is True
    assert body["preferences_allowed"] == 3
    primary = next(s for s in body["stages"] if s["stage"] == "primary")
    assert [t["name"] for t in primary["tiers"]] == ["房户一致", "片区内居住"]
    assert "户籍迁入不晚于 2025-08-31" in primary["tiers"][0]["conditions"]
    titles = [d["title"] for d in body["documents"]]
    assert "中华人民共和国义务教育法" in titles


def test_an_unknown_season_is_a_json_404(client: Client, county: County) -> None:
    body = _json(client, "/api/public/policy", status=404, season=999999)
    assert body["error"] == "not_found"
    assert body["message"]


def test_no_season_at_all_is_a_json_404(client: Client, db: None) -> None:
    assert _json(client, "/api/public/schools", status=404)["error"] == "not_found"


def test_schools_filter_by_stage_and_kind(client: Client, county: County) -> None:
    body = _json(client, "/api/public/schools", kind="private")
    assert [s["code"] for s in body] == [county.private.code]
    assert body[0]["applications"] == 1
    assert body[0]["plan_seats"] == 40
    body = _json(client, "/api/public/schools", stage="junior")
    assert [(s["code"], s["zones"]) for s in body] == [(county.junior.code, ["ZJ1"])]


def test_zones_and_hotlines(client: Client, county: County) -> None:
    Hotline.objects.create(season=county.season, name="招生办", phone="0571-1", hours="8-17")
    zones = _json(client, "/api/public/zones")
    assert zones["type"] == "FeatureCollection"
    assert {f["id"] for f in zones["features"]} == {"Z01", "Z02", "ZJ1"}
    assert _json(client, "/api/public/hotlines") == [
        {"name": "招生办", "phone": "0571-1", "hours": "8-17"}
    ]


def test_lookup_by_point_on_a_shared_border(client: Client, county: County) -> None:
    body = _json(client, "/api/public/lookup", lon=120.05, lat=30.025)
    primary = body["result"]["stages"][0]
    assert primary["stage"] == "primary"
    assert (primary["zone"], primary["containing"], primary["shared_border"]) == (
        "Z01",
        ["Z01", "Z02"],
        True,
    )
    assert [s["code"] for s in primary["schools"]] == [county.east.code]
    assert [s["code"] for s in primary["private_schools"]] == [county.private.code]


def test_lookup_by_text_places_a_single_match(client: Client, county: County) -> None:
    Address.objects.create(season=county.season, code="H8", text="和平街8号", lon=120.2, lat=30.0)
    body = _json(client, "/api/public/lookup", q="和平街")
    assert body["total"] == 1
    assert body["result"]["address"]["code"] == "H8"
    primary = body["result"]["stages"][0]
    assert primary["outside"] is True
    assert primary["zone"] is None
    assert [z["code"] for z in primary["nearby"]] == ["Z02", "Z01"]


def test_lookup_by_text_lists_several_matches_and_places_none(
    client: Client, county: County
) -> None:
    body = _json(client, "/api/public/lookup", q="幸福路")
    assert body["total"] == len(body["matches"]) == len(county.applications)
    assert body["result"] is None
    code = body["matches"][0]["code"]
    chosen = _json(client, "/api/public/lookup", address=code)
    assert chosen["result"]["address"]["code"] == code


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"q": "幸"}, 422, "q"),
        ({"address": "NOPE"}, 404, "address"),
        ({}, 422, "lon"),
        ({"lon": 120.0}, 422, "lat"),
        ({"lon": 200.0, "lat": 30.0}, 422, "lon"),
        ({"lon": "east", "lat": 30.0}, 422, "lon"),  # refused by the schema: the same body
    ],
)
def test_lookup_refusals_name_the_field(
    client: Client, county: County, params: dict[str, Any], status: int, field: str
) -> None:
    body = _json(client, "/api/public/lookup", status=status, **params)
    assert body["field"] == field
    assert body["message"]


@pytest.fixture
def versions(county: County, settings: Settings) -> tuple[PublishedVersion, PublishedVersion]:
    settings.SUNSHINE_PUBLICATION_K = 1
    people = {"actor": make_user(Role.BUREAU_REVIEWER), "approver": make_user(Role.BUREAU_ADMIN)}
    first = publish_list(county.season, "admitted", None, **people)
    admit(county.applications["a1"], county.east)
    return first, publish_list(county.season, "admitted", None, reason="补录", **people)


def test_publications_their_versions_and_diff(
    client: Client, versions: tuple[PublishedVersion, PublishedVersion]
) -> None:
    first, second = versions
    lists = _json(client, "/api/public/publications")
    assert [(x["id"], x["latest_version"], x["versions"]) for x in lists] == [
        (second.list_id, 2, 2)
    ]
    body = _json(client, f"/api/public/publications/{second.list_id}/versions/2")
    assert body["sha256"] == second.sha256
    assert hashlib.sha256(canonical_json(body["rows"])).hexdigest() == second.sha256
    assert (body["published_by_role"], body["approved_by_role"]) == (
        "bureau_reviewer",
        "bureau_admin",
    )
    diff = _json(client, f"/api/public/publications/{second.list_id}/diff/1/2")
    a1 = first.list.season.applications.get(code__endswith="-A1")
    assert [r["code"] for r in diff["added"]] == [a1.code]
    assert [s["reason"] for s in diff["steps"]] == ["补录"]
    assert _json(client, f"/api/public/publications/{second.list_id}/diff/2/1", 404)
    assert _json(client, f"/api/public/publications/{second.list_id}/versions/9", 404)


def _ceremony(county: County, *, publish: bool) -> Ceremony:
    admin = make_user(Role.BUREAU_ADMIN)
    notary: User = make_user(Role.NOTARY)
    held = ceremony_services.freeze_pool(county.season, actor=admin, label="示范县摇号")
    held = ceremony_services.announce(held, actor=admin, witness_roles=["notary"])
    ceremony_services.add_witness_input(held, actor=notary, role="notary", name="张", value="99")
    if not publish:
        return held
    return ceremony_services.publish(ceremony_services.draw(held, actor=admin), actor=admin)


def test_a_published_ceremony_its_transcript_and_a_number(client: Client, county: County) -> None:
    held = _ceremony(county, publish=True)
    listed = _json(client, "/api/public/ceremonies")
    assert [(c["id"], c["state"], c["seed"]) for c in listed] == [(held.pk, "published", held.seed)]
    detail = _json(client, f"/api/public/ceremonies/{held.pk}")
    assert detail["pool_size"] == len(held.pool_ids)
    assert detail["inputs"] == [{"role": "notary", "name": "张", "value": "99"}]
    transcript = client.get(f"/api/public/ceremonies/{held.pk}/transcript")
    assert transcript.content == held.transcript.encode("utf-8")
    code = county.applications["a2"].code
    number = _json(client, "/api/public/lottery/number", public_id=code)
    assert number["ceremony_id"] == held.pk
    assert int(number["number"]) == number_of(bytes.fromhex(held.seed), number["key"])
    assert number["number_hex"] == number["digest"][:16]


def test_values_and_seed_stay_hidden_before_the_draw(client: Client, county: County) -> None:
    held = _ceremony(county, publish=False)
    detail = _json(client, f"/api/public/ceremonies/{held.pk}")
    assert detail["seed"] is None
    assert detail["inputs"] == [{"role": "notary", "name": "张", "value": None}]
    assert _json(client, f"/api/public/ceremonies/{held.pk}/transcript", 404)["error"]
    missing = _json(
        client, "/api/public/lottery/number", 404, public_id=county.applications["a2"].code
    )
    assert missing["field"] == "public_id"
