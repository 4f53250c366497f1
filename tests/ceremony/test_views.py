"""The public lottery pages: list, ceremony, transcript, verifier, and a family's number."""

from __future__ import annotations

import hashlib

import pytest
from django.conf import settings
from django.test import Client

from sunshine import verify_lottery
from sunshine.admissions.models import Season
from sunshine.ceremony.models import Ceremony
from sunshine.core.lottery import draw, number_of
from tests.ceremony.conftest import People, announced, published
from tests.portal.html_text import CJK, visible_text

pytestmark = pytest.mark.django_db


def data_values(ceremony: Ceremony) -> tuple[str, ...]:
    return (ceremony.label, str(ceremony.season), "张公证", "李家长", "简体中文")


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_pages_render_in_both_languages(
    client: Client, season: Season, people: People, lang: str
) -> None:
    ceremony = published(season, people)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    first = ceremony.pool_ids[0]
    for url in ("/lottery/", f"/lottery/{ceremony.pk}/", f"/lottery/number/?public_id={first}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == lang
        text = visible_text(response.content.decode(), without=(*data_values(ceremony), first))
        if lang == "en":
            assert not CJK.search(text), (url, CJK.findall(text)[:10])
        else:
            assert "摇号" in text


def test_the_ceremony_page_shows_fingerprint_inputs_seed_and_how_to_verify(
    client: Client, season: Season, people: People
) -> None:
    ceremony = published(season, people)
    html = client.get(f"/lottery/{ceremony.pk}/").content.decode()
    for shown in (ceremony.pool_fingerprint, ceremony.seed, "314159", "sunshine lottery verify"):
        assert shown in html
    assert f"/lottery/{ceremony.pk}/transcript.json" in html
    assert "/lottery/verify_lottery.py" in html


def test_typed_values_and_seed_stay_hidden_before_the_draw(
    client: Client, season: Season, people: People
) -> None:
    from sunshine.ceremony import services

    ceremony = announced(season, people)
    services.add_witness_input(
        ceremony, actor=people.notary, role="notary", name="张", value="8675309"
    )
    html = client.get(f"/lottery/{ceremony.pk}/").content.decode()
    assert ceremony.pool_fingerprint in html
    assert "8675309" not in html
    assert client.get(f"/lottery/{ceremony.pk}/transcript.json").status_code == 404


def test_the_transcript_and_the_verifier_download(
    client: Client, season: Season, people: People
) -> None:
    ceremony = published(season, people)
    response = client.get(f"/lottery/{ceremony.pk}/transcript.json")
    assert response["Content-Type"] == "application/json"
    assert response.content == ceremony.transcript.encode("utf-8")
    script = client.get("/lottery/verify_lottery.py")
    body = b"".join(script.streaming_content)  # type: ignore[attr-defined]  # a FileResponse
    with open(verify_lottery.__file__, "rb") as f:
        assert body == f.read()


def test_the_number_page_shows_the_right_number_and_derivation(
    client: Client, season: Season, people: People
) -> None:
    ceremony = published(season, people)
    pool = ceremony.pool()
    seed = bytes.fromhex(ceremony.seed)
    result = draw(pool, seed)
    public_id = pool.ids[len(pool.ids) // 2]
    i = pool.index(public_id)
    key = pool.ids[int(pool.key_index()[i])]
    number = number_of(seed, key)
    assert int(result.numbers[i]) == number
    html = client.get("/lottery/number/", {"public_id": public_id}).content.decode()
    message = b"sunshine/lottery/v1/number\x00" + seed + key.encode()
    assert f"{number:016x}" in html
    assert message.hex() in html
    assert hashlib.sha256(message).hexdigest() in html
    assert f"第 {int(result.positions[i])} 位" in html


def test_an_unknown_id_gets_a_clear_error(client: Client, season: Season, people: People) -> None:
    published(season, people)
    response = client.get("/lottery/number/", {"public_id": "NO-SUCH-ID"})
    assert response.status_code == 404
    assert "没有找到报名编号 NO-SUCH-ID" in response.content.decode()


def test_an_id_only_in_an_unpublished_draw_is_not_found(
    client: Client, season: Season, people: People
) -> None:
    ceremony = announced(season, people)
    response = client.get("/lottery/number/", {"public_id": ceremony.pool_ids[0]})
    assert response.status_code == 404


def test_the_empty_form_renders_without_an_error(client: Client) -> None:
    response = client.get("/lottery/number/")
    assert response.status_code == 200
    assert 'role="alert"' not in response.content.decode()
