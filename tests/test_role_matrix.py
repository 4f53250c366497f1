"""The role × action matrix: every action, every actor (see tests/role_matrix/__init__.py)."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatch
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from sunshine.config.api import ROUTERS, api
from tests.role_matrix.framework import Action, Attempt, Outcome, attempt
from tests.role_matrix.world import ACTORS, World, build_world, signing_key_setting

_PACKAGE = Path(__file__).parent / "role_matrix"
MODULES = sorted(p.stem for p in _PACKAGE.glob("actions_*.py"))
ACTIONS: list[Action] = [
    action for m in MODULES for action in import_module(f"tests.role_matrix.{m}").ACTIONS
]

# Apps whose pages and endpoints are still being written: remove yours when you add
# tests/role_matrix/actions_<app>.py, and the coverage test holds you to every page and endpoint.
AWAITING: frozenset[str] = frozenset()
# Pages and operations of apps not in AWAITING that are being written by another app's owner
# (patterns as for fnmatch): sign-up (with families).
AWAITING_NAMES: tuple[str, ...] = ()
# URL names that are no action of a user (with why).
UNCOVERED = {
    "admin:*": "the Django admin is for site staff only; 'admin: the index' stands for it",
}


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """One world for the whole module, in a transaction rolled back at its end: each test then
    runs in a savepoint of it, so the world is built once and no test's changes leak."""
    settings = override_settings(
        SUNSHINE_PUBLICATION_K=1,
        SUNSHINE_AUDIT_SIGNING_KEY=signing_key_setting(),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), settings:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _cases() -> list[Any]:
    return [
        pytest.param(action, actor, id=f"{action.name} | {actor}")
        for action in ACTIONS
        for actor in ACTORS
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "actor"), _cases())
def test_role_matrix(world: World, action: Action, actor: str) -> None:
    client = Client()
    user = world.user(actor)
    if user is not None:
        client.force_login(user)
    got = attempt(action, Attempt(client, world, actor, user))
    want = Outcome.ALLOWED if actor in action.allowed else Outcome.DENIED
    assert got is want, f"{action.name}: {actor} was {got.value}, must be {want.value}"


def test_action_names_are_unique() -> None:
    names = [a.name for a in ACTIONS]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


def _url_names(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, str]]:
    """(namespaced URL name, the sunshine app whose module serves it, or "") of every page."""
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            module = getattr(p.callback, "__module__", "") or ""
            parts = module.split(".")
            app = parts[1] if len(parts) > 2 and parts[0] == "sunshine" else ""
            yield f"{namespace}{p.name}", app


def _api_operations() -> Iterator[tuple[str, str]]:
    """(operation id, the app whose router serves it) of every API operation."""
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        prefix = path.removeprefix("/api/").split("/", 1)[0]
        for operation in methods.values():
            yield operation["operationId"], ROUTERS.get(prefix, prefix)


def _exempt(name: str, app: str) -> bool:
    patterns = (*UNCOVERED, *AWAITING_NAMES)
    return app in AWAITING or any(fnmatch(name, pattern) for pattern in patterns)


@pytest.mark.no_postgres_rerun
def test_every_page_and_endpoint_has_an_action() -> None:
    covered = {c for a in ACTIONS for c in a.covers}
    # The API's own URL patterns are its operations, taken from the OpenAPI schema below.
    pages = {(n, app) for n, app in _url_names(get_resolver().url_patterns) if n[:4] != "api:"}
    operations = {(f"api:{op}", app) for op, app in _api_operations()}
    missing = sorted(
        name for name, app in pages | operations if name not in covered and not _exempt(name, app)
    )
    assert not missing, f"no role-matrix action covers: {missing}"


@pytest.mark.no_postgres_rerun
def test_covers_name_real_pages_and_operations() -> None:
    known = {name for name, _app in _url_names(get_resolver().url_patterns)}
    known |= {f"api:{op}" for op, _app in _api_operations()}
    stale = sorted({c for a in ACTIONS for c in a.covers} - known)
    assert not stale, f"actions cover names that do not exist: {stale}"
