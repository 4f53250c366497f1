"""The public pages of published lists: index, version with digest, and the diff that shows a
late insertion with who approved it and why."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings
from tests.portal.factories import County, admit, make_user

from sunshine.accounts.models import Role
from sunshine.admissions.models import PublishedVersion
from sunshine.admissions.publication import publish_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(county: County, settings: Settings) -> tuple[PublishedVersion, PublishedVersion]:
    settings.SUNSHINE_PUBLICATION_K = 1  # the test county has a handful of children
    clerk = make_user(Role.BUREAU_REVIEWER)
    chief = make_user(Role.BUREAU_ADMIN)
    first = publish_list(county.season, "admitted", None, actor=clerk, approver=chief)
    admit(county.applications["a1"], county.east)
    second = publish_list(
        county.season, "admitted", None, actor=clerk, approver=chief, reason="复核后补录"
    )
    return first, second


def test_the_index_lists_each_list_with_its_latest_version(
    client: Client, versions: tuple[PublishedVersion, PublishedVersion]
) -> None:
    page = client.get(reverse("portal:publication_index"))
    assert page.status_code == 200
    listing = versions[1].list
    assert reverse("portal:publication_version", args=[listing.pk, 2]) in page.content.decode()


def test_the_index_without_lists_says_so(client: Client, county: County) -> None:
    page = client.get(reverse("portal:publication_index"))
    assert "尚无公示名单" in page.content.decode()


def test_a_version_page_shows_masked_rows_digest_and_roles(
    client: Client, county: County, versions: tuple[PublishedVersion, PublishedVersion]
) -> None:
    first = versions[0]
    page = client.get(reverse("portal:publication_version", args=[first.list_id, 1]))
    text = page.content.decode()
    assert first.sha256 in text
    assert "李*" in text
    assert "李四" not in text
    assert county.applications["a2"].child_id_number not in text
    assert "教育局审核人员" in text
    assert "教育局管理员" in text
    assert reverse("portal:publication_diff", args=[first.list_id, 1, 2]) in text  # newer


def test_the_downloaded_rows_hash_to_the_published_digest(
    client: Client, versions: tuple[PublishedVersion, PublishedVersion]
) -> None:
    second = versions[1]
    body = client.get(reverse("portal:publication_rows_json", args=[second.list_id, 2])).content
    assert hashlib.sha256(body).hexdigest() == second.sha256
    assert len(json.loads(body)) == 2


def test_the_diff_shows_the_late_insertion_with_approver_and_reason(
    client: Client, county: County, versions: tuple[PublishedVersion, PublishedVersion]
) -> None:
    second = versions[1]
    page = client.get(reverse("portal:publication_diff", args=[second.list_id, 1, 2]))
    text = page.content.decode()
    assert page.status_code == 200
    assert county.applications["a1"].code in text  # the added row
    assert "张*三" in text
    assert "复核后补录" in text
    assert "教育局管理员" in text
    assert county.applications["a2"].code not in text  # unchanged rows are not repeated


@pytest.mark.parametrize(("old", "new"), [(2, 1), (1, 1), (1, 9)])
def test_a_diff_needs_an_earlier_and_a_later_existing_version(
    client: Client, versions: tuple[PublishedVersion, PublishedVersion], old: int, new: int
) -> None:
    url = reverse("portal:publication_diff", args=[versions[0].list_id, old, new])
    assert client.get(url).status_code == 404
