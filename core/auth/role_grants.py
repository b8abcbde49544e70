"""Who may grant which role, where, and when a second person must confirm it: one table.

Invitations (``core.auth.invitations``, on the web and through the API) ask this module and
nothing else; the command line's ``create-user`` is an operator's act and is not limited by it.
The README's table "who may grant which role" is a reading of ``TABLE``.

The rules behind the table (issue 7):

* Power is granted from above, never sideways through a network: an organisation is governed
  through its own municipality (a municipality administrator grants roles in the organisations
  of that municipality) or its own people; a national body (no municipality) is reached only
  by the platform administrator. Taking part in a programme's network grants nothing.
* A coordinator does not mint coordinators, nor anyone who handles money: roles that approve
  payments (``payment.approve``) come from above, and where a grantor hands out their own
  role (a municipality administrator making another) a second person must confirm it.
* Nobody grants a role to themselves (checked by the invitation rules), and nobody confirms a
  grant they asked for, or one asked for by someone their own grant descends from.

Each role assignment records who granted it and who confirmed it (``granted_by``,
``confirmed_by``); ``upstream`` follows those links, so the money rules can refuse an approver
whose approving grant came, directly or through others, from the payment's requester.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable

from core import authz
from core.models.account import ROLES, RoleAssignment
from core.models.municipality import Municipality
from core.models.organisation import Organisation

# Where a grantor may grant, relative to where the grantor's own role is held.
ANYWHERE = "anywhere"                                # an instance-wide grantor: every place
OWN_MUNICIPALITY = "own_municipality"                # the municipality the grantor's role is held in
ORGANISATIONS_OF_MUNICIPALITY = "organisations_of_municipality"  # organisations located in it
OWN_ORGANISATION = "own_organisation"                # the organisation the grantor's role is held in


@dataclasses.dataclass(frozen=True)
class GrantRule:
    """``grantor`` (a role) may grant ``role`` at ``place``; ``confirm``: a second person must confirm."""

    grantor: str
    role: str
    place: str
    confirm: bool = False


TABLE: tuple[GrantRule, ...] = (
    *(GrantRule("platform_admin", role, ANYWHERE) for role in ROLES),
    GrantRule("municipality_admin", "municipality_admin", OWN_MUNICIPALITY, confirm=True),
    GrantRule("municipality_admin", "consultant", OWN_MUNICIPALITY),
    GrantRule("municipality_admin", "volunteer_centre_coordinator", ORGANISATIONS_OF_MUNICIPALITY),
    GrantRule("municipality_admin", "resource_person", ORGANISATIONS_OF_MUNICIPALITY),
    GrantRule("municipality_admin", "board_member", ORGANISATIONS_OF_MUNICIPALITY),
    GrantRule("volunteer_centre_coordinator", "resource_person", OWN_ORGANISATION),
    GrantRule("volunteer_centre_coordinator", "board_member", OWN_ORGANISATION),
)

UPSTREAM_DEPTH = 25  # grant chains are short; this only bounds a pathological loop


@dataclasses.dataclass(frozen=True)
class Decision:
    allowed: bool
    needs_confirmation: bool = False


def _place_matches(rule: GrantRule, grant: authz.Grant, municipality: Municipality | None,
                   organisation: Organisation | None) -> bool:
    if rule.place == ANYWHERE:
        return grant.municipality_id is None and grant.organisation_id is None
    if rule.place == OWN_MUNICIPALITY:
        return municipality is not None and grant.municipality_id == municipality.id
    if rule.place == ORGANISATIONS_OF_MUNICIPALITY:
        return (organisation is not None and grant.municipality_id is not None
                and organisation.municipality_id == grant.municipality_id)
    if rule.place == OWN_ORGANISATION:
        return organisation is not None and grant.organisation_id == organisation.id
    return False


def matching(actor: authz.Actor, role: str, municipality: Municipality | None,
             organisation: Organisation | None) -> list[tuple[authz.Grant, GrantRule]]:
    """The actor's grants, each with the rule that lets it grant ``role`` at that place."""
    if not actor.is_authenticated:
        return []
    return [(grant, rule) for grant in actor.grants for rule in TABLE
            if rule.grantor == grant.role and rule.role == role
            and _place_matches(rule, grant, municipality, organisation)]


def decide(actor: authz.Actor, role: str, municipality: Municipality | None,
           organisation: Organisation | None) -> Decision:
    """May the actor grant ``role`` there, and does a second person have to confirm it?"""
    rules = [rule for _grant, rule in matching(actor, role, municipality, organisation)]
    if not rules:
        return Decision(False)
    return Decision(True, needs_confirmation=all(rule.confirm for rule in rules))


def grantable_roles(actor: authz.Actor) -> list[str]:
    """The roles the actor may grant somewhere (for a form; the submit decides again)."""
    held = {grant.role for grant in actor.grants} if actor.is_authenticated else set()
    offered = {rule.role for rule in TABLE if rule.grantor in held}
    return [role for role in ROLES if role in offered]


def grantable_places(actor: authz.Actor, limit: int = 2000) -> tuple[list[Municipality], list[Organisation]]:
    """The municipalities and organisations the actor may grant some role in (for a form)."""
    grants = [grant for grant in actor.grants if any(rule.grantor == grant.role for rule in TABLE)] \
        if actor.is_authenticated else []
    municipalities = Municipality.select().order_by(Municipality.name)
    organisations = Organisation.select().where(Organisation.deleted_at.is_null()).order_by(Organisation.name)
    if any(g.municipality_id is None and g.organisation_id is None for g in grants):
        return list(municipalities), list(organisations.limit(limit))
    municipality_ids = [g.municipality_id for g in grants if g.municipality_id is not None
                        and any(r.grantor == g.role and r.place in (OWN_MUNICIPALITY, ORGANISATIONS_OF_MUNICIPALITY)
                                for r in TABLE)]
    organisation_ids = [g.organisation_id for g in grants if g.organisation_id is not None
                        and any(r.grantor == g.role and r.place == OWN_ORGANISATION for r in TABLE)]
    municipalities = municipalities.where(Municipality.id.in_(municipality_ids or [0]))
    organisations = organisations.where(Organisation.municipality.in_(municipality_ids or [0])
                                        | Organisation.id.in_(organisation_ids or [0]))
    return list(municipalities), list(organisations.limit(limit))


# --- provenance: who a grant came from ---------------------------------------------------------

def upstream(assignments: Iterable[RoleAssignment]) -> set[int]:
    """The accounts that granted or confirmed these assignments, and, following the same links,
    those that granted or confirmed any role those accounts hold (one query per step)."""
    seen: set[int] = set()
    frontier = {account_id for a in assignments for account_id in (a.granted_by_id, a.confirmed_by_id)
                if account_id is not None}
    for _step in range(UPSTREAM_DEPTH):
        frontier -= seen
        if not frontier:
            break
        seen |= frontier
        rows = (RoleAssignment.select(RoleAssignment.granted_by_id, RoleAssignment.confirmed_by_id)
                .where(RoleAssignment.account.in_(list(frontier))).tuples())
        frontier = {account_id for row in rows for account_id in row if account_id is not None}
    return seen


def _as_grant(row: RoleAssignment) -> authz.Grant:
    return authz.Grant(row.role, row.municipality_id, row.organisation_id)


def _held_rows(actor: authz.Actor) -> list[RoleAssignment]:
    """The actor's role assignments that are in force now (as the actor was authenticated:
    a role waiting for two-factor set-up grants nothing)."""
    held = {(g.role, g.municipality_id, g.organisation_id) for g in actor.grants}
    if not held:
        return []
    return [row for row in RoleAssignment.select().where(RoleAssignment.account == actor.account.id)
            if (row.role, row.municipality_id, row.organisation_id) in held]


def approving_upstreams(actor: authz.Actor, action: str) -> list[tuple[authz.Grant, set[int]]]:
    """Each of the actor's grants that carries ``action``, with the accounts it descends from."""
    if not actor.is_authenticated:
        return []
    return [(_as_grant(row), upstream([row])) for row in _held_rows(actor) if actor.table.grants(row.role, action)]


def holds_independently(actor: authz.Actor, action: str, scope: authz.Scope, other_account_id: int | None) -> bool:
    """Does the actor hold ``action`` over ``scope`` through a role assignment that
    ``other_account_id`` did not grant or confirm, directly or through the accounts above it?
    (And is the actor someone else than ``other_account_id`` at all?) The money rules ask
    this of an approver, with the payment's requester as ``other``."""
    if not actor.is_authenticated or actor.account.id == other_account_id:
        return False
    return any(grant.covers(scope) and other_account_id not in above
               for grant, above in approving_upstreams(actor, action))


def independent_grantors(actor: authz.Actor, role: str, municipality: Municipality | None,
                         organisation: Organisation | None, other_account_id: int | None) -> bool:
    """Does the actor hold a grant that lets it grant ``role`` there, and that
    ``other_account_id`` did not grant or confirm (directly or through others)?"""
    pairs = matching(actor, role, municipality, organisation)
    if not pairs or actor.account.id == other_account_id:
        return False
    keys = {(grant.role, grant.municipality_id, grant.organisation_id) for grant, _rule in pairs}
    rows = [row for row in _held_rows(actor) if (row.role, row.municipality_id, row.organisation_id) in keys]
    return any(other_account_id not in upstream([row]) for row in rows)


__all__ = ["ANYWHERE", "Decision", "GrantRule", "ORGANISATIONS_OF_MUNICIPALITY", "OWN_MUNICIPALITY",
           "OWN_ORGANISATION", "TABLE", "approving_upstreams", "decide", "grantable_places", "grantable_roles", "holds_independently",
           "independent_grantors", "matching", "upstream"]
