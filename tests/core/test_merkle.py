"""RFC 6962 tree hashing and proofs: the Certificate Transparency test vectors, then
properties over random trees."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sunshine.core import merkle

pytestmark = pytest.mark.no_postgres_rerun

# The eight leaves every CT implementation tests with, and the MTH of the first n of them
# (as published with RFC 6962 implementations, e.g. transparency-dev/merkle testonly).
LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    b"\x50\x51\x52\x53\x54\x55\x56\x57",
    b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
]
HASHES = [merkle.leaf_hash(d) for d in LEAVES]
ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# (leaf index, tree size) -> audit path
INCLUSION = {
    (0, 1): [],
    (0, 2): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"],
    (1, 2): ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"],
    (2, 3): ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
    (1, 5): [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
    (0, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (5, 8): [
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
}
# (old size, new size) -> consistency proof
CONSISTENCY = {
    (1, 1): [],
    (1, 8): [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    (6, 8): [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
    (2, 5): [
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
}


def _hex(hashes: list[bytes]) -> list[str]:
    return [h.hex() for h in hashes]


def _reference_root(hashes: list[bytes]) -> bytes:
    """The recursive definition of RFC 6962 §2.1, to check the iterative one against."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return merkle.node_hash(_reference_root(hashes[:k]), _reference_root(hashes[k:]))


def test_leaf_and_node_hashes_are_domain_separated() -> None:
    assert merkle.leaf_hash(b"L123456").hex() == (
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert merkle.node_hash(b"N123", b"N456").hex() == (
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


@pytest.mark.parametrize("size", range(9))
def test_roots_match_the_rfc6962_vectors(size: int) -> None:
    assert merkle.root(HASHES[:size]).hex() == ROOTS[size]


def test_prefix_roots_give_every_vector_in_one_pass() -> None:
    roots = merkle.prefix_roots(iter(HASHES), range(12))
    assert {n: r.hex() for n, r in roots.items()} == ROOTS


@pytest.mark.parametrize(("index", "size"), sorted(INCLUSION))
def test_inclusion_proofs_match_the_vectors(index: int, size: int) -> None:
    proof = merkle.inclusion_proof(HASHES, index, size)
    assert _hex(proof) == INCLUSION[(index, size)]
    root = bytes.fromhex(ROOTS[size])
    assert merkle.verify_inclusion(HASHES[index], index, size, proof, root)


@pytest.mark.parametrize(("old", "new"), sorted(CONSISTENCY))
def test_consistency_proofs_match_the_vectors(old: int, new: int) -> None:
    proof = merkle.consistency_proof(HASHES, old, new)
    assert _hex(proof) == CONSISTENCY[(old, new)]
    old_root, new_root = bytes.fromhex(ROOTS[old]), bytes.fromhex(ROOTS[new])
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)


def test_corrupted_vector_proofs_are_refused() -> None:
    proof = [bytes.fromhex(h) for h in INCLUSION[(5, 8)]]
    root = bytes.fromhex(ROOTS[8])
    assert not merkle.verify_inclusion(HASHES[5], 4, 8, proof, root)  # wrong index
    assert not merkle.verify_inclusion(HASHES[5], 5, 16, proof, root)  # wrong size
    assert not merkle.verify_inclusion(HASHES[4], 5, 8, proof, root)  # wrong leaf
    assert not merkle.verify_inclusion(HASHES[5], 5, 8, [*proof, root], root)  # trailing
    assert not merkle.verify_inclusion(HASHES[5], 5, 8, proof[:-1], root)  # removed
    assert not merkle.verify_inclusion(HASHES[5], 8, 8, proof, root)  # out of range
    cons = [bytes.fromhex(h) for h in CONSISTENCY[(6, 8)]]
    old_root = bytes.fromhex(ROOTS[6])
    assert not merkle.verify_consistency(6, 8, old_root, bytes.fromhex(ROOTS[7]), cons)
    assert not merkle.verify_consistency(5, 8, old_root, root, cons)
    assert not merkle.verify_consistency(6, 8, old_root, root, [])
    assert not merkle.verify_consistency(8, 6, root, old_root, cons)


def test_bad_proof_requests_are_refused() -> None:
    with pytest.raises(ValueError, match="no leaf 8"):
        merkle.inclusion_proof(HASHES, 8, 8)
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_proof(HASHES, 5, 4)


leaf_lists = st.lists(st.binary(max_size=8), min_size=1, max_size=70).map(
    lambda data: [merkle.leaf_hash(d) for d in data]
)


def _flip(value: bytes, position: int) -> bytes:
    position %= len(value)
    return value[:position] + bytes([value[position] ^ 0x01]) + value[position + 1 :]


@given(leaf_lists)
def test_the_iterative_root_equals_the_recursive_definition(hashes: list[bytes]) -> None:
    assert merkle.root(hashes) == _reference_root(hashes)


@given(leaf_lists, st.data())
def test_every_inclusion_proof_verifies_and_a_flipped_byte_fails(
    hashes: list[bytes], data: st.DataObject
) -> None:
    size = data.draw(st.integers(1, len(hashes)))
    index = data.draw(st.integers(0, size - 1))
    root = merkle.root(hashes[:size])
    proof = merkle.inclusion_proof(hashes, index, size)
    assert len(proof) <= (size - 1).bit_length()
    assert merkle.verify_inclusion(hashes[index], index, size, proof, root)
    where = data.draw(st.integers(0, 10_000))
    assert not merkle.verify_inclusion(_flip(hashes[index], where), index, size, proof, root)
    assert not merkle.verify_inclusion(hashes[index], index, size, proof, _flip(root, where))
    if proof:
        bad = list(proof)
        i = where % len(bad)
        bad[i] = _flip(bad[i], where)
        assert not merkle.verify_inclusion(hashes[index], index, size, bad, root)


@given(leaf_lists, st.data())
def test_every_consistency_proof_verifies_and_a_flipped_byte_fails(
    hashes: list[bytes], data: st.DataObject
) -> None:
    new = data.draw(st.integers(1, len(hashes)))
    old = data.draw(st.integers(1, new))
    old_root, new_root = merkle.root(hashes[:old]), merkle.root(hashes[:new])
    proof = merkle.consistency_proof(hashes, old, new)
    assert merkle.verify_consistency(old, new, old_root, new_root, proof)
    where = data.draw(st.integers(0, 10_000))
    assert not merkle.verify_consistency(old, new, _flip(old_root, where), new_root, proof)
    assert not merkle.verify_consistency(old, new, old_root, _flip(new_root, where), proof)
    if proof:
        bad = list(proof)
        i = where % len(bad)
        bad[i] = _flip(bad[i], where)
        assert not merkle.verify_consistency(old, new, old_root, new_root, bad)


@given(leaf_lists, st.data())
def test_a_changed_leaf_breaks_consistency_with_the_old_tree(
    hashes: list[bytes], data: st.DataObject
) -> None:
    old = data.draw(st.integers(1, len(hashes)))
    victim = data.draw(st.integers(0, old - 1))
    old_root = merkle.root(hashes[:old])
    forged = [*hashes, merkle.leaf_hash(b"late")]
    forged[victim] = merkle.leaf_hash(b"forged" + forged[victim])
    proof = merkle.consistency_proof(forged, old, len(forged))
    assert not merkle.verify_consistency(old, len(forged), old_root, merkle.root(forged), proof)
