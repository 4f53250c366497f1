"""Horizontal bar charts laid out for inline SVG: pure geometry, no Django, no drawing library.

Each category is a block: its label on one line, then one bar per series under it, so long
school names never squeeze the bars on a phone. The template draws the rectangles and text
this computes, and puts the same numbers in a table under the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 400.0
LABEL_HEIGHT = 16.0
BAR_HEIGHT = 14.0
BAR_GAP = 3.0
BLOCK_GAP = 10.0
VALUE_ROOM = 44.0  # right of the longest bar, for its number
TOP = 4.0


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    css: str  # a class of analytics/charts.css giving the colour
    values: Sequence[int]


@dataclass(frozen=True, slots=True)
class Bar:
    series: str
    css: str
    value: int
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True, slots=True)
class Block:
    label: str
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    width: float
    height: float
    blocks: tuple[Block, ...]
    series: tuple[Series, ...]
    max_value: int

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def bar_chart(categories: Sequence[str], series: Sequence[Series]) -> BarChart:
    """Lay out ``series`` (each with one value per category) as grouped horizontal bars."""
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)}")
        if any(v < 0 for v in s.values):
            raise ValueError(f"series {s.name!r} has a negative value")
    top = max((v for s in series for v in s.values), default=0)
    scale = (WIDTH - VALUE_ROOM) / top if top else 0.0
    blocks = []
    y = TOP
    for i, label in enumerate(categories):
        label_y = y + LABEL_HEIGHT - 4
        y += LABEL_HEIGHT
        bars = []
        for s in series:
            value = int(s.values[i])
            width = value * scale
            bars.append(
                Bar(
                    s.name,
                    s.css,
                    value,
                    0.0,
                    round(y, 2),
                    round(width, 2),
                    BAR_HEIGHT,
                    round(width + 4, 2),
                    round(y + BAR_HEIGHT - 3, 2),
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        blocks.append(Block(label, round(label_y, 2), tuple(bars)))
        y += BLOCK_GAP
    return BarChart(WIDTH, round(max(y, TOP + LABEL_HEIGHT), 2), tuple(blocks), tuple(series), top)
