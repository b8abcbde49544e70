"""Who may do what, decided in one place: ``can(actor, action, resource=None) -> bool``.

Permissions are action names ("programme.edit"). ``BASE_PERMISSIONS`` maps each role to the
actions it grants; plugins add actions through the ``register_permissions`` hook, and the
table is built once per platform (``build_permissions``). Nothing else in the app decides
access: views and routes ask ``can``, so an audit of the rules is a read of this file.

A role is held in a scope (a ``RoleAssignment``): a grant with a municipality covers
resources in that municipality, one with an organisation covers that organisation and what
it owns, one with neither (platform administrator, national coordinator) covers the whole
instance. An organisation's own people (``PEOPLE_ROLES``: resource persons, board members)
act for that organisation only: their grant covers a resource that is the organisation's
own (``Scope.own_organisation_ids``: its profile, its applications, its agreements), never
the programmes it owns nor other organisations' applications and agreements in them, which
its governing roles (a volunteer centre's coordinator) and the municipality govern. Taking
part in a programme's network gives nobody power over an organisation. Who may grant which
role is ``core.auth.role_grants``'s table. Setting a programme's budget (``budget.set``)
belongs to those who approve its money (municipality administrators, volunteer-centre
coordinators), not to consultants, who record grants and request payments against the budget.

Where a resource lives comes from its model's ``scope_rule`` (``core.scope``), the same
declaration ``core.tenancy`` narrows whole queries with. ``resource=None`` asks "may the actor
do this anywhere" — the question a route asks before the view has loaded anything; the view
asks again with the row it found.

Two pseudo-roles complete the table: ``public`` (everyone, with or without an account) and
``authenticated`` (every logged-in person, whatever their roles, for their own account only).
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Any, Iterable

from core.models.account import ROLES
from core.scope import Scope, scope_of
from core.settings import ConfigError

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ALL_ACTIONS = "*"

BASE_PERMISSIONS: dict[str, frozenset[str]] = {
    PUBLIC: frozenset({"public"}),
    AUTHENTICATED: frozenset({"account.self"}),
    # Everything, and by name what nobody else holds (an action must be named somewhere to exist).
    "platform_admin": frozenset({ALL_ACTIONS, "outbox.read"}),
    "municipality_admin": frozenset({
        "registry.read_private", "organisation.create", "organisation.edit", "organisation.classify",
        "programme.create", "programme.edit", "membership.edit", "money.record", "budget.set", "account.invite",
        "account.manage",
        "audit.read", "payment.read", "payment.request", "payment.approve", "export.read",
        "call.manage", "application.read", "application.review", "application.decide", "agreement.read",
        "agreement.manage", "resource_person.manage"}),
    "consultant": frozenset({
        "registry.read_private", "organisation.edit", "organisation.classify", "programme.edit", "membership.edit",
        "money.record", "payment.read", "payment.request", "export.read",
        "application.read", "application.review", "agreement.read", "resource_person.manage"}),
    "volunteer_centre_coordinator": frozenset({
        "registry.read_private", "organisation.edit", "programme.edit", "membership.edit", "account.invite",
        "payment.read", "payment.request", "payment.approve", "budget.set", "export.read",
        "call.manage", "application.read", "application.review", "application.decide", "agreement.read",
        "agreement.manage", "resource_person.manage"}),
    "resource_person": frozenset({"registry.read_private", "organisation.edit",
                                  "application.read", "application.submit", "agreement.read",
                                  "resource_person.manage"}),
    "board_member": frozenset({"registry.read_private", "organisation.edit",
                               "application.read", "application.submit", "agreement.read",
                               "resource_person.manage"}),
    "national_coordinator": frozenset({"shared.read"}),
}


# Roles held by an organisation's own people: they act for that organisation, not over others.
PEOPLE_ROLES = frozenset({"resource_person", "board_member"})


class UnknownPermission(ValueError):
    """An action no role grants: almost always a typo in a route or a view."""


@dataclasses.dataclass(frozen=True)
class Grant:
    role: str
    municipality_id: int | None = None
    organisation_id: int | None = None
    municipality_name: str = ""
    organisation_name: str = ""

    def covers(self, scope: Scope) -> bool:
        if self.municipality_id is not None:
            return self.municipality_id in scope.municipality_ids
        if self.organisation_id is not None:
            if self.role in PEOPLE_ROLES:
                return self.organisation_id in scope.own_organisation_ids
            return self.organisation_id in scope.organisation_ids
        return True  # an instance-wide role


@dataclasses.dataclass(frozen=True)
class PermissionTable:
    by_role: dict[str, frozenset[str]]

    @functools.cached_property
    def known_actions(self) -> frozenset[str]:
        """Every action some role may take (asked on every ``can``: worked out once per table)."""
        return frozenset(action for actions in self.by_role.values() for action in actions
                         if action != ALL_ACTIONS)

    def grants(self, role: str, action: str) -> bool:
        actions = self.by_role.get(role, frozenset())
        return action in actions or ALL_ACTIONS in actions


def build_permissions(additions: Iterable[dict[str, Iterable[str]] | None] = ()) -> PermissionTable:
    """The core's table plus what plugins register; an unknown role is a start-up error."""
    table = {role: set(actions) for role, actions in BASE_PERMISSIONS.items()}
    for addition in additions:
        for role, actions in (addition or {}).items():
            if role not in table:
                raise ConfigError(f"a plugin grants permissions to the unknown role '{role}'; "
                                  f"roles are {', '.join(table)}")
            table[role].update(actions)
    return PermissionTable({role: frozenset(actions) for role, actions in table.items()})


@dataclasses.dataclass(frozen=True)
class Actor:
    """The person behind a request (or the public), with their grants and the platform's table."""

    table: PermissionTable
    account: Any = None
    grants: tuple[Grant, ...] = ()
    session_id: str | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.account is not None

    @property
    def label(self) -> str:
        """How the audit log names the actor."""
        return f"account:{self.account.id}:{self.account.email}" if self.account is not None else "anonymous"

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(grant.role for grant in self.grants))


def anonymous(table: PermissionTable) -> Actor:
    return Actor(table)


def can(actor: Actor, action: str, resource: Any = None) -> bool:
    """May ``actor`` do ``action`` (on ``resource``, or anywhere when it is None)?"""
    table = actor.table
    if action != PUBLIC and action not in table.known_actions:
        raise UnknownPermission(f"no role grants the action '{action}'")
    if table.grants(PUBLIC, action):
        return True
    if not actor.is_authenticated:
        return False
    scope = None if resource is None else scope_of(resource)
    if table.grants(AUTHENTICATED, action):
        if scope is None or scope.account_id == actor.account.id:
            return True
    for grant in actor.grants:
        if table.grants(grant.role, action) and (scope is None or grant.covers(scope)):
            return True
    return False


def route_permission(route) -> str | None:
    """The permission a route declared (``core.web.routing.page`` or ``declare``), or None."""
    return getattr(route, "permission", None)


__all__ = ["PEOPLE_ROLES", "ROLES", "Actor", "Grant", "PermissionTable", "Scope", "anonymous",
           "build_permissions", "can", "route_permission", "scope_of"]
