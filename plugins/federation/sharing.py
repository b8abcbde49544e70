"""What this instance shares, per kind and scope, and its identity (instance id, feed epoch).

A scope is a municipality (``municipality:<id>``) or ``instance`` (organisations that belong to
no municipality). Nothing is shared until an administrator says so: the platform
administrator for every scope, a municipality administrator for their municipalities. Every
change is audited, and the rows it concerns get new change numbers in the same transaction,
so harvesters see them again — as updates when sharing starts, as deletions when it stops.
"""
from __future__ import annotations

import secrets

from core import authz, clock, tenancy
from core.db import database
from core.models.audit import record_event
from core.models.municipality import Municipality
from plugins.federation.kinds import INSTANCE_SCOPE, FeedKind, municipality_scope
from plugins.federation.models import FederationIdentity, ShareSetting

PERMISSION = "federation.share"


def identity() -> FederationIdentity:
    row = FederationIdentity.select().order_by(FederationIdentity.id).first()
    if row is None:  # the migration makes it; a restored table without it gets a new one
        with database.atomic():
            row = FederationIdentity.create(instance_id=secrets.token_hex(16), epoch=secrets.token_hex(8))
    return row


def new_epoch(actor: str) -> FederationIdentity:
    """Start a new feed epoch: harvesters read everything again and drop what is gone."""
    with database.atomic():
        row = identity()
        before = row.epoch
        row.epoch, row.epoch_started_at = secrets.token_hex(8), clock.now()
        row.save()
        record_event(actor, "federation.epoch", "federation", row.instance_id, after={"before": before, "epoch": row.epoch})
    return row


def shared_scopes() -> dict[str, set[str]]:
    """kind -> the scopes it is shared for."""
    found: dict[str, set[str]] = {}
    for row in ShareSetting.select().where(ShareSetting.shared == True):  # noqa: E712 - SQL
        found.setdefault(row.kind, set()).add(row.scope)
    return found


def manageable_scopes(actor: authz.Actor) -> list[tuple[str, str, Municipality | None]]:
    """(scope, label, municipality) the actor may change sharing for, instance scope first."""
    municipalities = list(tenancy.scoped(Municipality.select(), Municipality, actor, PERMISSION)
                          .order_by(Municipality.name))
    scopes = []
    if authz.can(actor, PERMISSION, authz.Scope()):  # an instance-wide grant covers an empty scope
        from core.i18n import gettext
        scopes.append((INSTANCE_SCOPE, gettext("Organisations without a municipality"), None))
    scopes += [(municipality_scope(m.id), m.name, m) for m in municipalities]
    return scopes


def set_sharing(kinds: dict[str, FeedKind], wanted: dict[tuple[str, str], bool], allowed_scopes: set[str],
                actor: str) -> int:
    """Apply ``{(scope, kind): shared}`` for the allowed scopes in one transaction; returns how
    many settings changed. Unknown kinds and scopes outside ``allowed_scopes`` are refused."""
    for scope, kind in wanted:
        if kind not in kinds or scope not in allowed_scopes:
            raise ValueError(f"cannot change sharing of {kind} for {scope}")
        if scope == INSTANCE_SCOPE and not kinds[kind].instance_scope:
            raise ValueError(f"{kind} has nothing in the instance scope")
    changed = 0
    with database.atomic():
        current = {(row.scope, row.kind): row for row in ShareSetting.select()}
        for (scope, kind), shared in sorted(wanted.items()):
            row = current.get((scope, kind))
            if (row.shared if row else False) == shared:
                continue
            if row is None:
                row = ShareSetting(scope=scope, kind=kind)
            row.shared, row.changed_at, row.changed_by = shared, clock.now(), actor[:200]
            row.save()
            touched = kinds[kind].touch(scope)
            record_event(actor, "federation.share" if shared else "federation.unshare", "federation_share",
                         f"{kind}:{scope}", scope=scope if scope != INSTANCE_SCOPE else "",
                         after={"kind": kind, "scope": scope, "shared": shared, "items": touched})
            changed += 1
    return changed


def share_everything(kinds: dict[str, FeedKind], actor: str) -> int:
    """Share every kind for every scope (demo deployments)."""
    scopes = [municipality_scope(m.id) for m in Municipality.select(Municipality.id)]
    wanted = {(scope, key): True for scope in scopes for key in kinds}
    wanted.update({(INSTANCE_SCOPE, key): True for key, kind in kinds.items() if kind.instance_scope})
    return set_sharing(kinds, wanted, set(scopes) | {INSTANCE_SCOPE}, actor)
