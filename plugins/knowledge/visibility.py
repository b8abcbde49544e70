"""Who may read a learning or a method, and who may take part in the conversation about it.

Governing a learning (editing it, promoting it) is its ``scope_rule`` (``models.LearningScope``)
and ``core.authz.can``, like every other row. Reading is its visibility, which reaches further:

* ``public``: everyone, also without a login;
* ``national``: everyone with a login on this instance (and the national coordinator's harvest);
* ``municipality``: everyone who works with partnerships in its municipality: the municipality's
  staff, and the people of organisations in that municipality or in the network of one of its
  programmes;
* ``network``: the people of the organisations in its programme's network;

and, whatever the visibility, those who govern it (``knowledge.read`` in its scope: the
municipality's staff, the volunteer centre that runs its programme, its own organisation's
people) and its author. A platform administrator reads everything.

The reader's reach (``Reach``) is worked out once per request in at most two queries, and every
list narrows with ``readable(model, reach)``, one SQL condition, so a page's queries do not
grow with the data.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from core import authz, tenancy
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import NOTHING

READ = "knowledge.read"
COMMENT = "knowledge.comment"


@dataclasses.dataclass(frozen=True)
class Reach:
    actor: authz.Actor
    everything: bool
    municipality_ids: frozenset[int]
    programme_ids: frozenset[int]
    organisation_ids: frozenset[int]

    @property
    def authenticated(self) -> bool:
        return self.actor.is_authenticated

    @property
    def account_id(self) -> int | None:
        return self.actor.account.id if self.actor.is_authenticated else None


def reach_of(actor: authz.Actor) -> Reach:
    """Where the actor works: their municipalities, their organisations' programmes."""
    if not actor.is_authenticated:
        return Reach(actor, False, frozenset(), frozenset(), frozenset())
    everything = any(actor.table.grants(grant.role, READ) and grant.municipality_id is None
                     and grant.organisation_id is None for grant in actor.grants)
    municipality_ids = {grant.municipality_id for grant in actor.grants if grant.municipality_id is not None}
    organisation_ids = {grant.organisation_id for grant in actor.grants if grant.organisation_id is not None}
    programme_ids: set[int] = set()
    if organisation_ids:
        for (municipality_id,) in (Organisation.select(Organisation.municipality)
                                   .where(Organisation.id.in_(organisation_ids)).tuples()):
            if municipality_id is not None:
                municipality_ids.add(municipality_id)
        member = Membership.select(Membership.programme).where(Membership.organisation.in_(organisation_ids),
                                                               Membership.deleted_at.is_null())
        for programme_id, municipality_id in (
                Programme.select(Programme.id, Programme.municipality)
                .where(Programme.deleted_at.is_null(),
                       Programme.id.in_(member) | Programme.owner_organisation.in_(organisation_ids)).tuples()):
            programme_ids.add(programme_id)
            municipality_ids.add(municipality_id)
    return Reach(actor, everything, frozenset(municipality_ids), frozenset(programme_ids),
                 frozenset(organisation_ids))


def reach_for(request) -> Reach:
    """The request's reach, worked out once."""
    found = getattr(request.state, "knowledge_reach", None)
    if found is None or found.actor is not request.state.actor:
        found = reach_of(request.state.actor)
        request.state.knowledge_reach = found
    return found


def readable(model, reach: Reach):
    """A condition on ``model`` (a learning or a method): the live rows the reader may read."""
    live = model.deleted_at.is_null()
    if reach.everything:
        return live
    condition = model.visibility == "public"
    if reach.authenticated:
        condition = condition | (model.visibility == "national")
        if reach.municipality_ids:
            condition = condition | ((model.visibility == "municipality")
                                     & model.municipality.in_(sorted(reach.municipality_ids)))
        if reach.programme_ids:
            condition = condition | (model.visibility.in_(("network", "municipality"))
                                     & model.programme.in_(sorted(reach.programme_ids)))
        governed = tenancy.tenant_condition(model, reach.actor, READ)
        if governed is not None and governed is not NOTHING:
            condition = condition | governed
        condition = condition | (model.author == reach.account_id)
    return live & condition


def may_comment(reach: Reach, learning: Any) -> bool:
    """Comments are the conversation of those who work where the learning was made: its
    governors, its programme's network and its municipality's partnerships (the learning must
    be readable too, which the caller has checked by loading it through ``readable``)."""
    if not reach.authenticated or not authz.can(reach.actor, COMMENT):
        return False
    if reach.everything or authz.can(reach.actor, COMMENT, learning):
        return True
    return (learning.programme_id in reach.programme_ids
            or (learning.municipality_id is not None and learning.municipality_id in reach.municipality_ids))
