"""The pathway chart, drawn on the server as SVG: the steps top to bottom in their order (the
path a young person takes), and at each step a bar for each count — entered, moved on, left —
with its figure at its end, on a common axis of young people with gridlines.

A hidden count (suppressed beyond the partnership) gets no bar: a hatched mark and the word
"hidden", never a zero; a step with no figures says "no figures". The text alternative
(``description``) says every figure, hidden ones as hidden, in a sentence per step; the table
beside the chart has the same figures. The geometry is worked out here; the template
(``pathways/_chart.html``) only draws it.
"""
from __future__ import annotations

import dataclasses

from core import i18n
from core.i18n import gettext as _
from core.web.charts import Tick, axis
from plugins.pathways.steps import MEASURES

WIDTH = 400
LEFT = 12            # the axis; step names stand above their bars, so long names fit a phone
VALUE_ROOM = 70      # right of the longest bar for its figure
TOP = 6
LABEL = 22           # a step's name above its bars
BAR = 15
BAR_GAP = 3
STEP_GAP = 14        # between steps
AXIS_ROOM = 44
COLOURS = {"entered": "#0b3b50", "moved_on": "#4a7f96", "left": "#a8480a", "at_step": "#6b4f8a"}


def measure_labels() -> dict[str, str]:
    """The words of the counts, the same in chart, table and form."""
    return {"entered": _("Entered"), "moved_on": _("Moved on"), "left": _("Left the pathway"), "at_step": _("At the step"),
            "before": _("From before"), "after": _("Still there")}


@dataclasses.dataclass(frozen=True)
class ChartBar:
    measure: str
    colour: str
    y: float
    width: float
    value: int | None
    value_text: str
    hidden: bool


@dataclasses.dataclass(frozen=True)
class ChartStep:
    label: str
    label_y: float
    bars: tuple[ChartBar, ...]
    empty: bool


@dataclasses.dataclass(frozen=True)
class PathwayChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: float
    steps: tuple[ChartStep, ...]
    ticks: tuple[Tick, ...]
    axis_title: str
    labels: dict
    measures: tuple[str, ...]
    colours: dict
    description: str
    has_hidden: bool


def pathway_chart(steps: list[tuple[str, str]], values: dict[tuple[str, str], int | None],
                  measures: tuple[str, ...] = MEASURES) -> PathwayChart | None:
    """``steps``: (key, name) in order; ``values``: (step, measure) -> a count, None when hidden,
    absent when there is no figure (the last step's 'moved on'). None when no step has a figure."""
    if not any(values.get((key, m)) is not None or (key, m) in values for key, _n in steps for m in measures):
        return None
    labels = measure_labels()
    largest = max([value for value in values.values() if value is not None] or [0])
    step_size, top = axis(max(largest, 4))
    plot_left, plot_right = LEFT, WIDTH - VALUE_ROOM
    span = plot_right - plot_left
    chart_steps, sentences, any_hidden, y = [], [], False, TOP
    for index, (key, name) in enumerate(steps):
        label_y = y + 15
        y += LABEL
        bars, parts = [], []
        for measure in measures:
            if (key, measure) not in values:
                continue
            value = values[(key, measure)]
            hidden = value is None
            any_hidden = any_hidden or hidden
            text = _("hidden") if hidden else i18n.format_number(value)
            width = 0.0 if hidden else round(span * value / top, 1)
            bars.append(ChartBar(measure, COLOURS[measure], y, width, value, text, hidden))
            parts.append(f"{labels[measure].lower()} {text}")
            y += BAR + BAR_GAP
        empty = not bars
        if empty:
            parts.append(_("no figures"))
            y += BAR + BAR_GAP
        sentences.append(f"{index + 1}. {name}: " + ", ".join(parts) + ".")
        last = index == len(steps) - 1
        chart_steps.append(ChartStep(f"{index + 1}. {name}", label_y, tuple(bars), empty))
        y += 0 if last else STEP_GAP
    plot_bottom = y + 4
    ticks = tuple(Tick(round(plot_left + span * n * step_size / top, 1), i18n.format_number(n * step_size))
                  for n in range(top // step_size + 1))
    description = " ".join(sentences)
    if any_hidden:
        description += " " + _("Hidden: fewer than 5, or a figure that would reveal one.")
    return PathwayChart(WIDTH, int(plot_bottom + AXIS_ROOM), plot_left, plot_right, TOP, plot_bottom,
                        tuple(chart_steps), ticks, _("Young people"), labels, tuple(measures), dict(COLOURS),
                        description, any_hidden)
