"""RFC 6962 Merkle tree hashing (section 2.1), inclusion and consistency proofs.

Leaves and interior nodes are domain-separated (0x00 / 0x01 prefixes) so a leaf can never be
passed off as a node. Every function here takes *leaf hashes*, not leaf data: the audit log
stores them, and hashing 10^6 leaves once is the expensive part.

Proofs follow RFC 6962 §2.1.1 (PATH) and §2.1.2 (PROOF); the verifiers follow the algorithms of
RFC 9162 §2.1.3.2 and §2.1.4.2, which need nothing but the proof, the sizes and the two roots.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256 of the empty string


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def _fold(stack: list[tuple[int, bytes]]) -> bytes:
    """Root of a tree given its perfect subtrees, largest (leftmost) first."""
    root = stack[-1][1]
    for _, h in reversed(stack[:-1]):
        root = node_hash(h, root)
    return root


def _push(stack: list[tuple[int, bytes]], h: bytes) -> None:
    # Appending a leaf merges equal-sized perfect subtrees, like a binary counter.
    size = 1
    while stack and stack[-1][0] == size:
        h = node_hash(stack.pop()[1], h)
        size *= 2
    stack.append((size, h))


def prefix_roots(leaf_hashes: Iterable[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """MTH of the first ``m`` leaves for every ``m`` in ``sizes``, in one pass over the leaves.
    Sizes beyond the number of leaves are left out of the result."""
    wanted = sorted(set(sizes))
    out: dict[int, bytes] = {}
    if wanted and wanted[0] < 0:
        raise ValueError("a tree size can't be negative")
    pos = 0
    while pos < len(wanted) and wanted[pos] == 0:
        out[0] = EMPTY_ROOT
        pos += 1
    stack: list[tuple[int, bytes]] = []
    for count, h in enumerate(leaf_hashes, start=1):
        if pos == len(wanted):
            break
        _push(stack, h)
        if count == wanted[pos]:
            out[count] = _fold(stack)
            pos += 1
    return out


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH over all leaves (iterative; equal to the recursive definition of RFC 6962)."""
    if not leaf_hashes:
        return EMPTY_ROOT
    stack: list[tuple[int, bytes]] = []
    for h in leaf_hashes:
        _push(stack, h)
    return _fold(stack)


def _subtree(leaf_hashes: Sequence[bytes], lo: int, hi: int) -> bytes:
    return root(leaf_hashes[lo:hi])


def inclusion_proof(leaf_hashes: Sequence[bytes], index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 6962 §2.1.1, leaf-side first."""
    if not 0 <= index < size <= len(leaf_hashes):
        raise ValueError(f"no leaf {index} in a tree of size {size}")
    path: list[bytes] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(_subtree(leaf_hashes, lo + k, hi))
            hi = lo + k
        else:
            path.append(_subtree(leaf_hashes, lo, lo + k))
            lo += k
    path.reverse()
    return path


def consistency_proof(leaf_hashes: Sequence[bytes], old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) of RFC 6962 §2.1.2."""
    if not 0 <= old_size <= new_size <= len(leaf_hashes):
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    proof: list[bytes] = []
    lo, hi, m, complete = 0, new_size, old_size, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            proof.append(_subtree(leaf_hashes, lo + k, hi))
            hi = lo + k
        else:
            proof.append(_subtree(leaf_hashes, lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        proof.append(_subtree(leaf_hashes, lo, hi))
    proof.reverse()
    return proof


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` put ``leaf`` at ``index`` of the tree ``expected_root``?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected_root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree ``old_root`` a prefix of the tree ``new_root``?"""
    if not 0 <= old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof  # the empty tree is a prefix of every tree
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two is itself a subtree
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0
