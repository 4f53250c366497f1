from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import Client
from pytest_django.fixtures import Settings
from tests.portal.factories import build_county, make_user
from tests.portal.html_text import CJK, visible_text

from sunshine.accounts.models import Role
from sunshine.audit.checkpoints import publish_checkpoint, receipt_for
from sunshine.audit.keys import public_key_bytes, raw_private_key
from sunshine.audit.services import record_event
from sunshine.core.merkle import leaf_hash

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checkpointed_log(settings: Settings) -> None:
    key = Ed25519PrivateKey.generate()
    settings.SUNSHINE_AUDIT_SIGNING_KEY = base64.b64encode(raw_private_key(key)).decode()
    with transaction.atomic():
        for i in range(5):
            record_event(actor="cli:test", action="demo", object_type="x", object_id=str(i))
    publish_checkpoint(actor="cli:test")


def test_the_checkpoints_page_lists_them_with_the_public_key(client: Client) -> None:
    page = client.get("/audit/checkpoints/")
    assert page.status_code == 200
    html = page.content.decode()
    assert base64.b64encode(public_key_bytes()).decode() in html
    assert receipt_for(0)["checkpoint"]["root_hash"] in html


def test_the_checkpoints_download_is_the_published_json(client: Client) -> None:
    response = client.get("/audit/checkpoints.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [c["tree_size"] for c in data["checkpoints"]] == [5]
    assert base64.b64decode(data["public_key"]) == public_key_bytes()


def test_a_pasted_receipt_is_verified(client: Client) -> None:
    page = client.post("/audit/receipt/", {"receipt": json.dumps(receipt_for(2))})
    assert page.status_code == 200
    assert "回执有效" in page.content.decode()


def test_a_receipt_of_a_tampered_log_is_refused_with_the_reason(client: Client) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT canonical FROM audit_auditevent WHERE seq = 2")
        forged = cursor.fetchone()[0].replace('"demo"', '"forged"')
        cursor.execute(
            "UPDATE audit_auditevent SET canonical = %s, leaf_hash = %s WHERE seq = 2",
            [forged, leaf_hash(forged.encode()).hex()],
        )
    page = client.post("/audit/receipt/", {"receipt": json.dumps(receipt_for(2))})
    html = page.content.decode()
    assert "回执无效" in html
    assert "the inclusion proof does not lead to the root of tree size 5" in html


def test_text_that_is_not_json_is_a_form_error(client: Client) -> None:
    page = client.post("/audit/receipt/", {"receipt": "{not json"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "这不是有效的 JSON。" in html
    assert "回执无效" not in html


def test_the_audit_pages_read_in_english(client: Client) -> None:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in ("/audit/checkpoints/", "/audit/receipt/"):
        # The switch back to Chinese is written in Chinese on purpose.
        text = visible_text(client.get(url).content.decode()).replace("简体中文", "")
        assert not CJK.search(text), (url, CJK.findall(text))
    assert "Audit log checkpoints" in client.get("/audit/checkpoints/").content.decode()


def test_the_events_page_is_for_auditors_of_the_region(client: Client) -> None:
    county = build_county()
    with transaction.atomic():
        record_event(
            actor="cli:test",
            action="season.x",
            object_type="season",
            object_id=str(county.season.pk),
        )
    assert client.get("/audit/events/").status_code == 302  # to sign in
    client.force_login(make_user(Role.PARENT))
    assert client.get("/audit/events/").status_code == 403
    client.force_login(make_user(Role.INSPECTOR, region_code="330110"))
    page = client.get("/audit/events/", {"object_type": "season"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="audit-event"') == 1
    assert "season.x" in html
    client.force_login(make_user(Role.INSPECTOR, region_code="330120"))
    html = client.get("/audit/events/", {"object_type": "season"}).content.decode()
    assert 'data-testid="audit-event"' not in html
