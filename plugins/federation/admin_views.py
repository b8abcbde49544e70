"""The administrators' pages.

``/manage/federation`` (``federation.share``): what this instance shares, per municipality and
kind — a municipality administrator for their municipalities, the platform administrator for
all and for organisations without a municipality; the harvesters allowed to read, their keys
(a new key is shown once, on the page that made it, never again) and the reports they sent
back; a new feed epoch. ``/manage/federation/peers`` (``federation.peers``, the platform
administrator): the peers this instance harvests, their keys, runs and freshness, and a
button to harvest now. Every change is audited (``sharing``, ``keys``).
"""
from __future__ import annotations

import json

from starlette.exceptions import HTTPException

from core import authz
from core.i18n import gettext
from core.rules.errors import RuleViolation
from core.views.manage_common import NO_STORE, actor_of, form_values, saved, show_form
from core.web.pages import render
from core.web.routing import page
from plugins.federation import keys, sharing
from plugins.federation.harvest import harvest_all, is_stale
from plugins.federation.kinds import kinds_for
from plugins.federation.models import (HarvesterKey, Harvester, HarvestRun, Peer, PeerKey, ReceivedReport,
                                       ShareSetting)

SHARE = "federation.share"
PEERS = "federation.peers"
TEMPLATE = "federation/manage.html"
PEERS_TEMPLATE = "federation/peers.html"
PEER_TEMPLATE = "federation/peer.html"


def _platform(request):
    return request.app.state.platform


def _sharing_context(request) -> dict:
    actor = actor_of(request)
    kinds = kinds_for(_platform(request))
    scopes = sharing.manageable_scopes(actor)
    settings = {(row.scope, row.kind): row for row in ShareSetting.select()}
    may_manage_harvesters = authz.can(actor, PEERS)
    context = {"kinds": kinds, "scopes": scopes, "settings": settings, "identity": sharing.identity(),
               "may_manage_harvesters": may_manage_harvesters, "harvesters": [], "client_keys": {}, "reports": []}
    if may_manage_harvesters:
        context["harvesters"] = list(Harvester.select().order_by(Harvester.name))
        for key in HarvesterKey.select().order_by(HarvesterKey.id):
            context["client_keys"].setdefault(key.client_id, []).append(key)
        context["reports"] = [(report, _summary(report.summary)) for report in
                              ReceivedReport.select(ReceivedReport, Harvester).join(Harvester)
                              .order_by(ReceivedReport.id.desc()).limit(20)]
    return context


def _summary(text: str) -> dict:
    try:
        value = json.loads(text or "{}")
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}


def manage(request):
    context = _sharing_context(request)
    if request.method == "GET":
        return show_form(request, TEMPLATE, context)
    allowed = {scope for scope, _label, _m in context["scopes"]}
    form = request.state.form
    listed = [scope for scope in dict.fromkeys(form.getlist("scope"))][:1000]
    if not listed:  # the form names the scopes it covers; nothing named, nothing to change
        return show_form(request, TEMPLATE, context, {"share": [gettext("The form lists no municipality to save")]})
    if any(scope not in allowed for scope in listed):  # a forged form naming a scope outside the actor's
        from core.auth import web
        web.refuse(request, actor_of(request), SHARE)
    chosen = set(form.getlist("share"))
    wanted = {}
    for scope in listed:
        for key, kind in context["kinds"].items():
            if scope == "instance" and not kind.instance_scope:
                continue
            wanted[(scope, key)] = f"{scope}|{key}" in chosen
    try:
        sharing.set_sharing(context["kinds"], wanted, allowed, actor_of(request).label)
    except ValueError:
        raise HTTPException(400) from None
    return saved("/manage/federation", "sharing-saved")


def _harvester_or_404(request) -> Harvester:
    raw = str(request.path_params["harvester_id"])
    client = Harvester.get_or_none(Harvester.id == int(raw)) if raw.isdecimal() and len(raw) < 12 else None
    if client is None or client.revoked_at is not None:
        raise HTTPException(404)
    return client


def _show_key(request, title, name: str, key_text: str):
    return render(request, "federation/key.html", {"title": title, "name": name, "key_text": key_text},
                  headers=NO_STORE)


def harvester_create(request):
    values = form_values(request, ("name",))
    try:
        client, text = keys.create_client(_platform(request), values["name"], actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, {**_sharing_context(request), "values": values}, exc.by_field())
    return _show_key(request, "harvester", client.name, text)


def harvester_key(request):
    client = _harvester_or_404(request)
    text = keys.new_client_key(_platform(request), client, actor_of(request).label)
    return _show_key(request, "rotation", client.name, text)


def client_key_revoke(request):
    raw = str(request.path_params["harvesterkey_id"])
    key = HarvesterKey.get_or_none(HarvesterKey.id == int(raw)) if raw.isdecimal() and len(raw) < 12 else None
    if key is None:
        raise HTTPException(404)
    try:
        keys.revoke_client_key(key, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, TEMPLATE, _sharing_context(request), exc.by_field())
    return saved("/manage/federation", "key-revoked")


def new_epoch(request):
    sharing.new_epoch(actor_of(request).label)
    return saved("/manage/federation", "epoch-started")


# --- peers (the harvesting side) ------------------------------------------------------------------

def _peers_context() -> dict:
    peers = list(Peer.select().order_by(Peer.name))
    return {"peers": [(peer, is_stale(peer)) for peer in peers], "values": {"name": "", "base_url": "", "key": ""}}


def peers(request):
    if request.method == "GET":
        return show_form(request, PEERS_TEMPLATE, _peers_context())
    values = form_values(request, ("name", "base_url", "key"))
    try:
        peer = keys.register_peer(values["name"], values["base_url"], values["key"], actor_of(request).label)
    except RuleViolation as exc:
        values["key"] = ""  # a secret is never sent back to the browser
        return show_form(request, PEERS_TEMPLATE, {**_peers_context(), "values": values}, exc.by_field())
    return saved(f"/manage/federation/peers/{peer.id}", "peer-registered")


def _peer_or_404(request) -> Peer:
    raw = str(request.path_params["peer_id"])
    peer = Peer.get_or_none(Peer.id == int(raw)) if raw.isdecimal() and len(raw) < 12 else None
    if peer is None:
        raise HTTPException(404)
    return peer


def _peer_context(peer: Peer) -> dict:
    runs = [(run, _summary(run.detail)) for run in
            HarvestRun.select().where(HarvestRun.peer == peer.id).order_by(HarvestRun.id.desc()).limit(20)]
    peer_keys = list(PeerKey.select().where(PeerKey.peer == peer.id).order_by(PeerKey.id))
    return {"peer": peer, "stale": is_stale(peer), "runs": runs, "peer_keys": peer_keys, "values": {"key": ""}}


def peer_detail(request):
    peer = _peer_or_404(request)
    return show_form(request, PEER_TEMPLATE, _peer_context(peer))


def peer_key_add(request):
    peer = _peer_or_404(request)
    values = form_values(request, ("key",))
    try:
        keys.add_peer_key(peer, values["key"], actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, PEER_TEMPLATE, _peer_context(peer), exc.by_field())
    return saved(f"/manage/federation/peers/{peer.id}", "key-added")


def peer_key_revoke(request):
    peer = _peer_or_404(request)
    raw = str(request.path_params["peerkey_id"])
    key = PeerKey.get_or_none(PeerKey.id == int(raw), PeerKey.peer == peer.id) if raw.isdecimal() and len(raw) < 12 else None
    if key is None:
        raise HTTPException(404)
    try:
        keys.revoke_peer_key(key, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, PEER_TEMPLATE, _peer_context(peer), exc.by_field())
    return saved(f"/manage/federation/peers/{peer.id}", "key-revoked")


def peer_active(request):
    peer = _peer_or_404(request)
    keys.set_peer_active(peer, request.state.form.get("active") == "1", actor_of(request).label)
    return saved(f"/manage/federation/peers/{peer.id}", "peer-updated")


def peer_harvest(request):
    peer = _peer_or_404(request)
    harvest_all(_platform(request), peer_names=[peer.name])
    return saved(f"/manage/federation/peers/{peer.id}", "harvested")


def routes() -> list:
    both = ("GET", "POST")
    return [
        page("/manage/federation", manage, name="federation_manage", methods=both, permission=SHARE),
        page("/manage/federation/harvesters", harvester_create, name="federation_harvester_create",
             methods=("POST",), permission=PEERS),
        page("/manage/federation/harvesters/{harvester_id:id}/keys", harvester_key, name="federation_harvester_key",
             methods=("POST",), permission=PEERS),
        page("/manage/federation/keys/{harvesterkey_id:id}/revoke", client_key_revoke, name="federation_key_revoke",
             methods=("POST",), permission=PEERS),
        page("/manage/federation/epoch", new_epoch, name="federation_epoch", methods=("POST",), permission=PEERS),
        page("/manage/federation/peers", peers, name="federation_peers", methods=both, permission=PEERS),
        page("/manage/federation/peers/{peer_id:id}", peer_detail, name="federation_peer", permission=PEERS),
        page("/manage/federation/peers/{peer_id:id}/keys", peer_key_add, name="federation_peer_key",
             methods=("POST",), permission=PEERS),
        page("/manage/federation/peers/{peer_id:id}/keys/{peerkey_id:id}/revoke", peer_key_revoke,
             name="federation_peer_key_revoke", methods=("POST",), permission=PEERS),
        page("/manage/federation/peers/{peer_id:id}/active", peer_active, name="federation_peer_active",
             methods=("POST",), permission=PEERS),
        page("/manage/federation/peers/{peer_id:id}/harvest", peer_harvest, name="federation_peer_harvest",
             methods=("POST",), permission=PEERS),
    ]
