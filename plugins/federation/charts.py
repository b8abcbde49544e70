"""Horizontal bars for the national dashboard, drawn as SVG on the server (no JavaScript); the
table beside each chart carries the same figures as its text alternative."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    value: int
    pct: float


def bars(values: dict[str, int]) -> list[Bar]:
    """One bar per label, as a percentage of the largest value."""
    top = max([value for value in values.values() if value] or [1])
    return [Bar(str(label), value, round(100 * max(value, 0) / top, 1)) for label, value in values.items()]
