"""Bar charts as inline SVG, from our own few lines of geometry.

No charting library: the charts are plain bars, the output is deterministic
(same figures, same bytes: reports can be compared and archived), needs no
JavaScript or network, and prints crisply at any scale. The markup comes from a
Jinja2 template (autoescaped), never from string concatenation.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from dutydesk.render.document import Chart
from dutydesk.render.jinja import environment

WIDTH = 640  # user units; the SVG scales to the page width
BAR_HEIGHT = 16
GAP = 6
LABEL_WIDTH = 220
COLUMN_HEIGHT = 90


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    label: str
    value: str
    label_x: float
    label_y: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class Geometry:
    width: int
    height: int
    bars: tuple[Bar, ...]
    axis: tuple[float, float, float, float]  # x1 y1 x2 y2
    title: str
    columns: bool


def _fmt(v: float, unit: str) -> str:
    text = f"{v:g}"
    return f"{text}{unit}"


def geometry(chart: Chart) -> Geometry:
    """Where each bar goes: horizontal bars, or one column per label."""
    top = max((v for _l, v in chart.bars), default=0) or 1
    if chart.columns:
        n = max(1, len(chart.bars))
        left, bottom = 24.0, 20.0 + COLUMN_HEIGHT
        step = (WIDTH - left - 4) / n
        bars = []
        for i, (label, v) in enumerate(chart.bars):
            h = COLUMN_HEIGHT * v / top
            x = left + i * step + step * 0.15
            bars.append(
                Bar(x, bottom - h, step * 0.7, h, label, _fmt(v, chart.unit) if v else "",
                    x + step * 0.35, bottom + 12, x + step * 0.35, bottom - h - 3)
            )  # fmt: skip
        height = int(bottom + 18)
        return Geometry(
            WIDTH, height, tuple(bars), (left, bottom, WIDTH - 4, bottom), chart.title, True
        )
    span = WIDTH - LABEL_WIDTH - 60
    bars = []
    for i, (label, v) in enumerate(chart.bars):
        y = 6 + i * (BAR_HEIGHT + GAP)
        w = span * v / top
        bars.append(
            Bar(LABEL_WIDTH, y, w, BAR_HEIGHT, label, _fmt(v, chart.unit),
                LABEL_WIDTH - 6, y + BAR_HEIGHT - 4, LABEL_WIDTH + w + 4, y + BAR_HEIGHT - 4)
        )  # fmt: skip
    height = 12 + len(bars) * (BAR_HEIGHT + GAP)
    return Geometry(
        WIDTH, height, tuple(bars), (LABEL_WIDTH, 0, LABEL_WIDTH, height), chart.title, False
    )


def render_svg(chart: Chart) -> Markup:
    """The chart as an ``<svg>`` element (safe to place in the page as is)."""
    return Markup(environment().get_template("bar_chart.svg.j2").render(g=geometry(chart)))
