"""/healthz for load balancers and operators: which part is failing, in JSON; and /metrics for
Prometheus, behind a token or a trusted address.

/healthz checks each part on its own and names the ones that fail in ``failing``: the database
(reachable: one ``SELECT 1`` and its latency), its migrations (none pending), the connection pool
(not every connection in use) and the instance folder (a writable folder when there is one: the
SQLite file, the demo's secret). Any failure answers 503, so a load balancer takes the process out of rotation.
"""
from __future__ import annotations

import hmac
import os
import time

from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from core import __version__, db, metrics
from core.web.routing import declare


def _database(platform) -> tuple[dict, dict]:
    started = time.perf_counter()
    try:
        with db.connection():
            db.database.execute_sql("SELECT 1")
            latency = round((time.perf_counter() - started) * 1000, 2)
            waiting = {component: names for component, names in db.pending(platform.migration_sources).items()
                       if names}
    except Exception as exc:  # the database is down: say so, without a traceback
        return ({"backend": db.backend_name(), "ok": False, "error": type(exc).__name__},
                {"ok": False, "error": "the database cannot be read"})
    return ({"backend": db.backend_name(), "ok": True, "latency_ms": latency, "pending_migrations": waiting},
            {"ok": not waiting, "pending": waiting})


def _pool() -> dict:
    state = metrics.pool_state()
    if state is None:
        return {"ok": True}
    return {"ok": not state["max"] or state["in_use"] < state["max"], **state}


def _instance_dir(settings) -> dict:
    """The instance folder must be a writable folder when it exists; a deployment with its secret
    in the environment and its data in PostgreSQL may have none."""
    folder = settings.instance_dir
    if not folder.exists():
        return {"ok": True, "used": False}
    ok = folder.is_dir() and os.access(folder, os.W_OK)
    return {"ok": True, "used": True} if ok else {"ok": False, "error": "the instance folder is not a writable folder"}


def healthz(request):
    platform = request.app.state.platform
    database, migrations = _database(platform)
    checks = {"database": {key: value for key, value in database.items() if key != "pending_migrations"},
              "migrations": migrations, "pool": _pool(), "instance_dir": _instance_dir(platform.settings)}
    failing = [name for name, check in checks.items() if not check["ok"]]
    status = "ok" if not failing else ("error" if "database" in failing else "degraded")
    return JSONResponse({"status": status, "version": __version__, "failing": failing, "checks": checks,
                         "database": database}, status_code=200 if not failing else 503)


def _may_read_metrics(request) -> bool:
    settings = request.app.state.platform.settings
    token = settings.metrics_token
    given = request.headers.get("authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip(), token):
        return True
    from core.auth.web import client_address
    return client_address(request) in settings.metrics_addresses


def metrics_page(request):
    if not _may_read_metrics(request):
        return PlainTextResponse("metrics are for the monitoring server: give its bearer token\n", status_code=403)
    return PlainTextResponse(metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")


def routes():
    return [declare(Route("/healthz", healthz, name="healthz")),
            declare(Route("/metrics", metrics_page, name="metrics"))]
