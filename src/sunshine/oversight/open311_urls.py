"""Open311 GeoReport v2, mounted at /open311/v2/ (JSON only)."""

from django.urls import path

from sunshine.oversight import open311

app_name = "open311"

urlpatterns = [
    path("services.json", open311.services_list, name="services"),
    path("services/<str:code>.json", open311.service_definition, name="service"),
    path("requests.json", open311.requests_view, name="requests"),
    path("requests/<str:code>.json", open311.request_detail, name="request"),
]
