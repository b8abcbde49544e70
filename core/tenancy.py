"""Tenant isolation: the one place that narrows a query to what an actor may see or change.

Views never write ``WHERE municipality = …`` by hand for private data; they call
``scoped(query, Model, actor, action)``. The actor's grants that carry the action decide:
an instance-wide grant (platform administrator) sees everything, a municipality grant sees
rows in that municipality, an organisation grant sees that organisation and what it owns or
takes part in. No grant means no rows. ``core.authz.can`` answers the same question for one
row; this answers it for a whole query, so lists and single rows agree.

How a model's rows belong to municipalities and organisations is declared once, on the model
(``scope_rule``, see ``core.scope``); ``can`` reads the same declaration for one row.

An organisation's own people (``authz.PEOPLE_ROLES``) see only what is their organisation's
own (``core.scope.own_condition_for``), never what the organisation governs as a programme's
owner. A model whose rule names nothing of the kind shows them nothing.
"""
from __future__ import annotations

from typing import Any

from peewee import Expression

from core import authz
from core.scope import NOTHING, condition_for, own_condition_for


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
