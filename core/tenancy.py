"""Tenant isolation: the one place that narrows a query to what an actor may see or change.

Views never write ``WHERE municipality = …`` by hand for private data; they call
``scoped(query, Model, actor, action)``. The actor's grants that carry the action decide:
an instance-wide grant (platform administrator) sees everything, a municipality grant sees
rows in that municipality, an organisation grant sees that organisation and what it owns or
takes part in. No grant means no rows. ``core.authz.can`` answers the same question for one
row; this answers it for a whole query, so lists and single rows agree.

Each model says how its rows belong to municipalities and organisations through
``TENANCY`` below (or a ``tenancy_condition(municipality_ids, organisation_ids)`` classmethod
on the model, which is how plugins and later core modules join in).

An organisation's own people (``authz.PEOPLE_ROLES``) see only what is their organisation's
own: ``OWN`` below (or an ``own_condition(organisation_ids)`` classmethod), never what the
organisation governs as a programme's owner. A model without such a rule shows them nothing.
"""
from __future__ import annotations

from typing import Any, Callable

from peewee import Expression, Value

from core import authz
from core.models.audit import AuditEntry
from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme

NOTHING = Value(1) == Value(0)


def _programme_condition(municipality_ids, organisation_ids):
    return (Programme.municipality.in_(municipality_ids) |
            Programme.owner_organisation.in_(organisation_ids))


def _programme_ids(municipality_ids, organisation_ids):
    return Programme.select(Programme.id).where(_programme_condition(municipality_ids, organisation_ids))


def _in_programme_or_organisation(model):
    def condition(municipality_ids, organisation_ids):
        return (model.programme.in_(_programme_ids(municipality_ids, organisation_ids)) |
                model.organisation.in_(organisation_ids))
    return condition


TENANCY: dict[type, Callable[[list[int], list[int]], Expression]] = {
    Municipality: lambda m, o: Municipality.id.in_(m),
    Organisation: lambda m, o: Organisation.municipality.in_(m) | Organisation.id.in_(o),
    Programme: _programme_condition,
    Membership: _in_programme_or_organisation(Membership),
    SignOnFee: _in_programme_or_organisation(SignOnFee),
    Grant: _in_programme_or_organisation(Grant),
    AuditEntry: lambda m, o: _audit_condition(m, o),
}


def _audit_condition(municipality_ids, organisation_ids):
    """Audit rows whose scope ('municipality:1', 'programme:3', 'organisation:7') is one of the
    municipalities, or a programme or organisation in them (deleted ones too: their history stays)."""
    def scopes(prefix, model, condition):
        return model.select(Value(prefix).concat(model.id.cast("TEXT"))).where(condition)
    return (AuditEntry.scope.in_([f"municipality:{m}" for m in municipality_ids])
            | AuditEntry.scope.in_([f"organisation:{o}" for o in organisation_ids])
            | AuditEntry.scope.in_(scopes("programme:", Programme,
                                          _programme_condition(municipality_ids, organisation_ids)))
            | AuditEntry.scope.in_(scopes("organisation:", Organisation,
                                          Organisation.municipality.in_(municipality_ids))))


def _audit_own(organisation_ids):
    return AuditEntry.scope.in_([f"organisation:{o}" for o in organisation_ids])


# What is an organisation's own, for its own people (resource persons, board members).
OWN: dict[type, Callable[[list[int]], Expression]] = {
    Organisation: lambda o: Organisation.id.in_(o),
    Membership: lambda o: Membership.organisation.in_(o),
    SignOnFee: lambda o: SignOnFee.organisation.in_(o),
    Grant: lambda o: Grant.organisation.in_(o),
    AuditEntry: _audit_own,
}


def own_condition_for(model, organisation_ids: list[int]) -> Expression:
    custom = getattr(model, "own_condition", None)
    if custom is not None:
        return custom(organisation_ids)
    rule = OWN.get(model)
    return rule(organisation_ids) if rule is not None else NOTHING


def condition_for(model, municipality_ids: list[int], organisation_ids: list[int]) -> Expression:
    custom = getattr(model, "tenancy_condition", None)
    if custom is not None:
        return custom(municipality_ids, organisation_ids)
    try:
        return TENANCY[model](municipality_ids, organisation_ids)
    except KeyError:
        raise TypeError(f"{model.__name__} has no tenancy rule: add tenancy_condition() to it") from None


def tenant_condition(model, actor: authz.Actor, action: str) -> Expression | None:
    """None when the actor may see every row, else a condition (possibly matching nothing)."""
    table = actor.table
    if table.grants(authz.PUBLIC, action):
        return None
    if not actor.is_authenticated:
        return NOTHING
    municipality_ids: list[int] = []
    organisation_ids: list[int] = []
    own_ids: list[int] = []
    for grant in actor.grants:
        if not table.grants(grant.role, action):
            continue
        if grant.municipality_id is None and grant.organisation_id is None:
            return None  # an instance-wide role
        if grant.municipality_id is not None:
            municipality_ids.append(grant.municipality_id)
        if grant.organisation_id is not None:
            (own_ids if grant.role in authz.PEOPLE_ROLES else organisation_ids).append(grant.organisation_id)
    conditions = []
    if municipality_ids or organisation_ids:
        conditions.append(condition_for(model, municipality_ids or [0], organisation_ids or [0]))
    if own_ids:
        conditions.append(own_condition_for(model, own_ids))
    if not conditions:
        return NOTHING
    return conditions[0] if len(conditions) == 1 else conditions[0] | conditions[1]


def scoped(query, model, actor: authz.Actor, action: str):
    """``query`` narrowed to the rows of ``model`` the actor may ``action``."""
    condition = tenant_condition(model, actor, action)
    return query if condition is None else query.where(condition)


def get_scoped(model, actor: authz.Actor, action: str, *conditions: Any):
    """One row the actor may ``action``, or None (which views answer with 404, so a row in
    another tenant looks the same as no row)."""
    return scoped(model.select(), model, actor, action).where(*conditions).first()
