"""The JSON API: one django-ninja instance, one router per app (``sunshine.<app>.api``).

Handlers only parse, call a service and serialise, like the pages; a domain error becomes a
4xx with a JSON body ``{"error", "message", "field"?}`` (a 429 with ``Retry-After`` when the
limiter knows the wait). Signed-in calls use the session (and
so CSRF on unsafe methods), the same login as the site.
"""

from __future__ import annotations

from importlib import import_module

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from sunshine.errors import DomainError, RateLimited

# Mount point under /api/ -> app whose ``api.router`` serves it.
ROUTERS = {
    "public": "portal",
    "accounts": "accounts",
    "family": "families",
    "admissions": "admissions",
    "review": "review",
    "planning": "planning",
    "lottery": "ceremony",
    "audit": "audit",
    "cases": "oversight",
    "ledgers": "ledgers",
    "campaigns": "campaigns",
}

api = NinjaAPI(
    title="Sunshine (阳光招生) API",
    version="1",
    description="Every action the pages offer, through the same services.",
    urls_namespace="api",
)

for prefix, app in ROUTERS.items():
    api.add_router(f"/{prefix}/", import_module(f"sunshine.{app}.api").router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, exc.as_json(), status=exc.http_status)
    if isinstance(exc, RateLimited) and exc.retry_after:
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"error": "unauthenticated", "message": "sign in first"}
    return api.create_response(request, body, status=401)


@api.exception_handler(ValidationError)
def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A request the schema refuses gets the same body as a domain error (docs/api.md), plus
    pydantic's list of problems under ``detail``."""
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("query", "body")]
    body = {
        "error": "invalid",
        "message": str(first.get("msg", "invalid request")),
        "field": location[-1] if location else "",
        "detail": exc.errors,
    }
    return api.create_response(request, body, status=422)
