"""Equitable, balanced edge colouring of a small bipartite multigraph (de Werra).

Balanced classes reduce to this: each child is an edge between a *left* vertex (its gender) and
a *right* vertex (its special-needs category, or its migrant status when it has none), and
each class is a colour. A colouring with ``k`` colours is

* **equitable** when at every vertex each colour appears ``floor(d/k)`` or ``ceil(d/k)`` times
  (``d`` = the vertex's degree), and
* **balanced** when every colour colours ``floor(E/k)`` or ``ceil(E/k)`` edges.

Both always exist for bipartite multigraphs. The construction: start from any colouring; while
some vertex (or the totals) has colours ``i`` and ``j`` two or more apart, re-colour the edges
of those two colours by walking them in trails and alternating ``i, j`` along each trail. In a
bipartite graph every closed trail has even length, so each pass through a vertex uses one of
each colour; only the two ends of an open trail get one extra, and each vertex ends at most one
open trail. Every step makes ``i`` and ``j`` equitable everywhere and strictly lowers the sum of
squared counts, so the loop ends.
"""

from __future__ import annotations

from collections.abc import Sequence


def equitable_colouring(edges: Sequence[tuple[int, int]], k: int, n_vertices: int) -> list[int]:
    """A colour in ``0..k-1`` for each edge ``(left, right)``; vertex numbers are global
    (``0..n_vertices-1``) and every edge must join a left vertex to a right one.

    The starting colouring deals the edges round-robin in the given order, so giving the
    edges grouped by left vertex usually leaves little to repair.
    """
    colour = [p % k for p in range(len(edges))]
    if k <= 1 or len(edges) <= 1:
        return colour
    counts = [[0] * k for _ in range(n_vertices)]
    for e, (u, v) in enumerate(edges):
        counts[u][colour[e]] += 1
        counts[v][colour[e]] += 1
    while (pair := _unbalanced_pair(counts, colour, k)) is not None:
        _rebalance(edges, colour, counts, *pair)
    return colour


def _unbalanced_pair(counts: list[list[int]], colour: list[int], k: int) -> tuple[int, int] | None:
    totals = [0] * k
    for c in colour:
        totals[c] += 1
    for row in [totals, *counts]:
        hi, lo = max(row), min(row)
        if hi - lo >= 2:
            return row.index(hi), row.index(lo)
    return None


def _rebalance(
    edges: Sequence[tuple[int, int]], colour: list[int], counts: list[list[int]], i: int, j: int
) -> None:
    ids = [e for e, c in enumerate(colour) if c in (i, j)]
    incident: dict[int, list[int]] = {}
    for e in ids:
        u, v = edges[e]
        incident.setdefault(u, []).append(e)
        incident.setdefault(v, []).append(e)
        counts[u][colour[e]] -= 1
        counts[v][colour[e]] -= 1
    degree = {x: len(es) for x, es in incident.items()}
    used: set[int] = set()
    surplus = 0  # (edges coloured i) - (edges coloured j) so far

    def alternate(trail: list[int]) -> None:
        nonlocal surplus
        # An odd trail has one more edge of its first colour: pick it to even out the totals.
        first, second = (j, i) if len(trail) % 2 and surplus > 0 else (i, j)
        for step, e in enumerate(trail):
            colour[e] = first if step % 2 == 0 else second
            surplus += 1 if colour[e] == i else -1

    # Open trails first, each from a vertex of odd remaining degree (it ends at another such
    # vertex), so every vertex ends at most one open trail. What is left is even: closed trails.
    for start in [x for x in incident if degree[x] % 2]:
        if degree[start] % 2:
            alternate(_walk(start, edges, incident, degree, used))
    for start in incident:
        while degree[start]:
            alternate(_walk(start, edges, incident, degree, used))
    for e in ids:
        u, v = edges[e]
        counts[u][colour[e]] += 1
        counts[v][colour[e]] += 1


def _walk(
    start: int,
    edges: Sequence[tuple[int, int]],
    incident: dict[int, list[int]],
    degree: dict[int, int],
    used: set[int],
) -> list[int]:
    trail: list[int] = []
    at = start
    while degree[at]:
        stack = incident[at]
        while stack[-1] in used:
            stack.pop()
        e = stack.pop()
        used.add(e)
        trail.append(e)
        u, v = edges[e]
        nxt = v if at == u else u
        degree[at] -= 1
        degree[nxt] -= 1
        at = nxt
    return trail
