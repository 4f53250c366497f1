"""Pages answer a domain error the service raised with its status and its one readable line."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sunshine.errors import DomainError, RateLimited


class DomainErrorMiddleware:
    """A view that lets a :class:`DomainError` escape gets a 4xx page, never a 500.
    Forms should still catch errors they can place beside a field; this is the backstop."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        context = {"message": str(exception), "status": exception.http_status}
        response = render(request, "portal/error.html", context, status=exception.http_status)
        if isinstance(exception, RateLimited) and exception.retry_after:
            response["Retry-After"] = str(exception.retry_after)
        return response
