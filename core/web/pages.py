"""Rendering a page: the view's context plus what every page needs and what plugins add."""
from __future__ import annotations

import dataclasses
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
    query = request.url.query
    page.setdefault("current_path", request.url.path + (f"?{query}" if query else ""))
    page.setdefault("settings", platform.settings)
    page.setdefault("site_name", platform.settings.site_name)
    page.setdefault("nav_links", navigation(request))
    page.setdefault("locales", [(code, i18n.LANGUAGE_NAMES.get(code, code)) for code in platform.settings.locales])
    page.setdefault("request_id", getattr(request.state, "request_id", ""))
    page.setdefault("platform", platform)
    page.setdefault("actor", getattr(request.state, "actor", None))
    return HTMLResponse(tmpl.render(page), status_code=status_code, headers=headers)


def navigation(request: Request) -> list[NavLink]:
    """The main navigation's links for this request's actor (core's and plugins'), by order."""
    actor = getattr(request.state, "actor", None)
    links = [link for result in _platform(request).pm.hook.navigation_links(request=request, actor=actor)
             for link in (result or [])]
    return sorted(links, key=lambda link: link.order)


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
