"""/healthz: is the database reachable and migrated? JSON for load balancers and operators."""
from __future__ import annotations

import time

from starlette.responses import JSONResponse
from starlette.routing import Route

from core import __version__, db
from core.web.routing import declare


def healthz(request):
    platform = request.app.state.platform
    started = time.perf_counter()
    try:
        with db.connection():
            db.database.execute_sql("SELECT 1")
            waiting = {component: names for component, names in db.pending(platform.migration_sources).items()
                       if names}
    except Exception as exc:  # the database is down: say so, with 503, without a traceback
        return JSONResponse({"status": "error", "database": {"backend": db.backend_name(), "ok": False,
                                                             "error": type(exc).__name__}},
                            status_code=503)
    ok = not waiting
    return JSONResponse({
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "database": {"backend": db.backend_name(), "ok": True,
                     "latency_ms": round((time.perf_counter() - started) * 1000, 2),
                     "pending_migrations": waiting},
    }, status_code=200 if ok else 503)


def routes():
    return [declare(Route("/healthz", healthz, name="healthz"))]
