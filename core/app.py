"""create_app(settings) -> a Starlette app. It wires; the decisions live in rules/ and views/."""
from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.routing import Mount

from core import logs, platform as platform_module
from core.auth import startup
from core.auth.csrf import CSRFMiddleware
from core.authz import route_permission
from core.settings import Settings
from core.web.limits import MAX_BODY_SIZE
from core.web.middleware import BodyLimitMiddleware, RequestContextMiddleware, make_error_page
from core.web.routing import declare
from core.web.static import LayeredStaticFiles
from core.web.templates import build_environment




def create_app(settings: Settings, extra_plugins=()) -> Starlette:
    logs.configure(settings.log_level, settings.log_format)
    platform = platform_module.build(settings, list(extra_plugins))
    startup.check(settings)  # a non-demo deployment with the public demo accounts does not start
    plugin_template_dirs = [(info_dir.parent.name, info_dir) for info_dir in platform.plugin_directories("templates")]
    jinja = build_environment(settings.theme, plugin_template_dirs, platform_module.CORE_DIR / "templates",
                              auto_reload=settings.templates_auto_reload)
    error_page = make_error_page(jinja, settings)

    plugin_routes = [route for result in platform.pm.hook.register_routes(platform=platform)
                     for route in (result or [])]
    static = LayeredStaticFiles(jinja.globals["theme_chain"], platform.plugin_directories("static"),
                                platform_module.CORE_DIR / "static")
    routes = [*plugin_routes, declare(Mount("/static", app=static, name="static"))]

    async def http_error(request, exc: HTTPException):
        if exc.status_code == 405 and request.url.path.startswith("/api/"):
            from core.api import allowed_methods
            allow = allowed_methods(request.app.routes, request.url.path)
            if request.method == "OPTIONS":  # what may be done here, as the document says
                return Response(status_code=204, headers={"Allow": allow, "Cache-Control": "no-store"})
            exc = HTTPException(405, headers={"Allow": allow})
        response = error_page(request.scope, exc.status_code, request.state.request_id, exc.detail
                              if exc.status_code not in (404, 405) else None)
        for name, value in (exc.headers or {}).items():  # e.g. Allow on 405
            response.headers[name] = value
        return response

    @contextlib.asynccontextmanager
    async def lifespan(app):
        """The scheduled jobs' background loop (``core.jobs``) while the server runs, when on."""
        from core import jobs
        task = None
        if settings.jobs_in_server and platform.jobs:
            task = asyncio.create_task(jobs.loop(platform, settings.jobs_poll_seconds))
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = Starlette(
        lifespan=lifespan,
        routes=routes,
        middleware=[Middleware(RequestContextMiddleware, settings=settings, error_page=error_page),
                    Middleware(BodyLimitMiddleware, max_body_size=MAX_BODY_SIZE, error_page=error_page),
                    Middleware(CSRFMiddleware, settings=settings, error_page=error_page)],
        exception_handlers={HTTPException: http_error},
    )
    app.state.platform = platform
    app.state.jinja = jinja
    app.state.error_page = error_page
    undeclared = [getattr(route, "path", repr(route)) for route in app.routes if route_permission(route) is None]
    if undeclared:
        logging.getLogger("partnerskab.security").warning(
            "routes without a permission declaration (use core.web.routing.page or declare): %s",
            ", ".join(undeclared))
    return app


def asgi_app() -> Starlette:
    """Entry point for ``uvicorn --factory core.app:asgi_app``: settings from the environment."""
    from core import settings as settings_module
    return create_app(settings_module.load())
