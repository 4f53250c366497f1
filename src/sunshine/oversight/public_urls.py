"""Public complaint pages, mounted at /complaints/."""

from django.urls import path

from sunshine.oversight import public_views

app_name = "complaints"

urlpatterns = [
    path("", public_views.complaint_form, name="new"),
    path("status/", public_views.status_lookup, name="status"),
    path("<str:code>/", public_views.status_detail, name="status_detail"),
    path("<str:code>/receipt.json", public_views.receipt, name="receipt"),
]
