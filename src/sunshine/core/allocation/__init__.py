"""Allocation: who gets which seat, and why (公民同招 private draw, then priority_first or
deferred acceptance over public choices, then 统筹 overflow; waitlists and explanations).

Pure functions over :class:`sunshine.core.market.Market`; see each module's docstring.
"""

from sunshine.core.allocation.engine import allocate
from sunshine.core.allocation.explain import ChildExplanation, Choice, Why, explain, reasons
from sunshine.core.allocation.explain_text import render_all, render_one
from sunshine.core.allocation.ranks import priority_ranks
from sunshine.core.allocation.result import NONE, Allocation, Status

__all__ = [
    "NONE",
    "Allocation",
    "ChildExplanation",
    "Choice",
    "Status",
    "Why",
    "allocate",
    "explain",
    "priority_ranks",
    "reasons",
    "render_all",
    "render_one",
]
