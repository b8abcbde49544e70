"""Routes whose handlers run in a worker thread holding one database connection, and that
say what permission they need.

Views are plain functions; ``page`` wraps one so the connection is opened and returned in the
same thread that runs the queries (peewee connections are per thread), one per request. In
that thread it works out who is asking (``core.auth.web.authenticate``) and checks the
route's ``permission`` with ``core.authz.can`` before the view runs: a person who is not
logged in is sent to the login page, a logged-in person without the permission gets 403.

Every route declares a permission — ``page(..., permission=...)`` (default ``"public"``), or
``declare(route)`` for a route that is not a page (static files, the health check, the
language switch) and is always public. A test fails for any route without one.

For POST, PUT, PATCH and DELETE the form is read before the thread starts (reading the body
is asynchronous) and handed to the view as ``request.state.form``; the CSRF token has
already been checked by ``core.auth.csrf.CSRFMiddleware`` by then.

Ids in paths are ``{name:id}`` (``core.inputs.IdConvertor``), never ``{name:int}``, whose
unbounded numbers reached the database and answered 500; a test walks ``app.routes`` for it.
"""
from __future__ import annotations

import functools
import random
import time

from starlette.concurrency import run_in_threadpool
from starlette.convertors import register_url_convertor
from starlette.routing import BaseRoute, Route

from core import authz, db, inputs

# ``{name:id}``: the one convertor for ids in paths (core and plugins); see ``core.inputs``.
# Registered when this module is imported, which is before any route that uses it is built.
register_url_convertor("id", inputs.IdConvertor())

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOCK_RETRIES = 3  # a request that lost a race for a database lock runs again (its transaction rolled back)


def page(path: str, endpoint, *, name: str | None = None, methods=("GET",),
         permission: str = authz.PUBLIC) -> Route:
    def in_thread(request):
        for attempt in range(LOCK_RETRIES + 1):
            try:
                return once(request)
            except Exception as exc:
                if attempt == LOCK_RETRIES or not db.is_lock_error(exc):
                    raise
                time.sleep(0.05 * 2 ** attempt * (1 + random.random()))  # jitter, not a secret: nosec B311

    def once(request):
        from core.auth import web
        with db.connection():
            actor = web.authenticate(request)
            if (getattr(request.state, "two_factor_setup_required", False)
                    and not getattr(endpoint, "allowed_before_two_factor", False)):
                return web.two_factor_setup_first(request)
            if not authz.can(actor, permission):
                return web.refuse(request, actor, permission)
            return endpoint(request)

    @functools.wraps(endpoint)
    async def handle(request):
        if request.method not in SAFE_METHODS:
            request.state.form = await request.form()
        return await run_in_threadpool(in_thread, request)

    route = Route(path, handle, name=name or endpoint.__name__, methods=list(methods))
    route.permission = permission
    return route


def declare(route: BaseRoute, permission: str = authz.PUBLIC) -> BaseRoute:
    """Mark a route that is not a ``page`` as public. Only public: a route that needs a
    permission must be a ``page``, which is where permissions are enforced."""
    if permission != authz.PUBLIC:
        raise ValueError("only public routes may be declared without page(); use page(..., permission=...)")
    route.permission = permission
    return route
