"""Small helpers shared by the campaign and blacklist pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from sunshine.campaigns.scope import READER_ROLES, region_of
from sunshine.errors import DomainError

View = Callable[..., HttpResponse]


def reader_required(view: View) -> View:
    """Signed in, with an oversight role and a region; otherwise 403 (or the login page)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if getattr(user, "role", None) not in READER_ROLES or region_of(user) is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def place_error(form: forms.Form, error: DomainError) -> bool:
    """Show a service's error beside its field when the form has that field; False when it
    belongs nowhere on the form (the caller re-raises it for the error page)."""
    if error.field and error.field in form.fields:
        form.add_error(error.field, str(error))
        return True
    if error.http_status in (409, 422):
        form.add_error(None, str(error))
        return True
    return False
