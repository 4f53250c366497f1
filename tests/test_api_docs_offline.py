"""The API's docs page works on a closed network: its scripts come from our static files."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_api_docs_page_uses_local_assets(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/ninja/" in body
    assert "cdn" not in body.lower()
