"""Where a row belongs — the municipalities and organisations that govern it — declared once per model.

Every model with private rows says how its rows belong to programmes, organisations and
municipalities in ONE class attribute, ``scope_rule``::

    class Call(BaseModel):
        scope_rule = Via("programme")                          # governed where its programme is
    class Agreement(BaseModel):
        scope_rule = Via("programme", organisation="organisation")  # ... and by the partner itself

Both questions of access derive from that one declaration: ``scope_of(row)`` answers it for
one row (``core.authz.can``), ``condition_for(model, municipality_ids, organisation_ids)`` for
a whole query (``core.tenancy.scoped``), so a list and a single row can never disagree. A rule
that goes through a foreign key (``Via``) asks the parent model's own rule, so a chain such as
handover note → agreement → programme is written once, at each link.

Two kinds of organisation grant read a scope differently. An organisation that *governs* a row
(a volunteer centre that owns the programme, the partner a row is about) is in
``organisation_ids``. An organisation's *own people* (resource persons, board members: see
``core.authz.PEOPLE_ROLES``) act only on what is that organisation's own — its profile, its
applications, agreements, memberships and money — named by ``own_organisation_ids``, and for
queries by ``own_condition_for``. Taking part in a network therefore never gives the
organisation's people power over the programme or over other members.

This module is a leaf: it imports nothing of the core, so models import it without a circle
(``core.authz`` imports the models, never the reverse). Plugins give their own tables a
``scope_rule`` the same way.
"""
from __future__ import annotations

import dataclasses
import functools
import operator
from typing import Any, Iterable

from peewee import DoesNotExist, ForeignKeyField, Value


@dataclasses.dataclass(frozen=True)
class Scope:
    """Where a resource lives: the municipalities and organisations that may govern it, and
    (for an account's own rows) the account itself."""

    municipality_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    account_id: int | None = None
    own_organisation_ids: frozenset[int] = frozenset()

    def belonging_to(self, organisation_id: int | None) -> "Scope":
        """This scope, for a row that is one organisation's own (its membership, fee, grant,
        application, agreement): that organisation governs it too, and its own people act on it."""
        own = frozenset({organisation_id} - {None})
        return dataclasses.replace(self, organisation_ids=self.organisation_ids | own, own_organisation_ids=own)


NOTHING = Value(1) == Value(0)


def _any(conditions: Iterable) -> Any:
    conditions = list(conditions)
    return functools.reduce(operator.or_, conditions) if conditions else NOTHING


def _ids(*values) -> frozenset[int]:
    return frozenset(value for value in values if value is not None)


def _column_value(row, name: str):
    """The value of a column, an id for a foreign key (without loading the related row)."""
    field = type(row)._meta.fields[name]
    return getattr(row, field.object_id_name if isinstance(field, ForeignKeyField) else name)


class ScopeRule:
    """How the rows of one model belong to municipalities and organisations."""

    def scope(self, row) -> Scope:  # pragma: no cover - every rule implements it
        raise NotImplementedError

    def condition(self, model, municipality_ids: list[int], organisation_ids: list[int]):  # pragma: no cover
        raise NotImplementedError

    def own_condition(self, model, organisation_ids: list[int]):
        """The rows that are these organisations' own, for their own people; none by default."""
        return NOTHING


class Columns(ScopeRule):
    """The row names its municipality and/or its governing organisation in its own columns;
    either may be the row's own ``id`` (a municipality is its own municipality, an
    organisation governs itself)."""

    def __init__(self, municipality: str | None = None, organisation: str | None = None, own: str | None = None):
        if municipality is None and organisation is None:
            raise ValueError("Columns needs a municipality or an organisation column")
        self.municipality, self.organisation, self.own = municipality, organisation, own

    def scope(self, row) -> Scope:
        return Scope(_ids(_column_value(row, self.municipality)) if self.municipality else frozenset(),
                     _ids(_column_value(row, self.organisation)) if self.organisation else frozenset(),
                     own_organisation_ids=_ids(_column_value(row, self.own)) if self.own else frozenset())

    def condition(self, model, municipality_ids, organisation_ids):
        parts = []
        if self.municipality:
            parts.append(getattr(model, self.municipality).in_(municipality_ids))
        if self.organisation:
            parts.append(getattr(model, self.organisation).in_(organisation_ids))
        return _any(parts)

    def own_condition(self, model, organisation_ids):
        return getattr(model, self.own).in_(organisation_ids) if self.own else NOTHING


class Via(ScopeRule):
    """The row is governed where its parent (a foreign key to a model with its own rule) is;
    with ``organisation``, also by the organisation the row is about (a member, a partner,
    an applicant): "via programme", "via programme or organisation", "via call", "via agreement"."""

    def __init__(self, parent: str, organisation: str | None = None):
        self.parent, self.organisation = parent, organisation

    def scope(self, row) -> Scope:
        try:
            parent = getattr(row, self.parent)
        except DoesNotExist:  # a dangling reference governs nothing
            parent = None
        scope = scope_of(parent) if parent is not None else Scope()
        return scope.belonging_to(_column_value(row, self.organisation)) if self.organisation else scope

    def condition(self, model, municipality_ids, organisation_ids):
        field = model._meta.fields[self.parent]
        parent = field.rel_model
        condition = field.in_(parent.select(parent._meta.primary_key)
                              .where(condition_for(parent, municipality_ids, organisation_ids)))
        if self.organisation:
            condition = condition | getattr(model, self.organisation).in_(organisation_ids)
        return condition

    def own_condition(self, model, organisation_ids):
        if self.organisation:
            return getattr(model, self.organisation).in_(organisation_ids)
        field = model._meta.fields[self.parent]
        parent = field.rel_model
        return field.in_(parent.select(parent._meta.primary_key)
                         .where(own_condition_for(parent, organisation_ids)))


class PrivateWhile(ScopeRule):
    """A rule that holds once a row leaves a private state: while ``column`` is ``value`` (an
    application's draft) the row is the organisation's own alone — the governors of the
    parent (a programme's staff) see it only when it is, say, submitted."""

    def __init__(self, rule: "Via", column: str, value: str):
        if not getattr(rule, "organisation", None):
            raise ValueError("PrivateWhile needs a rule that names the organisation the row is about")
        self.rule, self.column, self.value = rule, column, value

    def scope(self, row) -> Scope:
        if getattr(row, self.column) == self.value:
            own = _ids(_column_value(row, self.rule.organisation))
            return Scope(organisation_ids=own, own_organisation_ids=own)
        return self.rule.scope(row)

    def condition(self, model, municipality_ids, organisation_ids):
        public = getattr(model, self.column) != self.value
        return ((self.rule.condition(model, municipality_ids, organisation_ids) & public)
                | getattr(model, self.rule.organisation).in_(organisation_ids))

    def own_condition(self, model, organisation_ids):
        return self.rule.own_condition(model, organisation_ids)


class RoleHolder(ScopeRule):
    """An account: governed where it holds its roles (the backref ``assignments`` to rows with
    ``municipality`` and ``organisation`` columns), and by the account itself."""

    def __init__(self, assignments: str):
        self.assignments = assignments

    def scope(self, row) -> Scope:
        held = list(getattr(row, self.assignments))
        organisations = _ids(*(a.organisation_id for a in held))
        return Scope(_ids(*(a.municipality_id for a in held)), organisations, row.id, organisations)

    def condition(self, model, municipality_ids, organisation_ids):
        accessor = getattr(model, self.assignments)
        assignment, owner = accessor.rel_model, accessor.field
        return model._meta.primary_key.in_(assignment.select(owner).where(
            assignment.municipality.in_(municipality_ids) | assignment.organisation.in_(organisation_ids)))

    def own_condition(self, model, organisation_ids):
        accessor = getattr(model, self.assignments)
        assignment, owner = accessor.rel_model, accessor.field
        return model._meta.primary_key.in_(assignment.select(owner).where(
            assignment.organisation.in_(organisation_ids)))


class Personal(ScopeRule):
    """A row private to one account (an API token): only the account itself (and an
    instance-wide role) may act on it, so its scope names nobody else. A tenant's rows, for
    lists an instance-wide role narrows, are those of the accounts the tenant governs."""

    def __init__(self, account: str):
        self.account = account

    def scope(self, row) -> Scope:
        return Scope(account_id=_column_value(row, self.account))

    def condition(self, model, municipality_ids, organisation_ids):
        field = model._meta.fields[self.account]
        owner = field.rel_model
        return field.in_(owner.select(owner._meta.primary_key)
                         .where(condition_for(owner, municipality_ids, organisation_ids)))


class InstanceOnly(ScopeRule):
    """Rows of the instance itself (the mail outbox): no municipality or organisation governs
    them, so only an instance-wide role (the platform administrator) reaches them."""

    def scope(self, row) -> Scope:
        return Scope()

    def condition(self, model, municipality_ids, organisation_ids):
        return NOTHING


def rule_of(model) -> ScopeRule | None:
    return getattr(model, "scope_rule", None)


def scope_of(resource: Any) -> Scope:
    """The scope of one row (a ``Scope`` is its own scope)."""
    if isinstance(resource, Scope):
        return resource
    rule = rule_of(type(resource))
    if rule is None:
        raise TypeError(f"no authorisation scope for {type(resource).__name__}: give the model a scope_rule "
                        "(core.scope)")
    return rule.scope(resource)


def condition_for(model, municipality_ids: list[int], organisation_ids: list[int]):
    """A query condition: the rows of ``model`` governed by those municipalities or organisations."""
    rule = rule_of(model)
    if rule is None:
        raise TypeError(f"{model.__name__} has no tenancy rule: give the model a scope_rule (core.scope)")
    return rule.condition(model, municipality_ids, organisation_ids)


def own_condition_for(model, organisation_ids: list[int]):
    """A query condition: the rows of ``model`` that are those organisations' own (for their own
    people); a model whose rule names nothing of the kind shows them nothing."""
    rule = rule_of(model)
    if rule is None:
        raise TypeError(f"{model.__name__} has no tenancy rule: give the model a scope_rule (core.scope)")
    return rule.own_condition(model, organisation_ids)


__all__ = ["NOTHING", "Columns", "InstanceOnly", "Personal", "PrivateWhile", "RoleHolder", "Scope", "ScopeRule", "Via",
           "condition_for", "own_condition_for", "rule_of", "scope_of"]
