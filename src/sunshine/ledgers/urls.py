from django.urls import URLPattern, path, register_converter

from sunshine.ledgers import checklist_views, views
from sunshine.ledgers.specs import SPECS

app_name = "ledgers"


class CountyConverter:
    """A six-digit county code."""

    regex = "[0-9]{6}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class LedgerConverter:
    """A ledger's URL slug (clues, violations, ...)."""

    regex = "|".join(spec.slug for spec in SPECS.values())

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CountyConverter, "ledgers_county")
register_converter(LedgerConverter, "ledgers_kind")

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("<ledgers_county:region>/", views.county, name="county"),
    path("<ledgers_county:region>/checklist/", checklist_views.checklist, name="checklist"),
    path(
        "<ledgers_county:region>/checklist/<int:item_no>/",
        checklist_views.checklist_item,
        name="checklist_item",
    ),
    path(
        "<ledgers_county:region>/checklist/export.xlsx",
        checklist_views.checklist_export,
        name="checklist_export",
    ),
    path(
        "<ledgers_county:region>/checklist/import/",
        checklist_views.checklist_import,
        name="checklist_import",
    ),
    path(
        "<ledgers_county:region>/evidence/<int:pk>/",
        checklist_views.evidence_download,
        name="evidence",
    ),
    path(
        "<ledgers_county:region>/evidence/<int:pk>/void/",
        checklist_views.evidence_void,
        name="evidence_void",
    ),
    path(
        "<ledgers_county:region>/rectifications/<int:number>/complete/",
        views.rectification_complete,
        name="rectification_complete",
    ),
    path(
        "<ledgers_county:region>/rectifications/<int:number>/follow-up/",
        views.rectification_follow_up,
        name="rectification_follow_up",
    ),
    path("<ledgers_county:region>/<ledgers_kind:kind>/", views.row_list, name="list"),
    path("<ledgers_county:region>/<ledgers_kind:kind>/new/", views.row_create, name="create"),
    path("<ledgers_county:region>/<ledgers_kind:kind>/export.xlsx", views.export, name="export"),
    path("<ledgers_county:region>/<ledgers_kind:kind>/import/", views.import_view, name="import"),
    path("<ledgers_county:region>/<ledgers_kind:kind>/<int:number>/", views.row_edit, name="edit"),
    path(
        "<ledgers_county:region>/<ledgers_kind:kind>/<int:number>/void/",
        views.row_void,
        name="void",
    ),
]
