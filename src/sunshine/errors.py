"""The root of every domain error a caller of a service can cause.

Each error carries one readable line (``str(error)``) and the HTTP status the web and the API
answer with; the CLI prints the line and exits 2. ``field`` names the form or JSON field at
fault when there is one, so a page can show the message beside it.
"""

from __future__ import annotations


class DomainError(Exception):
    http_status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def as_json(self) -> dict[str, str]:
        body = {"error": self.code, "message": str(self)}
        if self.field:
            body["field"] = self.field
        return body


class NotAllowed(DomainError):
    """The actor's role or scope does not permit this action on this object."""

    http_status = 403
    code = "forbidden"


class NotFound(DomainError):
    http_status = 404
    code = "not_found"


class Conflict(DomainError):
    """The object is in a state where the action cannot run (closed window, wrong step...)."""

    http_status = 409
    code = "conflict"


class Invalid(DomainError):
    """A value the action cannot accept."""

    http_status = 422
    code = "invalid"


class RateLimited(DomainError):
    """Too many attempts in a short time; try again later (HTTP 429). ``retry_after`` is how
    long to wait, when the limiter knows it."""

    http_status = 429
    code = "rate_limited"

    def __init__(
        self, message: str, *, field: str | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after
