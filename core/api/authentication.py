"""Who is calling the API, and the answer when they may not.

With a bearer token (``Authorization: Bearer psk_…``) the token alone decides — cookies are
ignored, which is what makes the CSRF exemption of ``core.auth.csrf.bearer_api_request`` safe;
a token that is unknown, revoked or expired is a 401 at once, never a fall-back to the session.
Without one, the caller is authenticated as a page would be (the session cookie,
``core.auth.web.authenticate``; a state-changing request then needs the ``X-CSRF-Token`` header
like any form). A refusal is 401 without a login and 403 without the permission, and a 403 is
written to the audit log like a page's.
"""
from __future__ import annotations

import logging

from core import authz
from core.api.problems import ApiProblem
from core.i18n import Message, gettext

log = logging.getLogger("partnerskab.api")


def authenticate(request) -> authz.Actor:
    """The actor: from the bearer token when one is sent (never falling back to cookies), else
    from the session cookie as for a page."""
    from core.auth import api_tokens, web
    platform = request.app.state.platform
    secret = api_tokens.bearer_from_headers(request.headers)
    if secret is None:
        return web.authenticate(request)
    actor = api_tokens.actor_for_token(platform, secret)
    if actor is None:
        log.warning("API token refused for %s %s [request id %s]", request.method, request.url.path,
                    getattr(request.state, "request_id", ""))
        raise ApiProblem(401, "Unauthorized", gettext("The access token is not valid: it is unknown, revoked "
                                                      "or expired"), slug="invalid-token",
                         headers={"WWW-Authenticate": 'Bearer realm="partnerskab", error="invalid_token"'})
    request.state.actor = actor
    request.state.no_store = True
    return actor


def refuse(request, actor, permission: str) -> ApiProblem:
    """The problem for an actor without ``permission``: 401 to log in, else 403 (audited)."""
    from core.models.audit import record_event
    if not actor.is_authenticated:
        return ApiProblem(401, "Unauthorized", gettext("Send a personal access token: Authorization: Bearer <token>"),
                          slug="unauthorized", headers={"WWW-Authenticate": 'Bearer realm="partnerskab"'})
    log.warning("API permission denied: %s lacks '%s' for %s %s", actor.label, permission, request.method,
                request.url.path)
    record_event(actor.label, "permission.denied", "route", f"{request.method} {request.url.path}"[:80],
                 after={"permission": permission})
    return ApiProblem(403, "Forbidden", str(Message("You do not have the permission '%(permission)s'",
                                                    permission=permission)), slug="forbidden")
