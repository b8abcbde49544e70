"""Charts drawn on the server as SVG, so they need no JavaScript and sit beside their table."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Bar:
    label: str
    used_pct: float
    left_pct: float
    over: bool


def budget_bars(money_by_year: dict[int, dict[str, int]]) -> list[Bar]:
    """One horizontal bar per year: share of the budget used and left (percent of the larger
    of budget and use, so an overspent year still fits)."""
    bars = []
    for year, figures in money_by_year.items():
        scale = max(figures["budget"], figures["used"], 1)
        used = 100 * figures["used"] / scale
        left = 100 * max(figures["left"], 0) / scale
        bars.append(Bar(str(year), round(used, 1), round(left, 1), figures["used"] > figures["budget"]))
    return bars


@dataclasses.dataclass(frozen=True)
class MoneyBar:
    """One row of a budget chart: percentages of the row's scale (the larger of budget and
    committed), so an over-committed row still fits."""

    label: str
    budget_pct: float
    committed_pct: float
    paid_pct: float
    over: bool


def money_bars(rows: dict) -> list[MoneyBar]:
    """Bars for ``{label: {"budget", "committed", "paid", ...}}``: paid inside committed inside budget."""
    bars = []
    for label, figures in rows.items():
        scale = max(figures["budget"], figures["committed"], 1)
        bars.append(MoneyBar(str(label), round(100 * figures["budget"] / scale, 1),
                             round(100 * figures["committed"] / scale, 1),
                             round(100 * min(figures["paid"], scale) / scale, 1),
                             figures["committed"] > figures["budget"]))
    return bars
