"""RFC 6962 Merkle tree hashing (section 2.1).

Leaves and interior nodes are domain-separated (0x00 / 0x01 prefixes) so a leaf can never be
passed off as a node.
"""

from __future__ import annotations

import hashlib


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()
