"""Bar charts drawn on the server as SVG: one bar per row, its figure at its end, an axis with
ticks and a title under the plot, and a sentence per row as the text alternative. A row whose
value is unknown (a month not counted yet, a year without counts) is drawn as a gap — an empty
dashed frame saying so — never as a zero. The template (``catalogue/_chart.html``) only draws
what is worked out here; the same figures stand in a table beside the chart.
"""
from __future__ import annotations

import dataclasses
import math

from core import i18n
from core.i18n import gettext

WIDTH = 440
LABEL_COLUMN = 120
VALUE_ROOM = 70
TOP = 8
BAR = 16
GAP = 8
AXIS_ROOM = 42


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value: int | None
    y: float
    width: float
    text: str

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclasses.dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclasses.dataclass(frozen=True)
class BarChart:
    title: str
    axis_title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_width: float
    plot_bottom: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    bar_height: int = BAR


def _nice_step(top: int) -> int:
    """A round step for about four ticks: 1, 2, 5 × a power of ten."""
    if top <= 4:
        return 1
    raw = top / 4
    power = 10 ** int(math.floor(math.log10(raw)))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def bar_chart(title: str, axis_title: str, rows: list[tuple[str, int | None]], missing_text: str = "") -> BarChart:
    """A horizontal bar chart of ``rows`` (label, whole number or None for unknown)."""
    missing_text = missing_text or gettext("no figure")
    known = [value for _, value in rows if value is not None]
    step = _nice_step(max(known, default=0))
    top = max(step, math.ceil(max(known, default=0) / step) * step)
    plot_width = WIDTH - LABEL_COLUMN - VALUE_ROOM
    bars = []
    sentences = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * (BAR + GAP)
        if value is None:
            bars.append(Bar(label, None, y, plot_width, missing_text))
            sentences.append(f"{label}: {missing_text}.")
        else:
            text = i18n.format_number(value)
            bars.append(Bar(label, value, y, plot_width * value / top, text))
            sentences.append(f"{label}: {text}.")
    plot_bottom = TOP + len(rows) * (BAR + GAP)
    ticks = tuple(Tick(LABEL_COLUMN + plot_width * n * step / top, i18n.format_number(n * step))
                  for n in range(int(top / step) + 1))
    description = f"{title}. " + " ".join(sentences)
    return BarChart(title, axis_title, description, WIDTH, int(plot_bottom + AXIS_ROOM), LABEL_COLUMN, plot_width,
                    plot_bottom, tuple(bars), ticks)
