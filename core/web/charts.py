"""Charts drawn on the server as SVG, so they need no JavaScript and sit beside their table.

One chart for money everywhere (a programme's page and /budgets): per year three bars —
budget, committed, paid — in the same words as the table beside it, each with its figure in
kroner at its end, on a common axis in kroner with gridlines, so a reader can compare years
and read the figures without the table. The chart's text alternative (``description``) says
the same figures in a sentence per year, for a screen reader.

The geometry is worked out here, in SVG units; the template (``budgets/_chart.html``) only
draws it. Figures are formatted in the reader's language when the chart is made.
"""
from __future__ import annotations

import dataclasses
import math

from babel.numbers import format_compact_decimal

from core import i18n
from core.i18n import gettext as _

WIDTH = 440          # the viewBox: scaled to the page's width (a phone shows it at about 0.8)
YEAR_COLUMN = 52     # room for the year labels on the left
VALUE_ROOM = 112     # room right of the longest bar for its figure ("12.000.000 kr.")
TOP = 8
BAR = 15             # one bar's height
BAR_GAP = 3
ROW_GAP = 16
AXIS_ROOM = 46       # tick labels and the axis title under the plot
SERIES = ("budget", "committed", "paid")


@dataclasses.dataclass(frozen=True)
class ChartBar:
    series: str          # budget | committed | paid (CSS class bar-<series>, or bar-over)
    css_class: str
    y: float
    width: float
    value_text: str


@dataclasses.dataclass(frozen=True)
class ChartRow:
    label: str
    y: float             # the top of the row's first bar
    label_y: float
    bars: tuple[ChartBar, ...]


@dataclasses.dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclasses.dataclass(frozen=True)
class MoneyChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: float
    rows: tuple[ChartRow, ...]
    ticks: tuple[Tick, ...]
    axis_title: str
    series_labels: dict
    description: str
    over: bool  # some year has more committed than its budget


def series_labels() -> dict[str, str]:
    """The column names of the money tables: the chart uses the very same words."""
    return {"budget": _("Budget"), "committed": _("Committed"), "paid": _("Paid"), "left": _("Left")}


def nice_step(value: float) -> int:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return int(step * power)
    return 10 * power


def axis(largest_kroner: int, ticks: int = 4) -> tuple[int, int]:
    """A round step and the axis' end: about ``ticks`` steps, the end the first step at or above
    the largest figure (6 million gets 0, 2, 4, 6 million)."""
    step = nice_step(max(largest_kroner, 1) / ticks)
    return step, step * max(math.ceil(largest_kroner / step), 1)


def money_chart(rows: dict) -> MoneyChart | None:
    """A chart for ``{label: {"budget", "committed", "paid", ...}}`` (øre), one row per label."""
    if not rows:
        return None
    labels = series_labels()
    largest = max(max(figures.get(key, 0) for key in SERIES) for figures in rows.values())
    step, top_kroner = axis(math.ceil(largest / 100))
    plot_left, plot_right = YEAR_COLUMN, WIDTH - VALUE_ROOM
    span = plot_right - plot_left

    def length(amount_ore: int) -> float:
        return round(span * max(amount_ore, 0) / (top_kroner * 100), 1)

    chart_rows, sentences, any_over = [], [], False
    row_height = len(SERIES) * BAR + (len(SERIES) - 1) * BAR_GAP
    for index, (label, figures) in enumerate(rows.items()):
        y = TOP + index * (row_height + ROW_GAP)
        over = figures.get("committed", 0) > figures.get("budget", 0)
        any_over = any_over or over
        bars = []
        for n, series in enumerate(SERIES):
            amount = figures.get(series, 0)
            css = "bar-over" if series == "committed" and over else f"bar-{series}"
            bars.append(ChartBar(series, css, y + n * (BAR + BAR_GAP), length(amount), i18n.format_money(amount)))
        chart_rows.append(ChartRow(str(label), y, y + row_height / 2 + 5, tuple(bars)))
        parts = [f"{labels[s].lower() if n else labels[s]} {i18n.format_money(figures.get(s, 0))}"
                 for n, s in enumerate(SERIES)]
        if "left" in figures:
            parts.append(f"{labels['left'].lower()} {i18n.format_money(figures['left'])}")
        sentence = f"{label}: " + ", ".join(parts)
        if over:
            sentence += " (" + _("more committed than the budget") + ")"
        sentences.append(sentence + ".")
    plot_bottom = TOP + len(rows) * (row_height + ROW_GAP) - ROW_GAP / 2
    ticks = tuple(Tick(round(plot_left + span * n * step / top_kroner, 1), _compact(n * step))
                  for n in range(top_kroner // step + 1))
    return MoneyChart(
        width=WIDTH, height=int(plot_bottom + AXIS_ROOM), plot_left=plot_left, plot_right=plot_right,
        plot_top=TOP - 4, plot_bottom=plot_bottom, rows=tuple(chart_rows), ticks=ticks,
        axis_title=_("Kroner"), series_labels=labels, description=" ".join(sentences), over=any_over)


def _compact(kroner: float) -> str:
    """A tick's figure, short: '2,5 mio.' in Danish, '2.5m' in English."""
    return format_compact_decimal(kroner, locale=i18n.babel_locale(), fraction_digits=1)


def programme_rows(money: dict, paid: dict) -> dict:
    """A programme page's per-year figures (``core.rules.money.money_overview``, where what is
    committed is called ``used``) with what is paid, as the chart's rows."""
    return {year: {"budget": f["budget"], "committed": f["used"], "paid": paid.get(year, 0), "left": f["left"]}
            for year, f in money.items()}
