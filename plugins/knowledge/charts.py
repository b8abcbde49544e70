"""Learnings and methods per focus area as a server-drawn SVG chart: per focus area two bars
(learnings, methods) with their figures, on a common counted axis with gridlines, and a text
alternative that says every figure. The table beside it holds the same numbers. The geometry
is worked out here; the template only draws it (``knowledge/_chart.html``)."""
from __future__ import annotations

import dataclasses

from core import i18n
from core.i18n import gettext as _
from core.web.charts import axis

WIDTH = 600
LABEL_COLUMN = 230
VALUE_ROOM = 40
TOP = 8
BAR = 13
BAR_GAP = 2
ROW_GAP = 12
AXIS_ROOM = 44
SERIES = (("learnings", "bar-committed"), ("methods", "bar-paid"))


@dataclasses.dataclass(frozen=True)
class Bar:
    series: str
    css_class: str
    y: float
    width: float
    value: int


@dataclasses.dataclass(frozen=True)
class Row:
    label: str
    label_y: float
    bars: tuple[Bar, ...]


@dataclasses.dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclasses.dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: float
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    series_labels: dict
    description: str


def series_labels() -> dict[str, str]:
    return {"learnings": _("Learnings"), "methods": _("Methods")}


def grouped_bars(rows: list[tuple[str | None, int, int]]) -> Chart | None:
    """``[(label or None for 'no focus area', learnings, methods)]`` as a chart, None when empty."""
    if not rows:
        return None
    labels = series_labels()
    largest = max(max(learnings, methods) for _label, learnings, methods in rows)
    step, top = axis(max(largest, 1))
    plot_left, plot_right = LABEL_COLUMN, WIDTH - VALUE_ROOM
    span = plot_right - plot_left
    row_height = 2 * BAR + BAR_GAP
    chart_rows, sentences = [], []
    for index, (label, learnings, methods) in enumerate(rows):
        text = label if label else _("No focus area")
        y = TOP + index * (row_height + ROW_GAP)
        bars = tuple(Bar(series, css, y + n * (BAR + BAR_GAP), round(span * value / top, 1), value)
                     for n, ((series, css), value) in enumerate(zip(SERIES, (learnings, methods))))
        chart_rows.append(Row(text if len(text) <= 34 else text[:33] + "…", y + row_height / 2 + 5, bars))
        sentences.append(f"{text}: {labels['learnings'].lower()} {i18n.format_number(learnings)}, "
                         f"{labels['methods'].lower()} {i18n.format_number(methods)}.")
    plot_bottom = TOP + len(rows) * (row_height + ROW_GAP) - ROW_GAP / 2
    ticks = tuple(Tick(round(plot_left + span * n * step / top, 1), i18n.format_number(n * step))
                  for n in range(top // step + 1))
    return Chart(WIDTH, int(plot_bottom + AXIS_ROOM), plot_left, plot_right, TOP - 4, plot_bottom,
                 tuple(chart_rows), ticks, labels, " ".join(sentences))
