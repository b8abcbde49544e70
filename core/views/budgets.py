"""Budgets: per programme and year (budget, committed, paid, left) and per funder across its
programmes, each as a table and a chart. Public: the figures are totals of public grants and fees."""
from __future__ import annotations

from core.models.municipality import Municipality
from core.models.programme import Programme
from core.rules.money import budget_overview, funder_overview
from core.views.programmes import programmes_with_parties
from core.web.charts import money_chart
from core.web.pages import render
from core.web.routing import page


def budgets(request):
    programmes = list(programmes_with_parties().order_by(Municipality.name, Programme.name))
    overview = budget_overview([p.id for p in programmes])
    per_programme = [{"programme": p, "years": overview[p.id], "chart": money_chart(overview[p.id])}
                     for p in programmes]
    funders = funder_overview(programmes)
    for entry in funders:
        entry["chart"] = money_chart(entry["years"])
    return render(request, "budgets/index.html", {"per_programme": per_programme, "funders": funders})


def routes():
    return [page("/budgets", budgets, name="budgets")]
