"""The Ed25519 key that signs audit checkpoints.

Production sets ``SUNSHINE_AUDIT_SIGNING_KEY`` (base64 of the 32-byte raw private key). A local
installation without it gets a key generated once into ``SUNSHINE_HOME/audit-signing-key``
(mode 0600), so a demo's checkpoints stay verifiable across restarts.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_FILE_NAME = "audit-signing-key"


def _from_base64(text: str, where: str) -> Ed25519PrivateKey:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
        return Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, binascii.Error) as exc:
        raise ImproperlyConfigured(
            f"{where} must be the base64 of a 32-byte Ed25519 private key"
        ) from exc


def raw_private_key(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _generated_key(path: Path) -> Ed25519PrivateKey:
    if path.is_file():
        return _from_base64(path.read_text(encoding="ascii"), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    # O_EXCL: two processes racing to create the key can't both win and sign with different keys.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(base64.b64encode(raw_private_key(key)).decode("ascii") + "\n")
    return key


def signing_key() -> Ed25519PrivateKey:
    configured: str = settings.SUNSHINE_AUDIT_SIGNING_KEY
    if configured:
        return _from_base64(configured, "SUNSHINE_AUDIT_SIGNING_KEY")
    return _generated_key(Path(settings.HOME) / KEY_FILE_NAME)


def public_key_bytes() -> bytes:
    return signing_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
