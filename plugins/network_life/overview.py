"""The consultant's overview: their associations × the programme's focus areas, each cell the
latest status recorded for that focus area, coloured and named (the colour is never the only
sign). An association with no status for a focus area shows "No status yet" — never 0 % — and
the summary counts it apart from the statuses, as a gap.

Consultants see their own caseload (the agreements they follow) and may widen it to every
association they may read; others see every association they may read (the municipality's
administrator all of them, an association's people their own). The page reads in a fixed
number of queries whatever the number of associations: agreements, plans, versions, latest
statuses.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime

from core import tenancy
from core.models.agreement import Agreement
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.views.manage_common import NO_STORE, actor_of
from core.web.pages import render
from core.web.routing import page
from plugins.network_life import access, charts, plans
from plugins.network_life.config import PROGRESS, progress_label, settings_of, state_label
from plugins.network_life.models import ActionPlan, PlanVersion

LIMIT = 400


@dataclasses.dataclass
class Row:
    agreement: Agreement
    plan: ActionPlan | None
    latest: PlanVersion | None
    approved: PlanVersion | None
    cells: dict  # focus area number -> PlanStatus | None


@dataclasses.dataclass
class Table:
    programme: Programme
    focus_areas: dict  # number -> title
    rows: list[Row]
    summary: dict      # focus area -> Counter of progress ('' = no status yet)


def build(platform, actor, mine: bool, today: datetime.date) -> list[Table]:
    settings = settings_of(platform)
    types = settings.plan_types()
    if not types:
        return []
    query = (Agreement.select(Agreement, Organisation, Programme).join(Organisation).switch(Agreement).join(Programme)
             .where(Programme.programme_type.in_(types), Programme.deleted_at.is_null(),
                    Agreement.start_date <= today, Agreement.end_date >= today))
    if mine:
        query = query.where(Agreement.consultant == actor.account.id)
    agreements = list(tenancy.scoped(query, Agreement, actor, access.PLAN_READ)
                      .order_by(Programme.name, Organisation.name, Agreement.id).limit(LIMIT))
    plan_of = {plan.agreement_id: plan for plan in
               ActionPlan.select().where(ActionPlan.agreement.in_([a.id for a in agreements] or [0]))}
    latest: dict[int, PlanVersion] = {}
    approved: dict[int, PlanVersion] = {}
    for version in (PlanVersion.select(PlanVersion.id, PlanVersion.plan, PlanVersion.number, PlanVersion.state,
                                       PlanVersion.first_year, PlanVersion.last_year)
                    .where(PlanVersion.plan.in_([p.id for p in plan_of.values()] or [0])).order_by(PlanVersion.number)):
        latest[version.plan_id] = version
        if version.state == "approved":
            approved[version.plan_id] = version
    statuses = plans.latest_statuses([p.id for p in plan_of.values()])
    tables: dict[int, Table] = {}
    for agreement in agreements:
        programme = agreement.programme
        table = tables.get(programme.id)
        if table is None:
            areas = {area.number: area.title for area in settings.focus_areas(programme.programme_type)}
            table = tables[programme.id] = Table(programme, areas, [], {number: collections.Counter() for number in areas})
        plan = plan_of.get(agreement.id)
        cells = {number: statuses.get((plan.id, number)) if plan else None for number in table.focus_areas}
        for number, status in cells.items():
            table.summary[number][status.progress if status else ""] += 1
        table.rows.append(Row(agreement, plan, latest.get(plan.id) if plan else None,
                              approved.get(plan.id) if plan else None, cells))
    return list(tables.values())


def overview(request):
    platform, actor = request.app.state.platform, actor_of(request)
    is_consultant = "consultant" in actor.roles
    mine = is_consultant and request.query_params.get("show") != "all"
    today = datetime.date.today()
    tables = build(platform, actor, mine, today)
    context = {"tables": tables, "mine": mine, "is_consultant": is_consultant, "progress_values": PROGRESS,
               "progress": progress_label, "state": state_label,
               "charts": {table.programme.id: charts.status_chart(table.focus_areas, table.summary)
                          for table in tables}}
    return render(request, "network_life/overview.html", context, headers=NO_STORE)


def routes():
    return [page("/action-plans", overview, name="network_life_overview", permission=access.PLAN_READ)]
