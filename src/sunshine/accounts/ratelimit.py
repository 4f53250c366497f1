"""Sliding-window rate limits kept in the database: at most ``most`` counted attempts of one
key in the last ``window``, refused with :class:`sunshine.errors.RateLimited` (HTTP 429).

The same shape as sign-up's SMS limits (:mod:`sunshine.accounts.signup`), which count the codes
they sent; this table is for limits whose attempts leave no row of their own: a wrong co-sign
password (:mod:`sunshine.planning.cosign`), a complaint posted through Open311. A key is stored
only as a keyed digest (like ``PhoneCode.client_digest``), and a scope's rows older than its
window are deleted whenever a new one is counted.

The functions that read and count run inside the caller's transaction: the caller reads the
window (locking its rows), decides, counts, audits and commits in one piece. :func:`take` is
the whole of it for a limit that counts every attempt.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sunshine.accounts.models import RateLimitHit
from sunshine.audit.services import Actor, personal_ref, record_event
from sunshine.errors import RateLimited


@dataclass(frozen=True, slots=True)
class Limit:
    most: int  # 0: no limit
    window: dt.timedelta

    @classmethod
    def from_settings(cls, most: str, window_minutes: str) -> Limit:
        """The limit named by two settings: a count and a window in minutes."""
        minutes = int(getattr(settings, window_minutes))
        return cls(max(0, int(getattr(settings, most))), dt.timedelta(minutes=max(1, minutes)))


@dataclass(frozen=True, slots=True)
class Window:
    """The attempts of one key counted in its limit's window, oldest first."""

    limit: Limit
    times: tuple[dt.datetime, ...]
    at: dt.datetime

    @property
    def full(self) -> bool:
        return self.limit.most > 0 and len(self.times) >= self.limit.most

    @property
    def open_at(self) -> dt.datetime:
        """When the next attempt is counted again: once enough of the window's attempts have
        aged out of it (``at`` itself when the window is not full)."""
        if not self.full:
            return self.at
        return self.times[len(self.times) - self.limit.most] + self.limit.window

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait, at least 1 while the window is full."""
        if not self.full:
            return 0
        return max(1, math.ceil((self.open_at - self.at).total_seconds()))


def digest(value: str) -> str:
    """The stored form of a key: a digest keyed with the server's secret."""
    return personal_ref(value)[len("sha256:") :]


def _trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(p, strict=False) for p in settings.SUNSHINE_TRUSTED_PROXIES]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_address(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR``, unless that is one of
    ``SUNSHINE_TRUSTED_PROXIES``; then the right-most address of ``X-Forwarded-For`` that is
    not itself a trusted proxy (each proxy appends the address it was reached from, so the
    entries to the left of the last untrusted one are whatever the client chose to send).
    From an untrusted peer the header is ignored. A header that is missing, or that holds
    only trusted proxies, leaves the peer's address; one with an entry that is not an IP
    address gives that entry up: the client is the hop beyond it, which cannot be known, so
    the last proxy's address stands in."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = _trusted_proxies()
    if not trusted:
        return remote

    def is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address.version == net.version and address in net for net in trusted)

    peer = _address(remote)
    if peer is None or not is_trusted(peer):
        return remote
    client = peer
    # Several X-Forwarded-For headers arrive joined with commas, as one list.
    forwarded = request.headers.get("X-Forwarded-For", "")
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:  # garbage where an address should be: stop at the last good hop
            break
        client = address
        if not is_trusted(address):
            break
    return str(client)


def window(scope: str, key: str, limit: Limit, *, at: dt.datetime) -> Window:
    """The key's attempts in the window ending at ``at``. Their rows stay locked until the
    caller's transaction ends, so two requests racing for one key are counted one after the
    other."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a rate limit is read inside the caller's transaction")
    times = (
        RateLimitHit.objects.select_for_update()
        .filter(scope=scope, key=key, at__gt=at - limit.window)
        .order_by("at")
        .values_list("at", flat=True)
    )
    return Window(limit, tuple(times), at)


def count(scope: str, key: str, limit: Limit, *, at: dt.datetime) -> None:
    """Count one attempt of the key (nothing when there is no limit), and forget the scope's
    attempts that have left the window."""
    if limit.most <= 0:
        return
    RateLimitHit.objects.filter(scope=scope, at__lte=at - limit.window).delete()
    RateLimitHit.objects.create(scope=scope, key=key, at=at)


def clear(scope: str, key: str) -> None:
    """Forget the key's attempts (a co-signer who gave the right password starts afresh)."""
    RateLimitHit.objects.filter(scope=scope, key=key).delete()


def take(
    scope: str,
    value: str,
    limit: Limit,
    *,
    actor: Actor,
    action: str,
    at: dt.datetime | None = None,
) -> None:
    """Count one attempt of ``value``, or refuse it when the window is full (refusals are
    not counted, so they neither extend the wait nor fill the table).

    The attempt that fills the window is audited as ``action`` (object ``client``, the value
    only as a salted reference): once per lockout, not once per refused request, so a flood
    of refused requests writes nothing."""
    at = at or timezone.now()
    key = digest(value)
    with transaction.atomic():
        seen = window(scope, key, limit, at=at)
        if not seen.full:
            count(scope, key, limit, at=at)
            if limit.most > 0 and len(seen.times) + 1 >= limit.most:
                record_event(
                    actor=actor,
                    action=action,
                    object_type="client",
                    object_id=personal_ref(value),
                    detail={
                        "scope": scope,
                        "limit": limit.most,
                        "window_minutes": int(limit.window.total_seconds() // 60),
                    },
                    at=at,
                )
            return
    raise RateLimited(_("请求过于频繁，请稍后再试"), retry_after=seen.retry_after)
