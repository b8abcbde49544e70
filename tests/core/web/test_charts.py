"""The money chart's rules: a round axis that starts at 0 and reaches the largest figure, bars
in proportion, figures and words in the reader's language, an over-committed year marked."""
from __future__ import annotations

import pytest

from core import i18n
from core.web import charts

MILLION = 1_000_000 * 100


@pytest.mark.parametrize("largest, step, end", [
    (6_000_000, 2_000_000, 6_000_000), (750_000, 200_000, 800_000), (30_000, 10_000, 30_000),
    (9_600_000, 2_500_000, 10_000_000), (0, 1, 1), (1, 1, 1),
])
def test_the_axis_is_round_and_reaches_the_largest_figure(largest, step, end):
    assert charts.axis(largest) == (step, end)


def test_bars_figures_and_text_alternative(platform):  # platform: the catalogues are loaded
    with i18n.locale_context("da"):
        chart = charts.money_chart({2023: {"budget": 2 * MILLION, "committed": 3 * MILLION, "paid": MILLION // 2,
                                           "left": -MILLION},
                                    2024: {"budget": 2 * MILLION, "committed": 0, "paid": 0, "left": 2 * MILLION}})
    first, second = chart.rows
    assert [bar.value_text for bar in first.bars] == ["2.000.000 kr.", "3.000.000 kr.", "500.000 kr."]
    budget, committed, paid = first.bars
    assert committed.css_class == "bar-over" and chart.over  # more committed than the budget
    assert second.bars[1].css_class == "bar-committed"
    assert committed.width == pytest.approx(1.5 * budget.width) and paid.width == pytest.approx(budget.width / 4)
    assert committed.width == chart.plot_right - chart.plot_left  # the largest figure reaches the axis' end
    assert [tick.label for tick in chart.ticks] == ["0", "1\xa0mio.", "2\xa0mio.", "3\xa0mio."]
    assert chart.series_labels == {"budget": "Budget", "committed": "Disponeret", "paid": "Udbetalt", "left": "Tilbage"}
    assert chart.description.startswith("2023: Budget 2.000.000 kr., disponeret 3.000.000 kr., udbetalt 500.000 kr., "
                                         "tilbage -1.000.000 kr.")
    assert "2024: Budget 2.000.000 kr." in chart.description
    assert chart.height > second.y + 3 * charts.BAR  # room for the axis under the last row


def test_no_rows_no_chart():
    assert charts.money_chart({}) is None
