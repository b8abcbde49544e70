"""Money in the browser: record a sign-on fee, record a grant, set a year's budget.

``money.record`` on the programme (its municipality's administrators and consultants) for fees
and grants; ``budget.set`` for the budget, which stays with those who approve payments, so
nobody raises the budget they then request payments against. The
amounts are parsed as people type them (``core.rules.money.parse_amount``) and every rule —
cap, one fee per organisation, network, period, budget — runs in ``core.rules.money`` inside
one transaction that locks the programme, so a refusal writes nothing.
"""
from __future__ import annotations

from peewee import JOIN

from core import inputs
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules import money, registry
from core.rules.errors import Collector, RuleViolation
from core.views.manage_common import actor_of, form_values, load_or_404, saved, show_form
from core.web.routing import page

ACTION = "money.record"
BUDGET_ACTION = "budget.set"


def _programme(request, action: str = ACTION) -> Programme:
    return load_or_404(request, Programme, action, Programme.slug == request.path_params["slug"],
                       Programme.deleted_at.is_null())


def _members(programme: Programme, role: str | None = None) -> list[Membership]:
    query = (Membership.select(Membership, Organisation).join(Organisation, JOIN.INNER)
             .where(Membership.programme == programme.id, Membership.deleted_at.is_null(),
                    Organisation.deleted_at.is_null()))
    if role:
        query = query.where(Membership.role == role)
    return list(query.order_by(Organisation.name))


def _organisation_id(text: str, problems: Collector) -> int | None:
    organisation_id = inputs.parse_id(text)
    if organisation_id is None:
        problems.add("organisation", "Choose an organisation from the list")
    return organisation_id


def _amount(text: str, problems: Collector) -> int | None:
    try:
        return money.parse_amount(text, "amount")
    except RuleViolation as exc:
        problems.problems.extend(exc.problems)
        return None


def _year(text: str, problems: Collector) -> int | None:
    return inputs.parse_year(text, "year", problems)


def _prefilled(request, fields: tuple[str, ...]) -> dict[str, str]:
    """An empty form, with the organisation, year and amount a link may suggest (digits only,
    e.g. from an agreement's page); the person still submits it, and the rules check it."""
    values = {f: "" for f in fields}
    for field in ("organisation", "year", "amount"):
        suggested = request.query_params.get(field, "")
        if field in values and suggested.isdecimal() and len(suggested) <= 12:
            values[field] = suggested
    return values


def record_fee(request):
    programme = _programme(request)
    platform = request.app.state.platform
    programme_type = platform.programme_types.get(programme.programme_type)
    # only the members the money rule lets receive a fee (core.rules.money.sign_on_fee_refusal)
    context = {"programme": programme, "programme_type": programme_type,
               "members": money.sign_on_fee_recipients(platform, programme) if programme_type else []}
    fields = ("organisation", "amount", "granted_on", "note")
    if request.method == "GET":
        return show_form(request, "manage/fee_form.html", {**context, "values": _prefilled(request, fields)})
    values = form_values(request, fields)
    context["values"] = values
    problems = Collector()
    organisation_id = _organisation_id(values["organisation"], problems)
    amount = _amount(values["amount"], problems)
    granted_on = registry.parse_date(values["granted_on"], "granted_on", problems)
    try:
        problems.raise_if_any()
        money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation_id,
                                 amount_ore=amount, granted_on=granted_on, actor=actor_of(request).label,
                                 note=values["note"])
    except RuleViolation as exc:
        return show_form(request, "manage/fee_form.html", context, exc.by_field())
    return saved(f"/programmes/{programme.slug}", "fee-recorded")


def record_grant(request):
    programme = _programme(request)
    platform = request.app.state.platform
    context = {"programme": programme, "programme_type": platform.programme_types.get(programme.programme_type),
               "members": _members(programme, "partner")}
    fields = ("organisation", "year", "amount", "purpose")
    if request.method == "GET":
        return show_form(request, "manage/grant_form.html", {**context, "values": _prefilled(request, fields)})
    values = form_values(request, fields)
    context["values"] = values
    problems = Collector()
    organisation_id = _organisation_id(values["organisation"], problems)
    year = _year(values["year"], problems)
    amount = _amount(values["amount"], problems)
    try:
        problems.raise_if_any()
        money.record_grant(platform, programme_id=programme.id, organisation_id=organisation_id, year=year,
                           amount_ore=amount, actor=actor_of(request).label, purpose=values["purpose"])
    except RuleViolation as exc:
        return show_form(request, "manage/grant_form.html", context, exc.by_field())
    return saved(f"/programmes/{programme.slug}", "grant-recorded")


def set_budget(request):
    programme = _programme(request, BUDGET_ACTION)
    context = {"programme": programme, "money": money.money_overview([programme.id])[programme.id]}
    fields = ("year", "amount")
    if request.method == "GET":
        return show_form(request, "manage/budget_form.html", {**context, "values": {f: "" for f in fields}})
    values = form_values(request, fields)
    context["values"] = values
    problems = Collector()
    year = _year(values["year"], problems)
    amount = _amount(values["amount"], problems)
    try:
        problems.raise_if_any()
        money.set_budget(programme_id=programme.id, year=year, amount_ore=amount, actor=actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "manage/budget_form.html", context, exc.by_field())
    return saved(f"/programmes/{programme.slug}", "budget-set")


def routes():
    return [
        page("/manage/programmes/{slug:str}/fees/new", record_fee, name="manage_fee_create",
             methods=("GET", "POST"), permission=ACTION),
        page("/manage/programmes/{slug:str}/grants/new", record_grant, name="manage_grant_create",
             methods=("GET", "POST"), permission=ACTION),
        page("/manage/programmes/{slug:str}/budget", set_budget, name="manage_budget",
             methods=("GET", "POST"), permission=BUDGET_ACTION),
    ]
