"""The pathway pages.

* ``/programmes/{slug}/pathway`` (public): the programme's checked counts per year, summed over
  its partners and suppressed — a chart and the tables.
* ``/programmes/{slug}/pathway/figures`` (``pathways.read``): the exact counts for the
  partnership — the programme's staff see every partner, a partner's people their own — with
  what each step carries over, each report's status, and the ways to correct and to check.
* ``/programmes/{slug}/pathway/report`` (``pathways.report``): a partner's people enter or
  correct their organisation's counts for a period.
* ``/programmes/{slug}/pathway/reports/{id}/check`` (``pathways.check``, POST): the coordinator
  confirms a report.

Every page reads what it shows in a fixed number of queries (``figures``); every write goes
through ``rules`` (one transaction, audited). A programme the person has nothing to do with is
"not found", like a row in another tenant.
"""
from __future__ import annotations

import datetime

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.errors import RuleViolation
from core.scope import scope_of
from core.views.manage_common import NO_STORE, form_values, require, show_form
from core.web.pages import render
from core.web.routing import page
from plugins.pathways import figures, periods, rules
from plugins.pathways.charts import measure_labels, pathway_chart
from plugins.pathways.models import PathwayReport
from plugins.pathways.rules import CHECK, READ, REPORT, field_name, measures_of
from plugins.pathways.steps import MEASURES, pathway_of


def _programme(request) -> Programme:
    programme = (Programme.select(Programme, Municipality).join(Municipality)
                 .where(Programme.slug == request.path_params["slug"], Programme.deleted_at.is_null()).first())
    if programme is None:
        raise HTTPException(404)
    return programme


def _pathway(request, programme):
    return pathway_of(request.app.state.platform.programme_types.get(programme.programme_type))


def _year(request, default: int) -> int:
    text = request.query_params.get("year", "").strip()[:4]
    if text.isdecimal() and len(text) == 4 and 1900 <= int(text) <= 2200:
        return int(text)
    return default


def reporting_partners(programme: Programme, actor) -> list[Organisation]:
    """The programme's live partners the actor may report for (one query, then ``can`` on scopes)."""
    ids = rules.live_partner_ids(programme.id)
    allowed = [oid for oid, scope in rules.partner_scopes(programme, ids).items() if authz.can(actor, REPORT, scope)]
    if not allowed:
        return []
    return list(Organisation.select().where(Organisation.id.in_(allowed), Organisation.deleted_at.is_null())
                .order_by(Organisation.name))


def may_read(programme: Programme, actor) -> bool:
    """Staff of the programme, or the people of one of its partners (one query at most)."""
    if authz.can(actor, READ, scope_of(programme)):
        return True
    ids = rules.live_partner_ids(programme.id)
    return any(authz.can(actor, READ, scope) for scope in rules.partner_scopes(programme, ids).values())


# --- public ----------------------------------------------------------------------------------------------

def published_context(programme: Programme, pathway, today: datetime.date) -> dict:
    sums, partners = figures.checked_sums([programme.id])
    begun = {}
    for period in periods.reportable(programme, pathway.period_kind, today):
        begun.setdefault(period.year, []).append(period)
    years = figures.published_years(pathway, sums[programme.id], partners[programme.id],
                                    {year: sorted(found) for year, found in begun.items()})
    return {"years": years}


def public_view(request):
    programme = _programme(request)
    pathway = _pathway(request, programme)
    actor = request.state.actor
    context = {"programme": programme, "pathway": pathway, "labels": measure_labels(), "measures": MEASURES}
    if pathway is not None:
        context.update(published_context(programme, pathway, datetime.date.today()))
        years = context["years"]
        year = _year(request, next(iter(years), datetime.date.today().year))
        chosen = years.get(year)
        context.update(year=year, chosen=chosen, chart=pathway_chart(
            [(s.key, str(s.name)) for s in pathway.steps], figures.year_chart_values(pathway, chosen))
            if chosen else None)
        context["may_read"] = actor.is_authenticated and may_read(programme, actor)
        context["may_report"] = actor.is_authenticated and bool(reporting_partners(programme, actor))
    return render(request, "pathways/public.html", context)


# --- exact, for the partnership ------------------------------------------------------------------------

def figures_view(request):
    programme = _programme(request)
    actor = request.state.actor
    if not may_read(programme, actor):
        raise HTTPException(404)
    pathway = _pathway(request, programme)
    context = {"programme": programme, "pathway": pathway, "labels": measure_labels(), "measures": MEASURES}
    if pathway is not None:
        reports = figures.visible_reports(programme.id, actor)
        exact = figures.exact_figures(pathway, reports)
        years = sorted({period.year for period in exact}, reverse=True)
        year = _year(request, years[0] if years else datetime.date.today().year)
        shown = [figure for period, figure in sorted(exact.items()) if period.year == year]
        for figure in shown:
            figure.chart = pathway_chart([(s.key, str(s.name)) for s in pathway.steps],
                                         {(key, m): figure.steps[key][m] for key in pathway.keys
                                          for m in measures_of(pathway, key)})
        staff = authz.can(actor, READ, scope_of(programme))
        partner_ids = rules.live_partner_ids(programme.id) if staff else []
        context.update(
            years=years, year=year, shown=shown, staff=staff,
            may_check=authz.can(actor, CHECK, scope_of(programme)),
            reporting=reporting_partners(programme, actor),
            partner_names=dict(Organisation.select(Organisation.id, Organisation.name)
                               .where(Organisation.id.in_(partner_ids or [0])).tuples()))
    return render(request, "pathways/figures.html", context, headers=NO_STORE)


# --- entering counts -------------------------------------------------------------------------------------

def report_view(request):
    programme = _programme(request)
    actor = request.state.actor
    pathway = _pathway(request, programme)
    partners = reporting_partners(programme, actor)
    if not partners:
        raise HTTPException(404)
    if pathway is None:  # the partner's programme counts no pathway: say so, nothing to enter
        refused = request.method != "GET"
        return render(request, "pathways/report.html", {"programme": programme, "pathway": None,
                                                        "errors": {"pathway": [""]} if refused else {}},
                      status_code=409 if refused else 200, headers=NO_STORE)
    platform = request.app.state.platform
    choices = periods.reportable(programme, pathway.period_kind, datetime.date.today())
    fields = ("organisation", "period", *(field_name(s.key, m) for s in pathway.steps
                                          for m in measures_of(pathway, s.key)))
    context = {"programme": programme, "pathway": pathway, "partners": partners, "periods": choices,
               "labels": measure_labels(), "measures_of": lambda key: measures_of(pathway, key),
               "field_name": field_name}
    if request.method == "GET":
        values = {field: "" for field in fields}
        values["organisation"] = str(partners[0].id)
        values["period"] = choices[1].key if len(choices) > 1 else (choices[0].key if choices else "")
        wanted_org = request.query_params.get("organisation", "")
        if wanted_org.isdecimal() and int(wanted_org[:18]) in {p.id for p in partners}:
            values["organisation"] = wanted_org
        wanted_period = periods.parse(request.query_params.get("period", ""), pathway.period_kind)
        if wanted_period in choices:
            values["period"] = wanted_period.key
        existing = PathwayReport.get_or_none(PathwayReport.programme == programme.id,
                                             PathwayReport.organisation == int(values["organisation"]),
                                             PathwayReport.period == values["period"])
        if existing is not None:
            for count in existing.counts:
                for measure in MEASURES:
                    if field_name(count.step, measure) in values:
                        values[field_name(count.step, measure)] = str(getattr(count, measure))
        context.update(values=values, existing=existing)
        return show_form(request, "pathways/report.html", context)
    values = form_values(request, fields)
    context.update(values=values, existing=None)
    try:
        report = rules.record(platform, programme=programme, organisation_id=values["organisation"],
                              period_key=values["period"], raw_counts=values, actor=actor)
    except RuleViolation as exc:
        return show_form(request, "pathways/report.html", context, exc.by_field())
    period = periods.parse(report.period, pathway.period_kind)
    flag = "pathway-recorded" if report.revision == 1 else "pathway-corrected"
    return _back(programme, flag, period)


def _back(programme: Programme, flag: str, period: periods.Period | None) -> RedirectResponse:
    """To the exact figures of the report's year, at its period, saying what was saved."""
    year = f"year={period.year}&" if period else ""
    anchor = f"#period-{period.key}" if period else ""
    return RedirectResponse(f"/programmes/{programme.slug}/pathway/figures?{year}saved={flag}{anchor}",
                            status_code=303)


def check_view(request):
    programme = _programme(request)
    actor = request.state.actor
    report = (PathwayReport.select().where(PathwayReport.id == request.path_params["pathway_report_id"],
                                           PathwayReport.programme == programme.id).first())
    if report is None or not authz.can(actor, READ, report):
        raise HTTPException(404)
    require(request, CHECK, report)
    pathway = _pathway(request, programme)
    period = periods.parse(report.period, pathway.period_kind) if pathway else None
    try:
        rules.check(request.app.state.platform, report, actor)
    except RuleViolation:
        return _back(programme, "pathway-already-checked", period)
    return _back(programme, "pathway-checked", period)


def routes() -> list:
    return [
        page("/programmes/{slug:str}/pathway", public_view, name="pathways_public"),
        page("/programmes/{slug:str}/pathway/figures", figures_view, name="pathways_figures", permission=READ),
        page("/programmes/{slug:str}/pathway/report", report_view, name="pathways_report", methods=("GET", "POST"),
             permission=REPORT),
        page("/programmes/{slug:str}/pathway/reports/{pathway_report_id:id}/check", check_view,
             name="pathways_check", methods=("POST",), permission=CHECK),
    ]
