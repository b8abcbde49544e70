"""The error page: the same page for every refusal and failure (400, 403, 404, 405, 409, 413,
429, 500), shown as the person who asked sees every other page.

An error can happen before the route ran (no route matched, a CSRF refusal, a body too large),
so nobody has worked out who is asking yet. The page then does it itself, in a worker thread
with a database connection, the way ``core.web.routing.page`` does, so the header shows the
person logged in and their navigation, and the next step can fit them (a logged-in person who
lacks a permission is told whom to ask, a visitor is offered the login). If that fails too
(the database is what broke), the page is still rendered, as for a visitor. The language is
the reader's: the middleware set it before anything else ran.

JSON clients (``/api/``, ``/healthz``, ``Accept: application/json``) get a problem document.
"""
from __future__ import annotations

import http
import logging

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from core import i18n

log = logging.getLogger("partnerskab.web")

# Titles by status; the English msgids are listed in core/locale/untracked_messages.py too.
TITLES = {400: "Bad request", 403: "Forbidden", 404: "Page not found", 405: "Method not allowed",
          409: "Conflict", 413: "Request too large", 429: "Too many requests", 500: "Something went wrong",
          503: "Busy right now: please try again in a moment"}


def wants_json(scope) -> bool:
    path = scope.get("path", "")
    accept = Headers(scope=scope).get("accept", "")
    return path.startswith("/api/") or path == "/healthz" or ("application/json" in accept and "text/html" not in accept)


def title_for(status: int) -> str:
    return TITLES.get(status, "Error" if status < 500 else "Something went wrong")


def default_detail(status: int) -> str:
    """What Starlette puts in an ``HTTPException`` without a detail (the English reason
    phrase): not worth showing, and not in the reader's language."""
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


class ErrorPage(Response):
    """An HTML error response rendered when it is sent, once the person asking is known."""

    media_type = "text/html"

    def __init__(self, render_page, status_code: int):
        self._render_page = render_page
        super().__init__(b"", status_code=status_code)

    async def __call__(self, scope, receive, send) -> None:
        html = await run_in_threadpool(self._render_page, scope)
        self.body = html.encode("utf-8")
        self.headers["content-length"] = str(len(self.body))
        await super().__call__(scope, receive, send)


def _who_is_asking(scope):
    """The actor the route already worked out, else worked out now (None if that fails)."""
    actor = scope.get("state", {}).get("actor")
    if actor is not None or "app" not in scope:
        return actor
    from core.auth import web
    try:
        return web.authenticate(Request(scope))
    except Exception:  # the database may be what failed: the page is shown as to a visitor
        log.warning("error page: could not tell who is asking", exc_info=True)
        return None


def make_error_page(jinja_env, settings):
    """A function (scope, status, request id, detail) -> an error response, JSON or HTML."""

    def render_html(scope, status: int, request_id: str, detail: str | None) -> str:
        from core import db
        from core.web.pages import navigation
        context = {
            "status": status, "title": i18n.gettext(title_for(status)), "detail": detail,
            "request_id": request_id, "site_name": settings.site_name, "settings": settings,
            "nav_links": [], "request": None, "actor": None, "current_path": "/",
            "locales": [(code, i18n.LANGUAGE_NAMES.get(code, code)) for code in settings.locales],
            "body_limit_kb": _body_limit_kb(),
        }
        if "app" not in scope:
            return jinja_env.get_template("error.html").render(context)
        request = Request(scope)
        path = scope.get("path", "/")
        query = scope.get("query_string", b"").decode("latin-1")
        if status < 500 and path.startswith("/"):  # the language switch returns to the same address
            context["current_path"] = path + (f"?{query}" if query else "")
        try:
            with db.connection():
                actor = _who_is_asking(scope)
                context.update(request=request, actor=actor)
                if actor is not None:
                    context["nav_links"] = navigation(request)
                return jinja_env.get_template("error.html").render(context)
        except Exception:
            log.warning("error page: rendering as for a visitor", exc_info=True)
            context.update(request=None, actor=None, nav_links=[])
            return jinja_env.get_template("error.html").render(context)

    def error_page(scope, status: int, request_id: str, detail: str | None = None):
        if detail is not None and str(detail) == default_detail(status):
            detail = None
        title = title_for(status)
        if wants_json(scope):
            return JSONResponse({"type": "about:blank", "title": title, "status": status,
                                 "detail": detail or title, "request_id": request_id},
                                status_code=status, media_type="application/problem+json")
        locale = i18n.current_locale()

        def render(scope_now) -> str:
            with i18n.locale_context(locale):
                return render_html(scope_now, status, request_id, detail)

        return ErrorPage(render, status)

    return error_page


def _body_limit_kb() -> int:
    from core.web.limits import MAX_BODY_SIZE
    return MAX_BODY_SIZE // 1024
