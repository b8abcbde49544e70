"""Periods of pathway counts: half-years (``2025-H1``, ``2025-H2``) or years (``2025``), as a
programme type's pathway says. A programme's periods are all of one kind, so they never overlap
and a young person's time at a step can be followed from one period to the next."""
from __future__ import annotations

import dataclasses
import datetime
import re

from core.i18n import gettext as _

_KEY = re.compile(r"^([0-9]{4})(?:-H([12]))?$")


@dataclasses.dataclass(frozen=True, order=True)
class Period:
    year: int
    half: int = 0  # 0: the whole year; 1 or 2: a half-year

    @property
    def key(self) -> str:
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)

    def label(self) -> str:
        if self.half == 1:
            return _("First half of %(year)s") % {"year": self.year}
        if self.half == 2:
            return _("Second half of %(year)s") % {"year": self.year}
        return str(self.year)

    def __str__(self) -> str:
        """The label in the reader's language when shown (a message's parameter renders late)."""
        return self.label()

    def short_label(self) -> str:
        """A column heading: 'H1', 'H2' (1. halvår, 2. halvår) or the year."""
        if self.half == 1:
            return _("1st half")
        if self.half == 2:
            return _("2nd half")
        return str(self.year)

    def next(self) -> "Period":
        if self.half == 1:
            return Period(self.year, 2)
        if self.half == 2:
            return Period(self.year + 1, 1)
        return Period(self.year + 1)


def parse(text: str, kind: str) -> Period | None:
    """A period key of the programme's kind (``2025-H1`` for half-years, ``2025`` for years), else None."""
    match = _KEY.match(str(text or "").strip()[:10])
    if match is None:
        return None
    year, half = int(match.group(1)), int(match.group(2) or 0)
    if not 1900 <= year <= 2200 or (kind == "half_year") != bool(half):
        return None
    return Period(year, half)


def containing(day: datetime.date, kind: str) -> Period:
    if kind == "year":
        return Period(day.year)
    return Period(day.year, 1 if day.month <= 6 else 2)


def in_year(year: int, kind: str) -> list[Period]:
    return [Period(year)] if kind == "year" else [Period(year, 1), Period(year, 2)]


def reportable(programme, kind: str, today: datetime.date) -> list[Period]:
    """The periods a programme's partners may report: from the one the programme starts in to
    the one running today (or the programme's last), newest first."""
    first = containing(programme.start_date, kind)
    last_day = min(today, programme.end_date) if programme.end_date else today
    if last_day < programme.start_date:
        return []
    last = containing(last_day, kind)
    found, period = [], first
    while period <= last:
        found.append(period)
        period = period.next()
    return found[::-1]
