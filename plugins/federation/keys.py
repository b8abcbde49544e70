"""Keys, exchanged by the two administrators: the publishing side makes them for a harvester
(shown once, revocable), the harvesting side registers peers with them. Every change is
audited; bad input raises ``RuleViolation`` with a message per field, and nothing is written.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from core import clock
from core.db import database
from core.models.audit import record_event
from core.rules.errors import RuleViolation
from plugins.federation import signing
from plugins.federation.models import HarvesterKey, Harvester, Peer, PeerKey
from plugins.federation.sharing import identity

_NAME = re.compile(r"^[\w .,()'&-]{2,100}$")


def _name(value: str, field: str = "name") -> str:
    name = (value or "").strip()
    if not _NAME.match(name):
        raise RuleViolation.one(field, "Give a name of 2 to 100 letters, digits, spaces or punctuation")
    return name


# --- the publishing side: harvesters and their keys ---------------------------------------------

def new_client_key(platform, client: Harvester, actor: str) -> str:
    """A new key for a harvester (a second one rotates): the key text, shown only now."""
    with database.atomic():
        key = HarvesterKey.create(client=client.id, kid=_unused_kid())
        record_event(actor, "federation.key.create", "federation_harvester", str(client.id),
                     after={"harvester": client.name, "kid": key.kid})
    return signing.format_key(identity().instance_id, key.kid,
                              signing.publisher_secret(platform.settings.secret_key, key.kid))


def _unused_kid() -> str:
    while True:
        kid = signing.new_kid()
        if not HarvesterKey.select().where(HarvesterKey.kid == kid).exists():
            return kid


def create_client(platform, name: str, actor: str) -> tuple[Harvester, str]:
    clean = _name(name)
    if Harvester.select().where(Harvester.name == clean).exists():
        raise RuleViolation.one("name", "There is already a harvester called %(value)s", value=clean)
    with database.atomic():
        client = Harvester.create(name=clean, created_by=actor[:200])
        record_event(actor, "federation.harvester.create", "federation_harvester", str(client.id),
                     after={"name": clean})
        text = new_client_key(platform, client, actor)
    return client, text


def revoke_client_key(key: HarvesterKey, actor: str) -> None:
    if key.revoked_at is not None:
        raise RuleViolation.one("key", "The key is already revoked")
    with database.atomic():
        key.revoked_at = clock.now()
        key.save()
        record_event(actor, "federation.key.revoke", "federation_harvester", str(key.client_id), after={"kid": key.kid})


# --- the harvesting side: peers and their keys ------------------------------------------------------

def _base_url(value: str) -> str:
    url = (value or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or len(url) > 300:
        raise RuleViolation.one("base_url", "Give the peer's address, e.g. https://partnerskab.example.dk")
    return url


def _parse_key(text: str) -> tuple[str, str, str]:
    try:
        return signing.parse_key(text)
    except ValueError:
        raise RuleViolation.one("key", "This is not a federation key: it starts with pkf1. and comes from the "
                                       "peer's administrator") from None


def register_peer(name: str, base_url: str, key_text: str, actor: str) -> Peer:
    problems = []
    clean = url = parsed = None
    for field, check in (("name", lambda: _name(name)), ("base_url", lambda: _base_url(base_url)),
                         ("key", lambda: _parse_key(key_text))):
        try:
            value = check()
        except RuleViolation as exc:
            problems += exc.problems
            continue
        if field == "name":
            clean = value
        elif field == "base_url":
            url = value
        else:
            parsed = value
    if clean and Peer.select().where(Peer.name == clean).exists():
        problems += RuleViolation.one("name", "There is already a peer called %(value)s", value=clean).problems
    if problems:
        raise RuleViolation(problems)
    instance_id, kid, secret = parsed
    with database.atomic():
        peer = Peer.create(name=clean, base_url=url, instance_id=instance_id)
        PeerKey.create(peer=peer.id, kid=kid, secret=secret)
        record_event(actor, "federation.peer.create", "federation_peer", str(peer.id),
                     after={"name": clean, "base_url": url, "kid": kid})
    return peer


def add_peer_key(peer: Peer, key_text: str, actor: str) -> PeerKey:
    instance_id, kid, secret = _parse_key(key_text)
    if instance_id != peer.instance_id:
        raise RuleViolation.one("key", "This key belongs to another instance than %(value)s", value=peer.name)
    if PeerKey.select().where(PeerKey.peer == peer.id, PeerKey.kid == kid).exists():
        raise RuleViolation.one("key", "This key is already registered")
    with database.atomic():
        key = PeerKey.create(peer=peer.id, kid=kid, secret=secret)
        record_event(actor, "federation.peer.key", "federation_peer", str(peer.id), after={"kid": kid})
    return key


def revoke_peer_key(key: PeerKey, actor: str) -> None:
    if key.revoked_at is not None:
        raise RuleViolation.one("key", "The key is already revoked")
    with database.atomic():
        key.revoked_at = clock.now()
        key.save()
        record_event(actor, "federation.peer.key.revoke", "federation_peer", str(key.peer_id), after={"kid": key.kid})


def set_peer_active(peer: Peer, active: bool, actor: str) -> None:
    with database.atomic():
        peer.active = active
        peer.save()
        record_event(actor, "federation.peer.activate" if active else "federation.peer.deactivate",
                     "federation_peer", str(peer.id), after={"name": peer.name})
