"""Rendering a page: the view's context plus what every page needs and what plugins add."""
from __future__ import annotations

import dataclasses
import functools
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from core import i18n


# The page families that show plugins' blocks (the ``page_blocks`` hook's ``page``).
PAGES = ("home", "programme", "organisation", "municipality", "call", "application", "agreement",
         "me", "todo", "manage", "national")


@dataclasses.dataclass(frozen=True)
class NavLink:
    href: str
    label: Any
    order: int = 50


@dataclasses.dataclass(frozen=True)
class PageBlock:
    """A fragment on a page, rendered from ``template`` with the page's context plus ``context``."""

    template: str
    order: int = 50
    context: dict = dataclasses.field(default_factory=dict)


def _platform(request: Request):
    return request.app.state.platform


def render(request: Request, template: str | list[str], context: dict[str, Any] | None = None,
           status_code: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render the first template that exists (most specific name first) as a full page."""
    platform = _platform(request)
    env = request.app.state.jinja
    names = [template] if isinstance(template, str) else list(template)
    tmpl = env.select_template(names)
    page = dict(context or {})
    for extra in platform.pm.hook.extra_template_vars(request=request, template_name=tmpl.name):
        for key, value in (extra or {}).items():
            page.setdefault(key, value)
    page.setdefault("request", request)
    page.setdefault("current_path", current_path(request.scope))
    page.setdefault("settings", platform.settings)
    page.setdefault("site_name", platform.settings.site_name)
    page.setdefault("nav_links", navigation(request))
    page.setdefault("locales", _locales(platform.settings.locales))
    page.setdefault("request_id", getattr(request.state, "request_id", ""))
    page.setdefault("platform", platform)
    page.setdefault("actor", getattr(request.state, "actor", None))
    return HTMLResponse(tmpl.render(page), status_code=status_code, headers=headers)


def current_path(scope) -> str:
    """The request's path and query string as the browser sent them (the language links' 'next')."""
    query = scope.get("query_string", b"")
    path = scope.get("root_path", "") + scope["path"]
    return path + "?" + query.decode("latin-1") if query else path


@functools.lru_cache(maxsize=8)
def _locales(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(code, i18n.LANGUAGE_NAMES.get(code, code)) for code in codes]


def navigation(request: Request) -> list[NavLink]:
    """The main navigation's links for this request's actor (core's and plugins'), by order.

    For a visitor who is not logged in they are asked for once per language and platform and
    kept: the public's links depend on nothing else (``navigation_links`` says so to plugins),
    and the public pages are the busiest."""
    actor = getattr(request.state, "actor", None)
    platform = _platform(request)
    public = actor is None or not getattr(actor, "is_authenticated", False)
    if public:
        key = (id(platform), i18n.current_locale())
        cached = _public_navigation.get(key)
        if cached is not None and cached[0] is platform:
            return cached[1]
    links = [link for result in platform.pm.hook.navigation_links(request=request, actor=actor)
             for link in (result or [])]
    links = sorted(links, key=lambda link: link.order)
    if public:
        # labels as text in this language (a lazy label would be translated on every page)
        links = [dataclasses.replace(link, label=str(link.label)) for link in links]
        if len(_public_navigation) > 64:
            _public_navigation.clear()
        _public_navigation[key] = (platform, links)
    return links


_public_navigation: dict[tuple[int, str], tuple[object, list[NavLink]]] = {}


def page_blocks(request: Request, page: str, context: dict[str, Any]) -> list[Markup]:
    """Render the blocks plugins add to a page (dashboards), sorted by order. ``context`` gets
    the ``actor`` when the view did not put one there."""
    if page not in PAGES:
        raise ValueError(f"unknown page family '{page}': one of {', '.join(PAGES)}")
    env = request.app.state.jinja
    context.setdefault("actor", getattr(request.state, "actor", None))
    blocks = [block for result in _platform(request).pm.hook.page_blocks(request=request, page=page, context=context)
              for block in (result or [])]
    rendered = []
    for block in sorted(blocks, key=lambda b: b.order):
        rendered.append(Markup(env.get_template(block.template).render(
            {**context, **block.context, "request": request, "platform": _platform(request)})))
    return rendered
