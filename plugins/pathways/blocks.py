"""Blocks on the core's pages: a programme's pathway (public figures, and the ways in for the
partnership), and a link from the national overview to the national pathway figures. Each
reads in a fixed number of queries."""
from __future__ import annotations

import datetime

from core import authz
from core.web.pages import PageBlock
from plugins.pathways import figures
from plugins.pathways.charts import measure_labels, pathway_chart
from plugins.pathways.steps import MEASURES, pathway_of


def programme_block(request, context) -> list[PageBlock]:
    from plugins.pathways.views import may_read, published_context, reporting_partners
    pathway = pathway_of(context.get("programme_type"))
    if pathway is None:
        return []
    programme, actor = context["programme"], context.get("actor")
    years = published_context(programme, pathway, datetime.date.today())["years"]
    newest = next(iter(years.values()), None)
    chart = pathway_chart([(s.key, str(s.name)) for s in pathway.steps],
                          figures.year_chart_values(pathway, newest)) if newest else None
    signed_in = actor is not None and actor.is_authenticated
    return [PageBlock("pathways/block.html", order=40, context={
        "pathway": pathway, "pathway_year": newest, "pathway_year_chart": chart, "pathway_labels": measure_labels(),
        "pathway_measures": MEASURES,
        "pathway_may_read": signed_in and may_read(programme, actor),
        "pathway_may_report": signed_in and bool(reporting_partners(programme, actor))})]


def national_block(request, context) -> list[PageBlock]:
    from plugins.pathways.national import PERMISSION
    actor = context.get("actor")
    platform = request.app.state.platform
    if actor is None or not actor.is_authenticated or not authz.can(actor, PERMISSION) \
            or platform.pm.get_plugin("federation") is None:
        return []
    return [PageBlock("pathways/national_block.html", order=30)]
