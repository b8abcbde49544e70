"""Creating and editing organisations in the browser, through ``core.rules.registry``.

Who may: ``organisation.create`` in a municipality (municipality administrators), and
``organisation.edit`` on the organisation (its municipality's staff, its own resource person
and board, the platform administrator). Moving an organisation to another municipality needs
``organisation.edit`` there too, so a person scoped to one organisation or municipality can
never hand a row to another tenant. Changing what kind of organisation it is (an association,
a volunteer centre, a national body, ...) needs ``organisation.classify`` (the municipality's
staff): the kind decides who may own programmes and hold a coordinator's role, so an
organisation's own people cannot change it.
"""
from __future__ import annotations

from core import authz, tenancy
from core.models.municipality import Municipality
from core.models.organisation import ORGANISATION_KINDS, Organisation
from core.rules import registry
from core.rules.errors import RuleViolation
from core.views.manage_common import (actor_of, form_values, load_or_404, municipality_choices, saved,
                                      scoped_municipality, show_form)
from core.web.routing import page

FIELDS = ("name", "kind", "cvr", "municipality", "description", "street", "postcode", "city", "email", "phone",
          "website", "target_groups")
TEMPLATE = "manage/organisation_form.html"


def _may_leave_municipality_empty(actor, action: str) -> bool:
    """Only an instance-wide grant covers organisations in no municipality (national bodies)."""
    return tenancy.tenant_condition(Municipality, actor, action) is None


def _context(request, action: str, organisation: Organisation | None, values: dict) -> dict:
    actor = actor_of(request)
    platform = request.app.state.platform
    choices = municipality_choices(actor, action)
    current = organisation.municipality if organisation is not None and organisation.municipality_id else None
    if current is not None and current.id not in {m.id for m in choices}:
        choices = []  # scoped to the organisation, not its municipality: the field is shown, not changed
    may_classify = organisation is None or authz.can(actor, "organisation.classify", organisation)
    return {"organisation": organisation, "values": values, "kinds": ORGANISATION_KINDS, "may_classify": may_classify,
            "target_groups": platform.target_groups, "municipalities": choices, "current_municipality": current,
            "allow_no_municipality": _may_leave_municipality_empty(actor, action)}


def _values_of(organisation: Organisation) -> dict:
    from core.directory import attach_target_groups
    attach_target_groups([organisation])
    values = {field: getattr(organisation, field, "") or "" for field in FIELDS if field not in
              ("municipality", "target_groups")}
    values["municipality"] = organisation.municipality.code if organisation.municipality_id else ""
    values["target_groups"] = list(organisation.target_groups)
    return values


def _municipality_problem(request, action: str, values: dict, context: dict) -> dict[str, list[str]]:
    """Check the chosen municipality against the actor's scope (403 for a forged one)."""
    from core.i18n import Message
    code = values["municipality"].strip()
    current = context["current_municipality"]
    if not context["municipalities"] and context["organisation"] is not None:
        values["municipality"] = current.code if current else ""  # this person cannot move it
        return {}
    if not code:
        if context["allow_no_municipality"]:
            return {}
        return {"municipality": [str(Message("Choose the organisation's municipality"))]}
    if current is not None and code == current.code:
        return {}
    scoped_municipality(request, code, action)  # refuses (403) a municipality outside the actor's scope
    return {}


def _check_all(request, values: dict, organisation: Organisation | None, problems: dict) -> None:
    """With a problem of the view's own, run the rule's checks only (nothing is written) so the
    form shows every problem at once."""
    if problems:
        registry._validate_organisation(request.app.state.platform, values, organisation)
        raise RuleViolation([])


def organisation_create(request):
    action = "organisation.create"
    if request.method == "GET":
        values = {field: "" for field in FIELDS} | {"target_groups": [], "kind": "association"}
        context = _context(request, action, None, values)
        if len(context["municipalities"]) == 1:
            values["municipality"] = context["municipalities"][0].code
        return show_form(request, TEMPLATE, context)
    values = form_values(request, FIELDS, multi=("target_groups",))
    context = _context(request, action, None, values)
    problems = _municipality_problem(request, action, values, context)
    try:
        _check_all(request, values, None, problems)
        organisation = registry.create_organisation(request.app.state.platform, values, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, context, {**exc.by_field(), **problems})
    return saved(f"/organisations/{organisation.slug}", "organisation-created")


def organisation_edit(request):
    action = "organisation.edit"
    organisation = load_or_404(request, Organisation, action, Organisation.slug == request.path_params["slug"],
                               Organisation.deleted_at.is_null())
    if request.method == "GET":
        return show_form(request, TEMPLATE, _context(request, action, organisation, _values_of(organisation)))
    values = form_values(request, FIELDS, multi=("target_groups",))
    context = _context(request, action, organisation, values)
    if not context["may_classify"]:
        if values["kind"].strip() not in ("", organisation.kind):  # a forged form: the field is not offered
            from core.auth import web
            web.refuse(request, actor_of(request), "organisation.classify")
        values["kind"] = organisation.kind
    problems = _municipality_problem(request, action, values, context)
    try:
        _check_all(request, values, organisation, problems)
        registry.update_organisation(request.app.state.platform, organisation, values, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, context, {**exc.by_field(), **problems})
    return saved(f"/organisations/{organisation.slug}", "organisation-updated")


def routes():
    return [
        page("/manage/organisations/new", organisation_create, name="manage_organisation_create",
             methods=("GET", "POST"), permission="organisation.create"),
        page("/manage/organisations/{slug:str}/edit", organisation_edit, name="manage_organisation_edit",
             methods=("GET", "POST"), permission="organisation.edit"),
    ]
