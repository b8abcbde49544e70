"""Per-request context: a request id, the reader's language, security headers, and a
generic error page instead of a traceback when something breaks; and, when the response is
done, its line in the access log and its count in the metrics (``core.logs``, ``core.metrics``)."""
from __future__ import annotations

import logging
import secrets
import time
from http.cookies import SimpleCookie

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException

from core import i18n, logs, metrics
from core.auth.sessions import cookie_jar
from core.web.errors import make_error_page, wants_json  # noqa: F401  (the error page lives there)

log = logging.getLogger("partnerskab.web")

LANGUAGE_COOKIE = "lang"
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; object-src 'none'; base-uri 'self'; "
                                "form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def choose_locale(headers: Headers, offered: tuple[str, ...], default: str, cookies: SimpleCookie | None = None) -> str:
    """The language cookie if it names an offered language, else the best Accept-Language match.
    ``cookies``: the request's parsed cookies when the caller has them."""
    if cookies is None:
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is ignored, not an error
            cookies = SimpleCookie()
    chosen = cookies.get(LANGUAGE_COOKIE)
    if chosen and chosen.value in offered:
        return chosen.value
    weighted = []
    for part in headers.get("accept-language", "").split(","):
        lang, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        code = lang.split("-")[0].strip().lower()
        if code in offered:
            weighted.append((weight, code))
    return max(weighted)[1] if weighted else default


def route_template(scope) -> str:
    """The matched route's path template ('/organisations/{slug:str}'), for metrics and logs;
    'unmatched' for a 404 that no route claimed."""
    endpoint = scope.get("endpoint")
    app = scope.get("app")
    if endpoint is None or app is None:
        return "unmatched"
    templates = getattr(app.state, "route_templates", None) if hasattr(app, "state") else None
    if templates is None:
        templates = {}
        for route in getattr(app, "routes", []):
            target = getattr(route, "endpoint", None) or getattr(route, "app", None)
            if target is not None:
                templates[id(target)] = getattr(route, "path", "") or "/"
        app.state.route_templates = templates
    return templates.get(id(endpoint), "other")


class RequestContextMiddleware:
    def __init__(self, app, settings, error_page):
        self.app = app
        self.settings = settings
        self.error_page = error_page

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        began = time.perf_counter()
        request_id = secrets.token_hex(6)
        id_token = logs.request_id_var.set(request_id)
        status = 500
        scope.setdefault("state", {})["request_id"] = request_id
        headers = Headers(scope=scope)
        locale = choose_locale(headers, self.settings.locales, self.settings.default_locale, cookie_jar(scope))
        scope["state"]["locale"] = locale
        token = i18n.set_locale(locale)
        started = False

        async def send_with_headers(message):
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                response_headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    response_headers.setdefault(name, value)
                response_headers.setdefault("Content-Language", locale)
                response_headers["X-Request-ID"] = request_id
                if scope.get("scheme") == "https":
                    response_headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            from core.db import is_lock_error
            busy = is_lock_error(exc)  # still locked after the retries: "busy", never a lock error
            log.log(logging.WARNING if busy else logging.ERROR, "%s in request %s %s [request id %s]",
                    "database busy" if busy else "unhandled error", scope.get("method"), scope.get("path"),
                    request_id, exc_info=not busy)
            if started:
                raise
            response = self.error_page(scope, 503 if busy else 500, request_id)
            if busy:
                response.headers["Retry-After"] = "2"
            await response(scope, receive, send_with_headers)
        finally:
            i18n._current.reset(token)
            elapsed = time.perf_counter() - began
            route = route_template(scope)
            metrics.observe_request(scope.get("method", ""), route, status, elapsed)
            logs.log_request(scope.get("method", ""), route, scope.get("path", ""), status, elapsed)
            logs.request_id_var.reset(id_token)


class _BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413)


class BodyLimitMiddleware:
    """Refuses a request body over ``max_body_size`` bytes with 413 (declared or streamed).

    Starlette's own limit (``Starlette(max_body_size=...)``) sits outside every middleware and
    answers with a bare text response; this one runs inside ``RequestContextMiddleware``, so the
    refusal is the generic error page with the security headers and a request id.
    """

    def __init__(self, app, max_body_size: int, error_page):
        self.app = app
        self.max_body_size = max_body_size
        self.error_page = error_page

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id = scope.get("state", {}).get("request_id", "")
        try:
            declared = int(Headers(scope=scope).get("content-length", "0"))
        except ValueError:
            declared = 0
        if declared > self.max_body_size:
            return await self.error_page(scope, 413, request_id)(scope, receive, send)
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_size:
                    raise _BodyTooLarge()
            return message

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if started:
                raise
            await self.error_page(scope, 413, request_id)(scope, receive, send)
