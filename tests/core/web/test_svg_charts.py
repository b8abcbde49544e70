"""The generic SVG charts: round axes through zero, a figure per bar, a text alternative that
says every figure, and a missing value drawn and described as a gap — never as a bar of 0."""
from __future__ import annotations

from core import i18n
from core.web import svg_charts


def _chart(fn, *args, **kwargs):
    with i18n.locale_context("en"):
        return fn(*args, **kwargs)


def test_a_missing_value_is_a_gap_not_a_zero():
    chart = _chart(svg_charts.column_chart, [(2021, 120), (2022, None), (2023, 0)], title="Members", axis_title="Year")
    by_label = {row.label: row for row in chart.rows}
    assert by_label["2022"].bars == () and len(by_label["2022"].gaps) == 1
    assert by_label["2023"].bars and by_label["2023"].bars[0].value_text == "0", "a true zero is a figure"
    assert chart.missing == ("2022",)
    assert "2021: 120." in chart.description and "2022: no figure." in chart.description
    assert "No figure for: 2022." in chart.description


def test_an_incomplete_total_is_marked_and_explained():
    chart = _chart(svg_charts.column_chart, [(2022, 300), (2023, 200)], title="Total", axis_title="Year",
                   incomplete={2023: "reported by 1 of 2 associations"})
    bar = chart.rows[1].bars[0]
    assert bar.value_text == "200*" and "bar-incomplete" in bar.css_class
    assert chart.notes == ("* 2023: reported by 1 of 2 associations",)


def test_bars_across_share_one_axis_through_zero_and_falls_point_left():
    chart = _chart(svg_charts.bar_chart, [("A", [40]), ("B", [-25]), ("C", [None])], title="Change",
                   axis_title="Per cent")
    ticks = [tick.label for tick in chart.ticks]
    assert "0" in ticks and ticks[0].lstrip("-−") != ticks[0], "the axis reaches below zero"
    a, b, c = chart.rows
    assert a.bars[0].x == chart.zero and b.bars[0].x + b.bars[0].width == chart.zero
    assert "bar-negative" in b.bars[0].css_class and c.bars == () and c.gaps
    assert chart.missing == ("C",)


def test_several_series_get_a_legend_and_a_fixed_maximum():
    chart = _chart(svg_charts.bar_chart, [("Parents", [68.0, 64.0]), ("Facilities", [None, 40.0])],
                   series=["2021", "2022"], title="Challenges", axis_title="Share", maximum=100,
                   format_value=svg_charts.percent)
    assert [label for label, _fill, _css in chart.legend] == ["2021", "2022"]
    assert chart.ticks[-1].label.startswith("100")
    assert "2021: no figure" in chart.description


def test_the_template_draws_axes_figures_and_the_description(app):
    chart = _chart(svg_charts.column_chart, [(2021, 18340), (2022, None)], title="Members under 25",
                   axis_title="Year")
    module = app.state.jinja.get_template("charts/_svg.html").module
    with i18n.locale_context("en"):
        html = str(module.chart(chart, "test-chart"))
    assert "<svg" in html and "<desc" in html and "Members under 25" in html
    assert "18,340" in html and "no figure" in html
