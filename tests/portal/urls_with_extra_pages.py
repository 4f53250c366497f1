"""The site's URLs plus a stand-in seat-warnings page at a path the index looks for."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def _warnings(request: HttpRequest) -> HttpResponse:
    return HttpResponse("seat warnings")


urlpatterns = [
    path("seat-warnings/", _warnings),
    path("", include("sunshine.config.urls")),
]
