"""The national coordinator's view of the harvested pathway counts (``/national/pathways``,
``pathways.national``): per programme type and year, each step's counts per municipality and
for the country, added up across instances and suppressed again — a cell any instance hid stays
hidden, and so does a national total it is part of (``plugins.federation.suppression``). A
fixed number of queries, whatever the number of instances and items.

It needs the federation plugin (its harvested items); without it the route is not there.
"""
from __future__ import annotations

import json

from core import i18n
from core.i18n import gettext as _
from core.web.pages import render
from core.web.routing import page
from plugins.pathways.charts import measure_labels, pathway_chart
from plugins.pathways.feed import KIND
from plugins.pathways.steps import MEASURES

PERMISSION = "pathways.national"


def _choice(params, key: str, choices: list) -> tuple:
    text = str(params.get(key, "")).strip()[:80]
    if not text:
        return None, None
    matches = [value for value in choices if str(value) == text]
    return (matches[0], None) if matches else (None, text)


def national_figures(programme_type: str, year: int):
    """Rows (step, measure) × municipalities, suppressed again, with the step names of the
    reader's language: (table, steps [(key, name)], municipalities)."""
    from plugins.federation.models import HarvestedItem
    from plugins.federation.suppression import suppress_table
    cells: dict[tuple, int | None] = {}
    steps: dict[str, tuple[int, str]] = {}
    municipalities: dict[str, str] = {}
    language = i18n.current_locale()
    for item in HarvestedItem.select(HarvestedItem.data, HarvestedItem.value, HarvestedItem.suppressed,
                                     HarvestedItem.municipality_name).where(
            HarvestedItem.kind == KIND, HarvestedItem.programme_type == programme_type, HarvestedItem.year == year):
        data = json.loads(item.data)
        step = data["step"]
        steps.setdefault(step["key"], (step["position"], step["name"].get(language) or step["name"]["da"]))
        municipality = item.municipality_name
        municipalities[municipality] = municipality
        key = ((step["key"], data["measure"]), municipality)
        previous = cells.get(key, 0)
        value = None if item.suppressed else item.value
        cells[key] = None if previous is None or value is None else previous + value
    ordered_steps = [(key, name) for key, (_p, name) in sorted(steps.items(), key=lambda pair: pair[1][0])]
    ordered_columns = sorted(municipalities)
    rows = [(key, measure) for key, _n in ordered_steps for measure in MEASURES]
    values = {(row, column): cells[(row, column)] for row in rows for column in ordered_columns
              if (row, column) in cells}
    table = suppress_table(values) if values else None
    return table, ordered_steps, ordered_columns


def national_view(request):
    from peewee import fn

    from plugins.federation.models import HarvestedItem
    types = [row[0] for row in HarvestedItem.select(HarvestedItem.programme_type).where(HarvestedItem.kind == KIND)
             .distinct().order_by(HarvestedItem.programme_type).tuples()]
    years = [row[0] for row in HarvestedItem.select(HarvestedItem.year).where(HarvestedItem.kind == KIND)
             .distinct().order_by(HarvestedItem.year.desc()).tuples()]
    errors = {}
    programme_type, wrong_type = _choice(request.query_params, "programme_type", types)
    year, wrong_year = _choice(request.query_params, "year", years)
    if wrong_type:
        errors["programme_type"] = [_("Choose a programme type from the list")]
    if wrong_year:
        errors["year"] = [_("Choose a year from the list")]
    programme_type = programme_type or (types[0] if types else None)
    year = year or (years[0] if years else None)
    registry = request.app.state.platform.programme_types
    type_labels = {key: str(registry.get(key).name) if registry.get(key) is not None else key for key in types}
    context = {"types": types, "years": years, "programme_type": programme_type, "year": year, "errors": errors,
               "type_labels": type_labels, "labels": measure_labels(), "measures": MEASURES,
               "updated": HarvestedItem.select(fn.MAX(HarvestedItem.changed_at)).where(HarvestedItem.kind == KIND)
               .scalar()}
    if programme_type and year:
        table, steps, municipalities = national_figures(programme_type, year)
        context.update(table=table, steps=steps, municipalities=municipalities)
        if table is not None:
            values = {}
            for key, _name in steps:
                for measure in MEASURES:
                    if (key, measure) in table.row_totals:
                        values[(key, measure)] = table.row_totals[(key, measure)].value
            context["chart"] = pathway_chart(steps, values)
    return render(request, "pathways/national.html", context, status_code=400 if errors else 200,
                  headers={"Cache-Control": "no-store"})


def routes() -> list:
    return [page("/national/pathways", national_view, name="pathways_national", permission=PERMISSION)]


__all__ = ["PERMISSION", "national_figures", "routes"]
