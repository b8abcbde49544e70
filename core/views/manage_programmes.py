"""Creating and editing programmes in the browser, through ``core.rules.registry``.

``programme.create`` in a municipality (municipality administrators) and ``programme.edit``
on the programme (its municipality's staff, the volunteer centre that owns it). The owner
must be an organisation the actor governs, so nobody can hand a programme to another
tenant; the funder is any organisation (a public fact, it grants nobody anything).
"""
from __future__ import annotations

from core import i18n, inputs, tenancy
from core.i18n import Message
from core.models.organisation import Organisation
from core.models.programme import PROGRAMME_STATUSES, Programme
from core.rules import registry
from core.rules.errors import Collector, RuleViolation
from core.views.manage_common import (actor_of, form_values, load_or_404, municipality_choices, saved,
                                      scoped_municipality, show_form)
from core.web.routing import page

CREATE_FIELDS = ("name", "programme_type", "municipality", "owner_organisation", "funder", "description",
                 "start_date", "end_date", "status")
EDIT_FIELDS = ("name", "owner_organisation", "funder", "description", "start_date", "end_date", "status")
TEMPLATE = "manage/programme_form.html"
FUNDER_KINDS = ("municipal_unit", "national_body")


def _owner_kinds(platform, programme_type_key: str | None = None) -> set[str]:
    types = [platform.programme_types.get(programme_type_key)] if programme_type_key else list(platform.programme_types)
    return {kind for programme_type in types if programme_type for kind in programme_type.owner_kinds} - {"municipality"}


def _owner_choices(request, action: str, kinds: set[str], current_id: int | None) -> list[Organisation]:
    query = tenancy.scoped(Organisation.select(), Organisation, actor_of(request), action).where(
        Organisation.deleted_at.is_null(), Organisation.kind.in_(list(kinds) or [""]))
    choices = list(query.order_by(Organisation.name).limit(500))
    if current_id and current_id not in {o.id for o in choices}:
        current = Organisation.get_or_none(Organisation.id == current_id)
        choices += [current] if current else []
    return choices


def _funder_choices(current_id: int | None) -> list[Organisation]:
    condition = Organisation.kind.in_(FUNDER_KINDS) & Organisation.deleted_at.is_null()
    if current_id:
        condition |= Organisation.id == current_id
    return list(Organisation.select().where(condition).order_by(Organisation.name).limit(500))


def _id_or_none(text: str) -> int | None:
    return inputs.parse_id(text)


def _check_owner(request, action: str, values: dict, choices: list[Organisation], problems: dict) -> None:
    """An owner outside the actor's organisations is a forged form: 403. An unknown one is a field problem."""
    text = values["owner_organisation"].strip()
    if not text:
        values["owner_organisation"] = None
        return
    owner_id = _id_or_none(text)
    if owner_id is not None and (owner_id in {o.id for o in choices} or tenancy.get_scoped(
            Organisation, actor_of(request), action, Organisation.id == owner_id,
            Organisation.deleted_at.is_null()) is not None):
        values["owner_organisation"] = owner_id  # the rule checks its kind
        return
    if owner_id is not None and Organisation.select().where(Organisation.id == owner_id).exists():
        from core.auth import web
        web.refuse(request, actor_of(request), action)
    problems["owner_organisation"] = [str(Message("Choose an organisation from the list"))]


def _check_funder(values: dict, problems: dict) -> None:
    text = values["funder"].strip()
    if not text:
        values["funder"] = None
        return
    funder_id = _id_or_none(text)
    if funder_id is None:
        problems["funder"] = [str(Message("Choose an organisation from the list"))]
    values["funder"] = funder_id


def _errors(exc: RuleViolation | None, problems: dict) -> dict:
    errors = exc.by_field() if exc else {}
    for field, messages in problems.items():
        errors[field] = messages
    return errors


def programme_create(request):
    action = "programme.create"
    platform = request.app.state.platform
    actor = actor_of(request)
    municipalities = municipality_choices(actor, action)
    owners = _owner_choices(request, action, _owner_kinds(platform), None)
    context = {"programme": None, "types": list(platform.programme_types), "municipalities": municipalities,
               "owners": owners, "funders": _funder_choices(None), "statuses": PROGRAMME_STATUSES}
    if request.method == "GET":
        values = {field: "" for field in CREATE_FIELDS} | {"status": "active"}
        if len(municipalities) == 1:
            values["municipality"] = municipalities[0].code
        return show_form(request, TEMPLATE, {**context, "values": values})
    values = form_values(request, CREATE_FIELDS)
    shown = dict(values)
    context["values"] = shown
    problems: dict = {}
    if values["municipality"].strip():
        scoped_municipality(request, values["municipality"], action)  # 403 outside the actor's scope
    _check_owner(request, action, values, owners, problems)
    _check_funder(values, problems)
    try:
        if problems:
            _validate_only(platform, values)
            raise RuleViolation([])
        programme = registry.create_programme(platform, values, actor.label)
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, context, _errors(exc, problems))
    return saved(f"/programmes/{programme.slug}", "programme-created")


def _validate_only(platform, values: dict) -> None:
    """The rule's field checks without writing (used when the view found a problem of its own)."""
    problems = Collector()
    if not str(values.get("name") or "").strip():
        problems.add("name", "Enter the programme's name")
    if values.get("programme_type") is not None and platform.programme_types.get(values["programme_type"]) is None:
        problems.add("programme_type", "Choose one of the programme types the enabled plugins offer")
    start = registry.parse_date(values.get("start_date"), "start_date", problems)
    end = registry.parse_date(values.get("end_date"), "end_date", problems, required=False)
    if start and end and end < start:
        problems.add("end_date", "The end date is before the start date")
    problems.raise_if_any()


def programme_edit(request):
    action = "programme.edit"
    platform = request.app.state.platform
    programme = load_or_404(request, Programme, action, Programme.slug == request.path_params["slug"],
                            Programme.deleted_at.is_null())
    owners = _owner_choices(request, action, _owner_kinds(platform, programme.programme_type),
                            programme.owner_organisation_id)
    programme_type = platform.programme_types.get(programme.programme_type)
    context = {"programme": programme, "programme_type": programme_type, "owners": owners,
               "funders": _funder_choices(programme.funder_id), "statuses": PROGRAMME_STATUSES}
    if request.method == "GET":
        values = {"name": programme.name, "owner_organisation": str(programme.owner_organisation_id or ""),
                  "funder": str(programme.funder_id or ""), "description": programme.description,
                  "start_date": i18n.format_date_input(programme.start_date),
                  "end_date": i18n.format_date_input(programme.end_date) if programme.end_date else "",
                  "status": programme.status}
        return show_form(request, TEMPLATE, {**context, "values": values})
    values = form_values(request, EDIT_FIELDS)
    context["values"] = dict(values)
    problems: dict = {}
    _check_owner(request, action, values, owners, problems)
    _check_funder(values, problems)
    try:
        if problems:
            _validate_only(platform, {**values, "programme_type": None})
            raise RuleViolation([])
        registry.update_programme(platform, programme, values, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, context, _errors(exc, problems))
    return saved(f"/programmes/{programme.slug}", "programme-updated")


def routes():
    return [
        page("/manage/programmes/new", programme_create, name="manage_programme_create",
             methods=("GET", "POST"), permission="programme.create"),
        page("/manage/programmes/{slug:str}/edit", programme_edit, name="manage_programme_edit",
             methods=("GET", "POST"), permission="programme.edit"),
    ]
