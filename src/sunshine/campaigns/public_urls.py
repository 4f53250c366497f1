"""The public blacklist, mounted at /blacklist/ by sunshine.config.urls."""

from django.urls import path

from sunshine.campaigns import public_views

app_name = "blacklist"

urlpatterns = [
    path("", public_views.public_list, name="list"),
]
