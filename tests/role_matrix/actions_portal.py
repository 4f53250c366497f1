"""The public portal: its pages and /api/public/. Everyone may read all of it."""

from __future__ import annotations

from tests.role_matrix.framework import EVERYONE, Action, Attempt, page
from tests.role_matrix.world import World


def _a(w: World) -> str:
    return f"?season={w.a.season.pk}"


def _version(w: World) -> tuple[int, int]:
    return w.published.list_id, w.published.number


ACTIONS = [
    page("portal: home", "/", EVERYONE, "portal:home"),
    page("portal: zones GeoJSON", "/zones.geojson", EVERYONE, "portal:zones_geojson"),
    page("portal: schools GeoJSON", "/schools.geojson", EVERYONE, "portal:schools_geojson"),
    page("portal: policy", lambda w: f"/policy/{_a(w)}", EVERYONE, "portal:policy"),
    page(
        "portal: policy file",
        lambda w: f"/policy/policy.toml{_a(w)}",
        EVERYONE,
        "portal:policy_toml",
    ),
    page("portal: schools", lambda w: f"/schools/{_a(w)}&kind=public", EVERYONE, "portal:schools"),
    page("portal: hotlines", lambda w: f"/hotlines/{_a(w)}", EVERYONE, "portal:hotlines"),
    page(
        "portal: look up an address",
        lambda w: f"/lookup/{_a(w)}&lon=120.06&lat=30.02",
        EVERYONE,
        "portal:address_lookup",
    ),
    page("portal: published lists", "/publications/", EVERYONE, "portal:publication_index"),
    page(
        "portal: a published version",
        lambda w: "/publications/{}/v{}/".format(*_version(w)),
        EVERYONE,
        "portal:publication_version",
    ),
    page(
        "portal: a version's rows as JSON",
        lambda w: "/publications/{}/v{}.json".format(*_version(w)),
        EVERYONE,
        "portal:publication_rows_json",
    ),
    page(
        "portal: a diff of two versions",
        lambda w: f"/publications/{w.published.list_id}/diff/1/2/",
        EVERYONE,
        "portal:publication_diff",
    ),
    page("lottery: ceremonies", "/lottery/", EVERYONE, "ceremony:list"),
    page(
        "lottery: a ceremony", lambda w: f"/lottery/{w.ceremony.pk}/", EVERYONE, "ceremony:detail"
    ),
    page(
        "lottery: a transcript",
        lambda w: f"/lottery/{w.ceremony.pk}/transcript.json",
        EVERYONE,
        "ceremony:transcript",
    ),
    page("lottery: the verifier", "/lottery/verify_lottery.py", EVERYONE, "ceremony:verifier"),
    page(
        "lottery: a family's number",
        lambda w: f"/lottery/number/?public_id={w.a.applications['a1'].code}",
        EVERYONE,
        "ceremony:number",
    ),
    # The JSON API
    page("api: seasons", "/api/public/seasons", EVERYONE, "api:public_seasons"),
    page("api: policy", lambda w: f"/api/public/policy{_a(w)}", EVERYONE, "api:public_policy"),
    page("api: schools", lambda w: f"/api/public/schools{_a(w)}", EVERYONE, "api:public_schools"),
    page("api: zones", lambda w: f"/api/public/zones{_a(w)}", EVERYONE, "api:public_zones"),
    page(
        "api: hotlines", lambda w: f"/api/public/hotlines{_a(w)}", EVERYONE, "api:public_hotlines"
    ),
    page(
        "api: look up an address",
        lambda w: f"/api/public/lookup{_a(w)}&q=幸福路",
        EVERYONE,
        "api:public_address_lookup",
    ),
    page("api: published lists", "/api/public/publications", EVERYONE, "api:public_publications"),
    page(
        "api: a published version",
        lambda w: "/api/public/publications/{}/versions/{}".format(*_version(w)),
        EVERYONE,
        "api:public_publication_version",
    ),
    page(
        "api: a diff of two versions",
        lambda w: f"/api/public/publications/{w.published.list_id}/diff/1/2",
        EVERYONE,
        "api:public_publication_diff",
    ),
    page("api: ceremonies", "/api/public/ceremonies", EVERYONE, "api:public_ceremonies"),
    page(
        "api: a ceremony",
        lambda w: f"/api/public/ceremonies/{w.ceremony.pk}",
        EVERYONE,
        "api:public_ceremony",
    ),
    page(
        "api: a transcript",
        lambda w: f"/api/public/ceremonies/{w.ceremony.pk}/transcript",
        EVERYONE,
        "api:public_ceremony_transcript",
    ),
    page(
        "api: a family's number",
        lambda w: f"/api/public/lottery/number?public_id={w.a.applications['a1'].code}",
        EVERYONE,
        "api:public_lottery_number",
    ),
]


def _language(a: Attempt) -> object:
    return a.post("/i18n/setlang/", {"language": "en", "next": "/"})


ACTIONS.append(Action("portal: switch the language", _language, EVERYONE, ("set_language",)))
