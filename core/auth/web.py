"""The logged-in person of a request, worked out once, in the worker thread that holds the
database connection (``core.web.routing.page`` calls ``authenticate`` before the view).

It sets ``request.state.actor`` (an ``core.authz.Actor``, the public when nobody is logged in),
marks pages for logged-in people ``Cache-Control: no-store`` so a shared computer's back
button or a proxy cannot show them to the next person, and clears a session cookie whose
session has ended.
"""
from __future__ import annotations

import ipaddress
import logging

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz
from core.auth import csrf, sessions, two_factor
from core.models.account import RoleAssignment
from core.models.audit import record_event
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from peewee import JOIN

log = logging.getLogger("partnerskab.security")


def grants_of(account) -> tuple[authz.Grant, ...]:
    rows = (RoleAssignment.select(RoleAssignment, Municipality, Organisation)
            .join_from(RoleAssignment, Municipality, JOIN.LEFT_OUTER)
            .join_from(RoleAssignment, Organisation, JOIN.LEFT_OUTER)
            .where(RoleAssignment.account == account.id).order_by(RoleAssignment.id))
    return tuple(authz.Grant(row.role, row.municipality_id, row.organisation_id,
                             row.municipality.name if row.municipality_id else "",
                             row.organisation.name if row.organisation_id else "") for row in rows)


def actor_for(platform, account, session_id: str | None = None) -> authz.Actor:
    return authz.Actor(platform.permissions, account, grants_of(account), session_id)


def authenticate(request) -> authz.Actor:
    platform = request.app.state.platform
    settings = platform.settings
    token = sessions.token_from_scope(request.scope, settings)
    row = sessions.load(settings, token)
    if row is None:
        actor = authz.anonymous(platform.permissions)
        if sessions.read_cookie(request.scope, sessions.SESSION_COOKIE) is not None:
            csrf.queue_cookie(request.scope, sessions.cookie_header(request.scope, sessions.SESSION_COOKIE, "",
                                                                    delete=True))
            csrf.ensure_browser_binding(request.scope)
    else:
        actor = actor_for(platform, row.account, row.id)
        request.state.no_store = True
        if settings.require_two_factor_roles and two_factor.setup_required(settings, row.account.id, actor.roles):
            # a role that requires a second factor grants nothing until it is set up
            request.state.two_factor_setup_required = True
            actor = authz.Actor(platform.permissions, row.account, (), row.id)
    request.state.actor = actor
    return actor


def two_factor_setup_first(request):
    """The answer to a person whose role requires two-factor authentication they have not set up."""
    return RedirectResponse("/me/two-factor", status_code=303)


def refuse(request, actor: authz.Actor, permission: str):
    """The answer when the route's permission is not held: log in first, or 403."""
    if not actor.is_authenticated and request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
    log.warning("permission denied: %s lacks '%s' for %s %s [request id %s]", actor.label, permission,
                request.method, request.url.path, getattr(request.state, "request_id", ""))
    record_event(actor.label, "permission.denied", "route", f"{request.method} {request.url.path}"[:80],
                 after={"permission": permission})
    raise HTTPException(403)


def client_address(request) -> str:
    """The client's address; ``X-Forwarded-For`` counts only when the peer is a trusted proxy,
    and then the right-most address that is not itself a trusted proxy is the client."""
    settings = request.app.state.platform.settings
    peer = request.client.host if request.client else ""
    trusted = set(settings.trusted_proxies)
    if peer not in trusted:
        return peer
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return peer
    return peer
