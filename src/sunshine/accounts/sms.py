"""Sending text messages (短信) through a pluggable backend.

``SUNSHINE_SMS_BACKEND`` names a class with a ``send(phone, text)`` method; it is built once
per message, so a backend may read settings in ``__init__``. Two ship with Sunshine:

* :class:`ConsoleBackend` (the default) writes the message to the log and to stderr, for
  development and demonstrations: the code appears in the terminal running the server;
* :class:`OutboxBackend` keeps messages in :data:`outbox`, for tests.

A production deployment writes a small backend for its provider's API and names it here.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from sunshine.core.ids import mask_id

logger = logging.getLogger("sunshine.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Message:
    phone: str
    text: str


class ConsoleBackend:
    def send(self, phone: str, text: str) -> None:
        line = f"[sms to {mask_id(phone)}] {text}"
        logger.warning(line)
        print(line, file=sys.stderr, flush=True)


outbox: list[Message] = []


class OutboxBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append(Message(phone, text))


def backend() -> SmsBackend:
    cls = import_string(settings.SUNSHINE_SMS_BACKEND)
    instance: SmsBackend = cls()
    return instance


def send_sms(phone: str, text: str) -> None:
    backend().send(phone, text)
