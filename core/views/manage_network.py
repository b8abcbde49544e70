"""A programme's network in the browser: add an organisation, take one out.

``membership.edit`` on the programme (its municipality's staff, the volunteer centre that owns
it). The organisations offered are those of the programme's municipality and the national
ones (no municipality); taking one out leaves a tombstone, so its fees and grants stay.
"""
from __future__ import annotations

from peewee import JOIN

from core.models.membership import MEMBERSHIP_ROLES, Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules import registry
from core.rules.errors import Collector, RuleViolation
from core.views.manage_common import actor_of, form_values, load_or_404, saved, show_form
from core.web.routing import page

ACTION = "membership.edit"
FIELDS = ("organisation", "role", "joined_on")
TEMPLATE = "manage/network.html"


def _programme(request) -> Programme:
    return load_or_404(request, Programme, ACTION, Programme.slug == request.path_params["slug"],
                       Programme.deleted_at.is_null())


def _members(programme: Programme) -> list[Membership]:
    return list(Membership.select(Membership, Organisation).join(Organisation)
                .where(Membership.programme == programme.id, Membership.deleted_at.is_null())
                .order_by(Membership.role, Organisation.name))


def _candidates(programme: Programme) -> list[Organisation]:
    """Organisations that may join: in the programme's municipality or national, not yet members."""
    live = Membership.select(Membership.organisation).where(Membership.programme == programme.id,
                                                             Membership.deleted_at.is_null())
    return list(Organisation.select()
                .where(Organisation.deleted_at.is_null(), Organisation.id.not_in(live),
                       (Organisation.municipality == programme.municipality_id) | Organisation.municipality.is_null())
                .order_by(Organisation.name).limit(1000))


def network(request):
    programme = _programme(request)
    context = {"programme": programme, "members": _members(programme), "candidates": _candidates(programme),
               "roles": MEMBERSHIP_ROLES}
    if request.method == "GET":
        return show_form(request, TEMPLATE, {**context, "values": {"organisation": "", "role": "partner",
                                                                   "joined_on": ""}})
    values = form_values(request, FIELDS)
    context["values"] = values
    problems = Collector()
    chosen = {str(o.id): o for o in context["candidates"]}.get(values["organisation"].strip())
    if chosen is None:
        already = values["organisation"].strip() in {str(m.organisation_id) for m in context["members"]}
        if already:
            problems.add("organisation", "The organisation is already in this programme's network")
        else:
            problems.add("organisation", "Choose an organisation from the list")
    if values["role"] not in MEMBERSHIP_ROLES:
        problems.add("role", "Choose a role: partner, local actor or coordinator")
    joined_on = registry.parse_date(values["joined_on"], "joined_on", problems, required=False)
    try:
        problems.raise_if_any()
        registry.add_membership(programme=programme, organisation=chosen, role=values["role"], joined_on=joined_on,
                                actor=actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, context, exc.by_field())
    return saved(f"/manage/programmes/{programme.slug}/network", "member-added")


def remove_member(request):
    programme = _programme(request)
    membership = (Membership.select(Membership, Organisation).join(Organisation, JOIN.INNER)
                  .where(Membership.id == request.path_params["membership_id"], Membership.programme == programme.id,
                         Membership.deleted_at.is_null()).first())
    if membership is None:
        from starlette.exceptions import HTTPException
        raise HTTPException(404)
    try:
        registry.remove_membership(membership=membership, actor=actor_of(request).label)
    except RuleViolation as exc:  # taken out by someone else a moment ago
        return show_form(request, TEMPLATE, {"programme": programme, "members": _members(programme),
                                             "candidates": _candidates(programme), "roles": MEMBERSHIP_ROLES,
                                             "values": {"organisation": "", "role": "partner", "joined_on": ""}},
                         exc.by_field())
    return saved(f"/manage/programmes/{programme.slug}/network", "member-removed")


def routes():
    return [
        page("/manage/programmes/{slug:str}/network", network, name="manage_network", methods=("GET", "POST"),
             permission=ACTION),
        page("/manage/programmes/{slug:str}/network/{membership_id:id}/remove", remove_member,
             name="manage_network_remove", methods=("POST",), permission=ACTION),
    ]
