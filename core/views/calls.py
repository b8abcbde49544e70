"""Calls for applications: the public list and a call's page (its criteria and questions,
and for people who may apply, the way to start an application), opening a call, adding a
question."""
from __future__ import annotations

import datetime

from peewee import fn
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz, inputs
from core.i18n import Message
from core.models.application import Application, Review
from core.models.call import Call, CallQuestion
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules import applications as application_rules, calls as call_rules
from core.rules.errors import RuleViolation
from core.tenancy import get_scoped, scoped
from core.web.pages import page_blocks, render
from core.web.routing import page

STATE_ORDER = {"open": 0, "upcoming": 1, "closed": 2}


def call_list(request):
    today = datetime.date.today()
    calls = list(Call.select(Call, Programme, Municipality).join(Programme).join(Municipality)
                 .where(Programme.deleted_at.is_null()).order_by(Call.closes_on.desc(), Call.id.desc()).limit(500))
    calls.sort(key=lambda c: STATE_ORDER[c.state(today)])
    actor = request.state.actor
    may_open = actor.is_authenticated and authz.can(actor, "call.manage")
    return render(request, "calls/list.html", {"calls": calls, "today": today, "may_open": may_open})


def _manageable_programmes(actor):
    query = Programme.select(Programme, Municipality).join(Municipality).where(Programme.deleted_at.is_null())
    return list(scoped(query, Programme, actor, "call.manage").order_by(Municipality.name, Programme.name))


def _new_page(request, form=None, errors=None, status_code=200):
    actor = request.state.actor
    return render(request, "calls/new.html", {
        "programmes": _manageable_programmes(actor), "form": form or {"programme": request.query_params.get("programme", "")},
        "errors": errors or {}}, status_code=status_code)


def call_new(request):
    return _new_page(request)


def call_create(request):
    actor = request.state.actor
    form = request.state.form
    data = {key: str(form.get(key, "")) for key in ("programme", "title", "description", "opens_on", "closes_on",
                                                     "questions")}
    programme_id = inputs.parse_id(data["programme"]) or 0
    programme = get_scoped(Programme, actor, "call.manage", Programme.id == programme_id, Programme.deleted_at.is_null())
    if programme is None:
        return _new_page(request, data, {"programme": [str(Message("Choose a programme you manage"))]}, 400)
    try:
        call = call_rules.create_call(request.app.state.platform, programme=programme, data=data, actor=actor.label)
    except RuleViolation as exc:
        return _new_page(request, data, exc.by_field(), 400)
    return RedirectResponse(f"/calls/{call.id}", status_code=303)


def _load_call(call_id: int) -> Call:
    call = (Call.select(Call, Programme, Municipality).join(Programme).join(Municipality)
            .where(Call.id == call_id, Programme.deleted_at.is_null()).first())
    if call is None:
        raise HTTPException(404)
    return call


def applicable_organisations(actor) -> list[Organisation]:
    """The organisations the person may apply for: those where they hold a role that submits."""
    if not actor.is_authenticated:
        return []
    ids = [g.organisation_id for g in actor.grants
           if g.organisation_id and actor.table.grants(g.role, "application.submit")]
    if not ids:
        return []
    return list(Organisation.select().where(Organisation.id.in_(ids), Organisation.deleted_at.is_null())
                .order_by(Organisation.name))


def call_page(request, call: Call, errors=None, status_code=200):
    platform = request.app.state.platform
    actor = request.state.actor
    programme_type = platform.programme_types.get(call.programme.programme_type)
    questions = list(CallQuestion.select().where(CallQuestion.call == call.id).order_by(CallQuestion.position))
    organisations = applicable_organisations(actor)
    mine = {}
    if organisations:
        mine = {a.organisation_id: a for a in Application.select().where(
            Application.call == call.id, Application.organisation.in_([o.id for o in organisations]))}
    applications, scores = [], {}
    if actor.is_authenticated and authz.can(actor, "application.review", call):
        query = (Application.select(Application, Organisation).join(Organisation)
                 .where(Application.call == call.id, Application.status != "draft"))
        applications = list(scoped(query, Application, actor, "application.review").order_by(Organisation.name))
        if applications:
            scores = {row[0]: (row[1], row[2]) for row in Review.select(
                Review.application, fn.COUNT(Review.id), fn.AVG(Review.score))
                .where(Review.application.in_([a.id for a in applications])).group_by(Review.application).tuples()}
    context = {
        "call": call, "programme": call.programme, "programme_type": programme_type, "questions": questions,
        "state": call.state(), "organisations": organisations, "mine": mine, "applications": applications,
        "scores": scores, "may_manage": actor.is_authenticated and authz.can(actor, "call.manage", call),
        "errors": errors or {},
    }
    context["blocks"] = page_blocks(request, "call", context)
    return render(request, "calls/detail.html", context, status_code=status_code)


def call_detail(request):
    return call_page(request, _load_call(request.path_params["call_id"]))


def call_add_question(request):
    actor = request.state.actor
    call = _load_call(request.path_params["call_id"])
    if not authz.can(actor, "call.manage", call):
        raise HTTPException(404)
    form = request.state.form
    try:
        call_rules.add_question(call, text=str(form.get("text", "")), required=form.get("required") == "yes",
                                actor=actor.label)
    except RuleViolation as exc:
        return call_page(request, call, exc.by_field(), 400)
    return RedirectResponse(f"/calls/{call.id}#questions", status_code=303)


def call_apply(request):
    platform = request.app.state.platform
    actor = request.state.actor
    call = _load_call(request.path_params["call_id"])
    organisation_id = inputs.parse_id(request.state.form.get("organisation", "")) or 0
    organisation = next((o for o in applicable_organisations(actor) if o.id == organisation_id), None)
    if organisation is None:
        return call_page(request, call, {"organisation": [str(Message("Choose an organisation you may apply for"))]}, 400)
    try:
        application = application_rules.start_application(platform, call=call, organisation=organisation,
                                                          actor=actor.label, account=actor.account)
    except RuleViolation as exc:
        return call_page(request, call, exc.by_field(), 400)
    return RedirectResponse(f"/applications/{application.id}", status_code=303)


def routes():
    return [
        page("/calls", call_list, name="calls"),
        page("/calls/new", call_new, name="call_new", permission="call.manage"),
        page("/calls/new", call_create, name="call_create", methods=("POST",), permission="call.manage"),
        page("/calls/{call_id:id}", call_detail, name="call"),
        page("/calls/{call_id:id}/questions", call_add_question, name="call_add_question", methods=("POST",),
             permission="call.manage"),
        page("/calls/{call_id:id}/apply", call_apply, name="call_apply", methods=("POST",),
             permission="application.submit"),
    ]
