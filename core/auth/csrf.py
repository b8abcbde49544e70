"""Cross-site request forgery: every POST, PUT, PATCH and DELETE carries a token that only a
page of this site, shown to this browser, could have given it.

The token is an HMAC (keyed with ``secret_key``) of a secret the browser already holds in an
HttpOnly cookie: the session token once logged in, before that a random per-browser ``csrf``
cookie. Another site can make the browser send the cookie but cannot read it or the page,
so it cannot produce the token; a token copied from another browser or session does not
match this one's secret. Deriving the token (instead of storing it) means the check needs no
database and works the same on every worker.

The check runs in ``CSRFMiddleware`` in front of every route, core or plugin, so a route
cannot forget it. The token comes in the form field ``csrf_token`` or the ``X-CSRF-Token``
header. A refusal is a 403 with the generic error page, a line on the
``partnerskab.security`` logger and an audit row.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request

from core import db, i18n
from core.auth import sessions

log = logging.getLogger("partnerskab.security")

BROWSER_COOKIE = "csrf"
FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
STATE_BINDING = "csrf_binding"        # the secret this response's tokens are bound to
STATE_NEW_COOKIE = "csrf_new_cookie"  # a browser secret made during this request, to be set
STATE_COOKIES = "response_cookies"    # Set-Cookie values other layers queue for the response
STATE_NO_STORE = "no_store"           # the response must not be cached (a logged-in page)


def token_for(secret_key: str, binding: str) -> str:
    digest = hmac.new(secret_key.encode(), b"csrf\x00" + binding.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def request_binding(scope, settings) -> str | None:
    """What a token sent with this request must be bound to: the session token if the
    session cookie is genuine, else the browser's ``csrf`` cookie."""
    return sessions.token_from_scope(scope, settings) or sessions.read_cookie(scope, BROWSER_COOKIE)


def token_for_request(request) -> str:
    """The token to put in this page's forms (``csrf_token()`` in templates)."""
    settings = request.app.state.platform.settings
    state = request.scope.setdefault("state", {})
    binding = state.get(STATE_BINDING) or request_binding(request.scope, settings)
    if not binding:
        binding = secrets.token_urlsafe(32)
        state[STATE_NEW_COOKIE] = binding
    state[STATE_BINDING] = binding
    return token_for(settings.secret_key, binding)


def ensure_browser_binding(scope) -> str:
    """Bind this response's tokens to the browser cookie (making one if needed): used when a
    session cookie is present but no longer valid and is being cleared."""
    state = scope.setdefault("state", {})
    existing = sessions.read_cookie(scope, BROWSER_COOKIE)
    if not existing:
        existing = state.get(STATE_NEW_COOKIE) or secrets.token_urlsafe(32)
        state[STATE_NEW_COOKIE] = existing
    state[STATE_BINDING] = existing
    return existing


def queue_cookie(scope, header_value: str) -> None:
    scope.setdefault("state", {}).setdefault(STATE_COOKIES, []).append(header_value)


async def _read_body(receive) -> tuple[bytes, list]:
    messages, chunks = [], []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks), messages


async def _sent_token(scope, receive) -> tuple[str | None, object]:
    """The token the request carries, and a ``receive`` that replays the body it read."""
    headers = Headers(scope=scope)
    if headers.get(HEADER):
        return headers[HEADER], receive
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        return None, receive
    body, messages = await _read_body(receive)
    replay = list(messages)

    async def replay_receive():
        return replay.pop(0) if replay else await receive()

    if content_type == "application/x-www-form-urlencoded":
        values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(FORM_FIELD)
        token = values[0] if values else None
    else:
        parse_copy = list(messages)

        async def parse_receive():
            return parse_copy.pop(0) if parse_copy else {"type": "http.request", "body": b"", "more_body": False}

        form = await Request(scope, parse_receive).form()
        value = form.get(FORM_FIELD)
        token = value if isinstance(value, str) else None
        await form.close()
    return token, replay_receive


API_PREFIX = "/api/"


def bearer_api_request(scope) -> bool:
    """A JSON API request that authenticates with ``Authorization: Bearer …``: exempt from the
    check. A browser on another site cannot add that header to a request it forges (it would
    need CORS, which this site never grants), and the API then ignores cookies altogether
    (``core.api.base``), so an exempt request can never act with a browser's session. A request
    to the API without a bearer token (a logged-in browser's cookie) is checked like any other."""
    if not scope.get("path", "").startswith(API_PREFIX):
        return False
    return Headers(scope=scope).get("authorization", "")[:7].lower() == "bearer "


def sessionless_api_request(scope, settings) -> bool:
    """A JSON API request that carries no genuine session cookie: exempt as well. With no
    session there is no browser login to forge a request with; the API then treats it as the
    public's (``core.api.base``) and answers a request that needs a login with 401 and
    ``WWW-Authenticate: Bearer``, which is what a client without a token needs to hear, not a
    form's CSRF refusal."""
    if not scope.get("path", "").startswith(API_PREFIX):
        return False
    return sessions.token_from_scope(scope, settings) is None


class CSRFMiddleware:
    """Refuses state-changing requests without a matching token; adds the cookies and the
    no-store header that the layers below queued in the request state."""

    def __init__(self, app, settings, error_page):
        self.app = app
        self.settings = settings
        self.error_page = error_page

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        state = scope.setdefault("state", {})

        async def send_with_cookies(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                new_browser_secret = state.get(STATE_NEW_COOKIE)
                if new_browser_secret:
                    headers.append("set-cookie", sessions.cookie_header(scope, BROWSER_COOKIE, new_browser_secret))
                for value in state.get(STATE_COOKIES, []):
                    headers.append("set-cookie", value)
                if state.get(STATE_NO_STORE):
                    headers["cache-control"] = "no-store"
            await send(message)

        if (scope["method"] not in SAFE_METHODS and not bearer_api_request(scope)
                and not sessionless_api_request(scope, self.settings)):
            sent, receive = await _sent_token(scope, receive)
            binding = request_binding(scope, self.settings)
            expected = token_for(self.settings.secret_key, binding) if binding else None
            if not sent or not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
                reason = "missing token" if not sent else ("no secret cookie" if not expected else "foreign token")
                await self.refuse(scope, receive, send_with_cookies, reason, binding)
                return
        await self.app(scope, receive, send_with_cookies)

    async def refuse(self, scope, receive, send, reason: str, binding: str | None) -> None:
        request_id = scope.get("state", {}).get("request_id", "")
        client = (scope.get("client") or ("?",))[0]
        log.warning("CSRF check failed (%s): %s %s from %s [request id %s]",
                    reason, scope["method"], scope.get("path"), client, request_id)
        session_token = sessions.token_from_scope(scope, self.settings)
        await run_in_threadpool(_audit_refusal, scope, reason, session_token, request_id)
        if scope.get("path", "").startswith(API_PREFIX):  # a logged-in browser's API call without the header
            detail = i18n.gettext("Send the X-CSRF-Token header with a request made with your login, or use a "
                                  "personal access token (Authorization: Bearer …).")
        else:
            detail = i18n.gettext("The form could not be accepted: it has expired or it did not come from this "
                                  "site. Go back, reload the page and try again.")
        response = self.error_page(scope, 403, request_id, detail)
        await response(scope, receive, send)


def _audit_refusal(scope, reason: str, session_token: str | None, request_id: str) -> None:
    from core.models.account import Account, Session
    from core.models.audit import record_event
    with db.connection():
        actor = "anonymous"
        if session_token:
            row = (Session.select(Session, Account).join(Account)
                   .where(Session.id == sessions.session_id(session_token)).first())
            if row is not None:
                actor = f"account:{row.account.id}:{row.account.email}"
        record_event(actor, "csrf.refused", "route", f"{scope['method']} {scope.get('path', '')}"[:80],
                     after={"reason": reason, "request_id": request_id,
                            "client": (scope.get("client") or ("?",))[0]})
