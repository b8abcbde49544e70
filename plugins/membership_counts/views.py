"""The pages of yearly counts.

* ``/membership-counts``: staff choose a programme and a metric and see the yearly total, the
  counts per association and the change, each chart beside its table; an association's people
  see the organisations they enter counts for.
* ``/membership-counts/organisations/{id}``: one organisation's counts per metric and year, the
  form to enter or correct one (its people, or staff), and the consultant's "checked" buttons.
* ``/membership-counts/settings``: which metrics the partners of each programme type count.

Rows come through ``core.tenancy`` (another tenant's organisation is "not found"); every write
goes through ``plugins.membership_counts.rules`` and is audited there.
"""
from __future__ import annotations

import datetime

from starlette.exceptions import HTTPException

from core import authz, inputs, tenancy
from core.i18n import gettext
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.errors import RuleViolation
from core.views.manage_common import actor_of, form_values, load_or_404, require, saved, show_form
from core.web.pages import render
from core.web.routing import page
from plugins.membership_counts import metrics as metric_words, overview, rules
from plugins.membership_counts.metrics import METRICS
from plugins.membership_counts.models import MemberCount

READ = "membership_counts.read"
ENTER = "membership_counts.enter"
CHECK = "membership_counts.check"
CONFIGURE = "membership_counts.configure"


def _today() -> datetime.date:
    return datetime.date.today()


def own_organisation_ids(actor) -> list[int]:
    """The organisations the person works in as a resource person or board member."""
    return [grant.organisation_id for grant in actor.grants
            if grant.role in authz.PEOPLE_ROLES and grant.organisation_id is not None]


def counted_programmes(actor, settings: dict[str, list[str]]) -> list[Programme]:
    """The live programmes the actor may read counts in whose type counts something (one query)."""
    if not settings:
        return []
    return list(tenancy.scoped(Programme.select(), Programme, actor, READ)
                .where(Programme.deleted_at.is_null(), Programme.programme_type.in_(list(settings)))
                .order_by(Programme.name, Programme.id))


# --- the overview ------------------------------------------------------------------------------

def index(request):
    actor = actor_of(request)
    settings = rules.settings_by_type()
    programmes = counted_programmes(actor, settings)
    own = own_organisation_ids(actor)
    own_organisations = list(tenancy.scoped(Organisation.select(), Organisation, actor, READ)
                             .where(Organisation.id.in_(own or [0])).order_by(Organisation.name)) if own else []
    context = {"programmes": programmes, "own_organisations": own_organisations, "programme": None,
               "metric": None, "metrics": [], "view": None, "count_charts": {},
               "may_check": False, "format_change": overview.format_change}
    if programmes:
        wanted = request.query_params.get("programme", "")
        programme = next((p for p in programmes if p.slug == wanted), programmes[0])
        metrics = settings.get(programme.programme_type, [])
        metric = request.query_params.get("metric", "")
        metric = metric if metric in metrics else metrics[0]
        view = overview.programme_overview(programme, metric, actor, _today())
        context.update(programme=programme, metric=metric, view=view,
                       metrics=[(key, metric_words.label(key)) for key in metrics],
                       count_charts={"total": overview.total_chart(view), "associations": overview.association_chart(view),
                               "change": overview.change_chart(view)},
                       may_check=authz.can(actor, CHECK, programme))
    return render(request, "membership_counts/index.html", context, headers={"Cache-Control": "no-store"})


# --- one organisation --------------------------------------------------------------------------

def _organisation_context(request, organisation: Organisation, values: dict | None = None) -> dict:
    actor = actor_of(request)
    asked = rules.metrics_of([organisation.id]).get(organisation.id, [])
    rows = list(tenancy.scoped(MemberCount.select(), MemberCount, actor, READ)
                .where(MemberCount.organisation == organisation.id).order_by(MemberCount.metric, MemberCount.year))
    shown = [key for key in METRICS if key in asked or any(row.metric == key for row in rows)]
    today = _today()
    sections = []
    for key in shown:
        mine = {row.year: row for row in rows if row.metric == key}
        years = overview.years_for(sorted(mine), today)
        lines = []
        for year in years:
            row = mine.get(year)
            before = mine.get(year - 1)
            change = (rules.change_percent(before.value, row.value)
                      if row is not None and before is not None else None)
            lines.append({"year": year, "row": row, "change": overview.format_change(change)})
        chart = overview.organisation_chart(organisation, key, years, {y: r.value for y, r in mine.items()})
        sections.append({"metric": key, "label": metric_words.label(key), "lines": lines, "chart": chart,
                         "asked": key in asked, "unchecked": [r for r in mine.values() if r.checked_on is None]})
    may_enter = authz.can(actor, ENTER, organisation) and bool(asked)
    default_year = today.year - 1
    return {"organisation": organisation, "sections": sections, "asked": asked,
            "metric_choices": [(key, metric_words.label(key)) for key in asked],
            "questions": {key: str(METRICS[key].question) for key in asked},
            "may_enter": may_enter, "may_check": authz.can(actor, CHECK, organisation),
            "values": values or {"metric": asked[0] if asked else "", "year": str(default_year), "value": "",
                                 "note": ""},
            "first_year": rules.FIRST_YEAR, "this_year": today.year}


def _organisation_or_404(request, action: str) -> Organisation:
    organisation_id = request.path_params["organisation_id"]
    return load_or_404(request, Organisation, action, Organisation.id == organisation_id,
                       Organisation.deleted_at.is_null())


TEMPLATE = "membership_counts/organisation.html"


def organisation_page(request):
    organisation = _organisation_or_404(request, READ)
    if request.method == "GET":
        return show_form(request, TEMPLATE, _organisation_context(request, organisation))
    require(request, ENTER, organisation)
    values = form_values(request, ("metric", "year", "value", "note"))
    try:
        _row, outcome = rules.record_count(organisation, values, actor_of(request).label, _today())
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, _organisation_context(request, organisation, values), exc.by_field())
    return saved(f"/membership-counts/organisations/{organisation.id}", f"count-{outcome}")


def check(request):
    organisation = _organisation_or_404(request, CHECK)
    raw = str(request.state.form.get("count", "")).strip()
    query = (tenancy.scoped(MemberCount.select(), MemberCount, actor_of(request), CHECK)
             .where(MemberCount.organisation == organisation.id, MemberCount.checked_on.is_null()))
    if raw != "all":
        count_id = inputs.parse_id(raw)
        if count_id is None:
            raise HTTPException(400, detail=gettext("Choose a count to mark as checked"))
        query = query.where(MemberCount.id == count_id)
    rows = list(query)
    if raw != "all" and not rows:
        raise HTTPException(404)
    rules.check_counts(rows, actor_of(request).label, _today())
    return saved(f"/membership-counts/organisations/{organisation.id}", "counts-checked")


# --- settings ----------------------------------------------------------------------------------

def _settings_context(request) -> dict:
    actor = actor_of(request)
    platform = request.app.state.platform
    types = sorted({p.programme_type for p in tenancy.scoped(Programme.select(Programme.programme_type), Programme,
                                                             actor, CONFIGURE).where(Programme.deleted_at.is_null())})
    named = [(key, str(platform.programme_types[key].name) if key in platform.programme_types else key)
             for key in types]
    return {"types": named, "settings": rules.settings_by_type(),
            "metrics": [(key, metric_words.label(key)) for key in METRICS]}


def settings_page(request):
    context = _settings_context(request)
    if request.method == "GET":
        return show_form(request, "membership_counts/settings.html", context)
    allowed = {key for key, _name in context["types"]}
    form = request.state.form
    listed = list(dict.fromkeys(str(value) for value in form.getlist("type")))[:200]
    if not listed:  # the form names the types it covers: nothing named, nothing changes
        return show_form(request, "membership_counts/settings.html", context,
                         {"type": [gettext("The form lists no programme type to save")]})
    if any(key not in allowed for key in listed):  # a forged form naming a type the person runs no programme of
        from core.auth import web
        web.refuse(request, actor_of(request), CONFIGURE)
    chosen = {str(value) for value in form.getlist("count")}
    wanted = {key: {metric for metric in METRICS if f"{key}|{metric}" in chosen} for key in listed}
    try:
        rules.set_metrics(wanted, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "membership_counts/settings.html", context, exc.by_field())
    return saved("/membership-counts/settings", "settings-saved")


def routes():
    return [
        page("/membership-counts", index, name="membership_counts", permission=READ),
        page("/membership-counts/settings", settings_page, name="membership_counts_settings",
             methods=("GET", "POST"), permission=CONFIGURE),
        page("/membership-counts/organisations/{organisation_id:id}", organisation_page,
             name="membership_counts_organisation", methods=("GET", "POST"), permission=READ),
        page("/membership-counts/organisations/{organisation_id:id}/check", check,
             name="membership_counts_check", methods=("POST",), permission=CHECK),
    ]
