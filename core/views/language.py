"""The language switch: remembers the reader's choice in a cookie and goes back to the page.

It changes no data on the server, only the reader's own preference, and works as a plain
link without JavaScript.
"""
from __future__ import annotations

from starlette.responses import RedirectResponse
from starlette.routing import Route

from core.web.middleware import LANGUAGE_COOKIE
from core.web.routing import declare


def safe_next(value: str | None) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def switch_language(request):
    code = request.path_params["code"]
    settings = request.app.state.platform.settings
    target = safe_next(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303)
    if code in settings.locales:
        response.set_cookie(LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https")
    return response


def routes():
    return [declare(Route("/language/{code:str}", switch_language, name="language"))]
