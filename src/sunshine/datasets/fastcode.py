"""The fast reader's second half: code the ids of a :class:`~.fastread.FastPackage` in the
very spaces and order of :func:`~sunshine.datasets.to_core.stage_inputs` (the same function,
:func:`~.to_core.code_ids`, with a coder over bytes that continues the registry columns the
reader coded already), then check the unique keys and the references to ``addresses`` on the
integer codes, and assemble the engine's inputs.

A code is the position of an id's first occurrence in its space, so the ids of a key column
that comes first in its space are unique exactly when their codes count 0, 1, 2, ...; other
keys are unique when their code tuples are; an address reference is known when its code falls
among the address ids, which come first in their space.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from sunshine.core.evidence import Relation
from sunshine.core.policy import Stage
from sunshine.datasets.bytecsv import Declined, encoded
from sunshine.datasets.factorize import Head, code_after, code_head, shared_byte_codes
from sunshine.datasets.package import DataPackage
from sunshine.datasets.schema import RELATIONS, STAGES
from sunshine.datasets.to_core import (
    ADDRESSES,
    HEADS,
    Coded,
    Coder,
    StageInputs,
    assemble,
    code_ids,
    code_registries,
)

Columns = dict[str, np.ndarray]


def coded_inputs(
    package: DataPackage, registries: dict[str, Columns], heads: dict[int, Head]
) -> dict[Stage, StageInputs]:
    """``heads``: spaces whose :data:`~.to_core.HEADS` columns were coded already
    (:func:`code_heads`; those columns may be gone from ``registries``); the others are coded
    here. Raises :class:`Declined` when a key repeats or an address is unknown."""
    heads = {**heads, **code_heads(registries, set(range(len(HEADS))) - set(heads))}
    stages = package.policy.stages
    apps = package["applications"]
    usage = registries["seat_usage"]
    rows = {s: np.flatnonzero(apps["stage"] == s.value) for s in stages}
    u_rows = {s: np.flatnonzero(usage["stage"] == STAGES.index(s.value)) for s in stages}
    guardians = {s: apps["guardian_ids"][rows[s]] for s in stages}

    def column(table: str, name: str) -> np.ndarray:
        return apps[name] if table == "applications" else registries[table][name]

    coded = code_ids(column, _coder(heads), stages, rows, u_rows, guardians)
    _check_keys(registries, coded, u_rows)
    _check_addresses(registries, heads, coded)
    usage_year = {s: usage["year"][u_rows[s]] for s in stages}
    by_choice = np.array([int(Relation[name.upper()]) for name in RELATIONS], dtype=np.int8)
    relation = by_choice[registries["households"]["relation"]]
    return assemble(
        package, rows, usage_year, coded.per_stage, code_registries(column, relation, coded.shared)
    )


def code_heads(registries: dict[str, Columns], spaces: Iterable[int]) -> dict[int, Head]:
    """The :data:`~.to_core.HEADS` columns of ``spaces``, coded, each space on its own."""
    return {i: code_head([registries[t][c] for t, c in HEADS[i]]) for i in spaces}


def _coder(heads: dict[int, Head]) -> Coder:
    """Codes the rest of each space after its head: the pieces are ``S`` arrays (registries)
    or object arrays of str (the applications' columns)."""

    def code(space: int, pieces: list[np.ndarray]) -> list[np.ndarray]:
        as_bytes = [p if p.dtype.kind == "S" else encoded(p.tolist()).values for p in pieces]
        return [*heads[space].codes, *code_after(heads[space], as_bytes)]

    return code


def _check_keys(
    registries: dict[str, Columns], coded: Coded, u_rows: dict[Stage, np.ndarray]
) -> None:
    shared = coded.shared
    for first in ("addresses.address_id", "households.person_id"):
        leading = shared[first]  # first in its space: unique exactly when 0, 1, 2, ...
        if not np.array_equal(leading, np.arange(len(leading))):
            raise Declined(f"{first} repeats")
    for single in ("social_security.person_id", "births.child_id", "vaccinations.child_id"):
        _unique(single, shared[single])
    _unique("properties key", shared["properties.certificate_no"], shared["properties.owner_id"])
    issued = registries["residence_permits"]["issued_on"].view(np.int64)
    _unique("residence_permits key", shared["residence_permits.person_id"], issued)
    usage = registries["seat_usage"]
    for stage, rows in u_rows.items():
        codes = coded.per_stage[stage]
        _unique("seat_usage key", codes.usage_certificate, usage["year"][rows], codes.usage_child)
    other = np.ones(len(usage["year"]), dtype=bool)
    for rows in u_rows.values():
        other[rows] = False
    if other.any():  # rows of a stage the policy does not run: coded here only for the key
        rows = np.flatnonzero(other)
        certs, children = (
            shared_byte_codes([usage[name][rows]])[0] for name in ("certificate_no", "child_id")
        )
        _unique("seat_usage key", certs, usage["year"][rows], usage["stage"][rows], children)


def _unique(what: str, *columns: np.ndarray) -> None:
    """Raise Declined unless the rows of ``columns`` (integer codes) are distinct tuples."""
    key = columns[0].astype(np.int64)
    for column in columns[1:]:  # pair up, renumbering densely so that the product stays small
        extra = _dense(column.astype(np.int64))
        key = _dense(key) * (int(extra.max(initial=0)) + 1) + extra
    ordered = np.sort(key)
    if bool((ordered[1:] == ordered[:-1]).any()):
        raise Declined(f"{what} repeats")


def _dense(values: np.ndarray) -> np.ndarray:
    """int64: the rank of each value among the distinct values (0, 1, 2, ...)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    rank = np.empty(len(values), dtype=np.int64)
    rank[order] = np.cumsum(np.concatenate(([False], ordered[1:] != ordered[:-1])))
    return rank


def _check_addresses(registries: dict[str, Columns], heads: dict[int, Head], coded: Coded) -> None:
    """Every address reference names a row of addresses.csv (to_core maps an unknown one to
    -1; every column but births' is required, so -1 there is unknown)."""
    required = [coded.shared[f"{t}.address_id"] for t in ("households", "properties")]
    required.append(coded.shared["residence_permits.address_id"])
    required += [codes.claimed_address for codes in coded.per_stage.values()]
    if any(int(c.min(initial=0)) < 0 for c in required):
        raise Declined("an unknown address")
    # The addresses' space opens with addresses.csv's ids: a code past them is unknown there.
    births = code_after(heads[ADDRESSES], [registries["births"]["address_id"]])[0]
    if (births >= len(heads[ADDRESSES].codes[0])).any():
        raise Declined("a birth record names an unknown address")
