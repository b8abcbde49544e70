"""Generic charts drawn on the server as SVG: bars across (one or more series per row, below and
above zero) and columns up (a value per year). No JavaScript; the template
(``core/templates/charts/_svg.html``) only draws what is worked out here.

Every chart has axes with round ticks, the figure at the end of each bar, a title and a text
alternative (``description``) that says every figure in words, and says what is missing: a
value of ``None`` is a *gap* — drawn as a dashed outline with the words "no figure", listed in
``missing`` and in the description — never a bar of length 0, because a count nobody reported
is not a count of nothing. A column may also be marked *incomplete* (a yearly total that not
every association reported): it is drawn lighter with a mark after its figure, and the note
saying why goes under the chart.

``core.web.charts`` keeps the money chart of the programme pages; this module is for the
plugins' charts (surveys, membership counts, action plans ...). Colours are SVG presentation
attributes (a theme's CSS may override them through the classes); figures are formatted in the
reader's language when the chart is made.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Callable, Sequence

from core import i18n
from core.i18n import gettext as _
from core.web.charts import nice_step

WIDTH = 440          # the viewBox; scaled to the page's width (a phone shows it at about 0.8)
LABEL_ROOM = 150     # bar charts: the row labels on the left
VALUE_ROOM = 70      # room beyond the longest bar for its figure
TOP = 8
BAR = 14
BAR_GAP = 2
ROW_GAP = 10
AXIS_ROOM = 44       # tick labels and the axis title under the plot
COLUMN_PLOT_HEIGHT = 180
COLUMN_LEFT = 58     # column charts: tick labels on the left
MAX_LABEL = 19       # characters of a row label drawn in the chart (the table beside it has it whole)
PALETTE = ("#0b3b50", "#5d8fa6", "#b35900", "#6b4c9a", "#2e7d32", "#8d6e63")
NEGATIVE = "#a23b2a"
INCOMPLETE = "#9db7c4"
INCOMPLETE_MARK = "*"


@dataclasses.dataclass(frozen=True)
class Tick:
    position: float      # x for bar charts, y for column charts
    label: str


@dataclasses.dataclass(frozen=True)
class Bar:
    series: int
    x: float
    y: float
    width: float
    height: float
    fill: str
    css_class: str
    value_text: str
    text_x: float
    text_y: float
    text_anchor: str
    title: str           # the tooltip: series, label and figure


@dataclasses.dataclass(frozen=True)
class Gap:
    """Where a value is missing: a dashed outline and the words."""

    x: float
    y: float
    width: float
    height: float
    text: str
    text_x: float
    text_y: float
    text_anchor: str
    title: str


@dataclasses.dataclass(frozen=True)
class Row:
    label: str           # in full
    short_label: str     # as drawn
    label_x: float
    label_y: float
    bars: tuple[Bar, ...]
    gaps: tuple[Gap, ...]


@dataclasses.dataclass(frozen=True)
class Chart:
    kind: str            # "bars" (across) or "columns" (up)
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    zero: float          # x (bars) or y (columns) of the zero line
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    axis_title: str
    title: str
    description: str
    legend: tuple[tuple[str, str, str], ...]   # (label, fill, css class); empty for one series
    missing: tuple[str, ...]                    # the labels with a gap (every series)
    notes: tuple[str, ...]                      # footnotes (what an incomplete mark means)


def short(label: str, limit: int = MAX_LABEL) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def axis_range(low: float, high: float, ticks: int = 4) -> tuple[float, float, float]:
    """A round step and the axis' ends covering ``low``..``high`` (zero always inside)."""
    low, high = min(low, 0), max(high, 0)
    span = high - low or 1
    step = nice_step(span / ticks)
    start = step * math.floor(low / step) if low < 0 else 0
    end = step * max(math.ceil(high / step), 1) if high > 0 else 0
    if end == start:
        end = start + step
    return step, start, end


def _tick_values(step: float, start: float, end: float) -> list[float]:
    count = int(round((end - start) / step))
    return [start + n * step for n in range(count + 1)]


def bar_chart(rows: Sequence[tuple[Any, Sequence[float | None]]], series: Sequence[Any] = ("",), *,
              title: str, axis_title: str, format_value: Callable[[float], str] = i18n.format_number,
              format_tick: Callable[[float], str] | None = None, maximum: float | None = None,
              missing_text: str | None = None) -> Chart | None:
    """Horizontal bars: per row one bar for each series (``values[i]`` of ``series[i]``), on a
    common axis from the smallest to the largest value (through zero, so a negative value —
    a fall — points left). ``maximum`` fixes the axis' end (100 for percentages)."""
    if not rows:
        return None
    missing_text = missing_text or _("no figure")
    format_tick = format_tick or format_value
    values = [v for _label, vs in rows for v in vs if v is not None]
    low = min(values, default=0)
    high = max(values + ([maximum] if maximum is not None else []), default=0)
    step, start, end = axis_range(low, high)
    if maximum is not None and start >= 0:
        end = maximum
        step = nice_step(maximum / 4)
    negatives = start < 0
    plot_left = LABEL_ROOM + (VALUE_ROOM - 20 if negatives else 0)
    plot_right = WIDTH - VALUE_ROOM
    span = plot_right - plot_left

    def x_of(value: float) -> float:
        return round(plot_left + span * (value - start) / (end - start), 1)

    zero = x_of(0)
    per_row = len(series) * BAR + (len(series) - 1) * BAR_GAP
    chart_rows, sentences, missing = [], [], []
    for index, (label, row_values) in enumerate(rows):
        y = TOP + index * (per_row + ROW_GAP)
        bars, gaps, parts = [], [], []
        for n, value in enumerate(row_values):
            name = str(series[n]) if n < len(series) else ""
            top = y + n * (BAR + BAR_GAP)
            prefix = f"{name}: " if name else ""
            if value is None:
                gaps.append(Gap(zero, top, 46, BAR, missing_text, zero + 4, top + BAR - 3, "start",
                                f"{prefix}{label}: {missing_text}"))
                parts.append(f"{prefix}{missing_text}")
                if str(label) not in missing:
                    missing.append(str(label))
                continue
            left, right = sorted((x_of(value), zero))
            text = format_value(value)
            if value < 0:
                text_x, anchor = left - 4, "end"
            else:
                text_x, anchor = right + 4, "start"
            fill = NEGATIVE if value < 0 else PALETTE[n % len(PALETTE)]
            bars.append(Bar(n, left, top, round(right - left, 1), BAR, fill,
                            f"bar-series-{n}" + (" bar-negative" if value < 0 else ""), text, text_x, top + BAR - 3,
                            anchor, f"{prefix}{label}: {text}"))
            parts.append(f"{prefix}{text}")
        chart_rows.append(Row(str(label), short(label), plot_left - 6 - (VALUE_ROOM - 20 if negatives else 0),
                              y + per_row / 2 + 4, tuple(bars), tuple(gaps)))
        sentences.append(f"{label}: {', '.join(parts)}.")
    plot_bottom = TOP + len(rows) * (per_row + ROW_GAP) - ROW_GAP / 2
    ticks = tuple(Tick(x_of(value), format_tick(value)) for value in _tick_values(step, start, end))
    legend = tuple((str(name), PALETTE[n % len(PALETTE)], f"bar-series-{n}") for n, name in enumerate(series)) \
        if len(series) > 1 else ()
    return Chart("bars", WIDTH, int(plot_bottom + AXIS_ROOM), plot_left, plot_right, TOP - 4, plot_bottom, zero,
                 tuple(chart_rows), ticks, axis_title, title, _describe(title, sentences, missing),
                 legend, tuple(missing), ())


def column_chart(points: Sequence[tuple[Any, float | None]], *, title: str, axis_title: str,
                 format_value: Callable[[float], str] = i18n.format_number,
                 incomplete: dict[Any, str] | None = None, missing_text: str | None = None) -> Chart | None:
    """Columns up, one per point (a year), on an axis from zero. ``None`` is a gap;
    ``incomplete`` maps a point's label to the note saying what its figure lacks."""
    if not points:
        return None
    missing_text = missing_text or _("no figure")
    incomplete = {str(key): note for key, note in (incomplete or {}).items()}
    values = [value for _label, value in points if value is not None]
    step, start, end = axis_range(min(values, default=0), max(values, default=0))
    plot_left, plot_right = COLUMN_LEFT, WIDTH - 10
    plot_top, plot_bottom = TOP + 14, TOP + 14 + COLUMN_PLOT_HEIGHT
    slot = (plot_right - plot_left) / len(points)
    width = round(min(slot * 0.6, 56), 1)

    def y_of(value: float) -> float:
        return round(plot_bottom - (plot_bottom - plot_top) * (value - start) / (end - start), 1)

    zero = y_of(0)
    rows, sentences, missing, notes = [], [], [], []
    for index, (label, value) in enumerate(points):
        centre = plot_left + slot * (index + 0.5)
        x = round(centre - width / 2, 1)
        label = str(label)
        if value is None:
            gap = Gap(x, zero - 40, width, 40, missing_text, centre, zero - 16, "middle", f"{label}: {missing_text}")
            rows.append(Row(label, short(label, 10), centre, plot_bottom + 16, (), (gap,)))
            sentences.append(f"{label}: {missing_text}.")
            missing.append(label)
            continue
        text = format_value(value)
        partial = label in incomplete
        if partial:
            text += INCOMPLETE_MARK
            note = f"{INCOMPLETE_MARK} {label}: {incomplete[label]}"
            notes.append(note)
        top, bottom = sorted((y_of(value), zero))
        bar = Bar(0, x, top, width, round(bottom - top, 1), INCOMPLETE if partial else PALETTE[0],
                  "bar-series-0" + (" bar-incomplete" if partial else ""), text, centre, top - 4, "middle",
                  f"{label}: {text}")
        rows.append(Row(label, short(label, 10), centre, plot_bottom + 16, (bar,), ()))
        sentences.append(f"{label}: {text}" + (f" ({incomplete[label]})" if partial else "") + ".")
    ticks = tuple(Tick(y_of(value), format_value(value)) for value in _tick_values(step, start, end))
    return Chart("columns", WIDTH, int(plot_bottom + AXIS_ROOM), plot_left, plot_right, plot_top, plot_bottom, zero,
                 tuple(rows), ticks, axis_title, title, _describe(title, sentences, missing), (), tuple(missing),
                 tuple(notes))


def _describe(title: str, sentences: list[str], missing: list[str]) -> str:
    text = f"{title}. " + " ".join(sentences)
    if missing:
        text += " " + _("No figure for: %(labels)s.") % {"labels": ", ".join(missing)}
    return text


def percent(value: float) -> str:
    """A share already in per cent (0–100), whole, in the reader's language: '67 %' / '67%'."""
    from babel.numbers import format_percent
    return format_percent(value / 100, locale=i18n.babel_locale())


def signed_percent(value: float) -> str:
    """A change in per cent with its sign: '+45 %', '−12 %'."""
    text = percent(abs(value))
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


__all__ = ["Bar", "Chart", "Gap", "Row", "Tick", "bar_chart", "column_chart", "percent", "signed_percent", "short"]
