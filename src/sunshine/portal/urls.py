from django.urls import path

from sunshine.portal import audit_views, info_views, lookup_views, publication_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("zones.geojson", views.zones_geojson, name="zones_geojson"),
    path("schools.geojson", views.schools_geojson, name="schools_geojson"),
    path("policy/", info_views.policy, name="policy"),
    path("policy/policy.toml", info_views.policy_toml, name="policy_toml"),
    path("schools/", info_views.schools, name="schools"),
    path("hotlines/", info_views.hotlines, name="hotlines"),
    path("lookup/", lookup_views.address_lookup, name="address_lookup"),
    path("publications/", publication_views.publication_index, name="publication_index"),
    path(
        "publications/<int:list_id>/v<int:number>/",
        publication_views.publication_version,
        name="publication_version",
    ),
    path(
        "publications/<int:list_id>/v<int:number>.json",
        publication_views.publication_rows_json,
        name="publication_rows_json",
    ),
    path(
        "publications/<int:list_id>/diff/<int:old>/<int:new>/",
        publication_views.publication_diff,
        name="publication_diff",
    ),
    path("audit/checkpoints/", audit_views.checkpoints, name="audit_checkpoints"),
    path("audit/checkpoints.json", audit_views.checkpoints_json, name="audit_checkpoints_json"),
    path("audit/receipt/", audit_views.receipt, name="audit_receipt"),
    path("audit/events/", audit_views.events, name="audit_events"),
]
