"""The admin over a loaded season: every list and detail page renders, list views mask ID
numbers and names, and the audit log cannot be edited from it."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from sunshine.accounts.models import User
from sunshine.admissions.models import Application
from sunshine.admissions.services import import_package
from sunshine.audit.models import AuditEvent
from sunshine.core.ids import mask_id
from tests.admissions.packages import small_package

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "pw-for-tests-only")
    client = Client()
    client.force_login(user)
    return client


def test_every_registered_model_lists_and_opens(superuser_client: Client) -> None:
    import_package(small_package(), actor="cli:test")
    for model in admin.site._registry:
        opts = model._meta
        listing = superuser_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        )
        assert listing.status_code == 200, opts.label
        first = model._default_manager.first()
        if first is not None:
            page = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            assert superuser_client.get(page).status_code == 200, opts.label


def test_the_application_list_masks_the_child_and_the_detail_shows_it(
    superuser_client: Client,
) -> None:
    import_package(small_package(), actor="cli:test")
    app = Application.objects.get(code="2026-0001")
    app.child_id_number = "110101201908011234"
    app.save(update_fields=["child_id_number"])
    listing = superuser_client.get(reverse("admin:admissions_application_changelist"))
    text = listing.content.decode()
    assert mask_id("110101201908011234") in text
    assert "110101201908011234" not in text
    assert "张*明" in text
    assert "张小明" not in text
    detail = superuser_client.get(reverse("admin:admissions_application_change", args=[app.pk]))
    assert "110101201908011234" in detail.content.decode()


def test_the_audit_log_is_read_only_in_the_admin(superuser_client: Client) -> None:
    import_package(small_package(), actor="cli:test")
    event = AuditEvent.objects.get(action="season.imported")
    add = superuser_client.get(reverse("admin:audit_auditevent_add"))
    assert add.status_code == 403
    delete = superuser_client.post(
        reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    change = superuser_client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"actor": "someone else"}
    )
    assert change.status_code == 403
    event.refresh_from_db()
    assert event.actor == "cli:test"


def test_no_admission_record_can_be_changed_by_hand(superuser_client: Client) -> None:
    """Seats, decisions and applications change only through audited services."""
    import_package(small_package(), actor="test")
    app = Application.objects.get(code="2026-0001")
    change = reverse("admin:admissions_application_change", args=[app.pk])
    response = superuser_client.post(change, {"child_name": "王五", "status": "admitted"})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == "submitted"
    for model in ("season", "school", "zone", "address", "application", "decision", "admission"):
        add = superuser_client.get(reverse(f"admin:admissions_{model}_add"))
        assert add.status_code == 403, model
