"""A server-drawn SVG chart of the statuses per focus area: one stacked bar per focus area, a
segment per status (each with its count written in it when there is room), and the associations
with no status yet as a hatched segment of their own, labelled as missing, never counted as a
status. The page shows the same numbers in a table beside it, and ``description`` says them in
words for a screen reader.

The geometry is worked out here in SVG units; the template only draws it.
"""
from __future__ import annotations

import dataclasses

from core.i18n import gettext as _
from plugins.network_life.config import PROGRESS, progress_label

WIDTH = 440
LABEL = 34        # room for "FA 1" on the left
BAR = 18
GAP = 10
TOP = 6
AXIS = 36
MISSING = ""


@dataclasses.dataclass(frozen=True)
class Segment:
    progress: str     # a PROGRESS value, or '' for no status yet
    css_class: str
    x: float
    width: float
    count: int
    label: str


@dataclasses.dataclass(frozen=True)
class Bar:
    number: int
    y: float
    segments: tuple[Segment, ...]


@dataclasses.dataclass(frozen=True)
class StatusChart:
    width: int
    height: int
    plot_left: int
    plot_width: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str], ...]
    total: int
    description: str
    axis_title: str


def status_chart(focus_areas: dict, summary: dict) -> StatusChart | None:
    """``summary``: focus area -> Counter of progress ('' = no status yet)."""
    total = max((sum(counter.values()) for counter in summary.values()), default=0)
    if not total:
        return None
    plot_left, plot_width = LABEL, WIDTH - LABEL - 8
    bars, sentences = [], []
    for index, number in enumerate(focus_areas):
        counter = summary[number]
        x = float(plot_left)
        segments = []
        for progress in (*PROGRESS, MISSING):
            count = counter.get(progress, 0)
            if not count:
                continue
            width = plot_width * count / total
            label = str(progress_label(progress))
            segments.append(Segment(progress, f"seg-{progress or 'missing'}", round(x, 2), round(width, 2), count,
                                    label))
            x += width
        bars.append(Bar(number, TOP + index * (BAR + GAP), tuple(segments)))
        parts = [f"{segment.label}: {segment.count}" for segment in segments]
        sentences.append(_("Focus area %(number)s: %(parts)s.") % {"number": number, "parts": ", ".join(parts)})
    height = TOP + len(bars) * (BAR + GAP) + AXIS
    step = 1 if total <= 10 else (5 if total <= 50 else 10)
    ticks = tuple((round(plot_left + plot_width * value / total, 2), str(value)) for value in range(0, total + 1, step))
    description = " ".join(sentences)
    return StatusChart(WIDTH, height, plot_left, plot_width, tuple(bars), ticks, total, description,
                       _("Associations (%(total)s)") % {"total": total})
