"""The bare page: what the hardware allows for the same SQL, with no framework around it.

One Starlette route and one Jinja2 template; each request runs, on a connection kept per
thread, exactly the statements the platform ran for the same page (captured from peewee's
query log by ``benchmarks.run`` and handed over in the JSON file ``BARE_SCENARIOS``), then
renders the rows of the largest result as a list. No sessions, no i18n, no theme, no security
headers: the platform's page is compared with this to see what the whole stack costs.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse
from starlette.routing import Route

URL = os.environ.get("BARE_DATABASE_URL", "")
SCENARIOS = json.loads(open(os.environ["BARE_SCENARIOS"]).read()) if os.environ.get("BARE_SCENARIOS") else {}
TEMPLATE = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><html lang=da><head><meta charset=utf-8><title>{{ name }}</title></head><body>"
    "<h1>{{ name }}</h1><p>{{ count }}</p><ul>{% for row in rows %}<li>{% for cell in row %}"
    "<span>{{ cell }}</span> {% endfor %}</li>{% endfor %}</ul></body></html>")
_local = threading.local()


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        if URL.startswith("sqlite:///"):
            # The file is in WAL mode already (the platform's migrations set it, and it stays);
            # asking again would need a lock the platform's start-up may hold, so only wait.
            conn = sqlite3.connect(URL[len("sqlite:///"):], check_same_thread=False, timeout=30)
            conn.execute("PRAGMA cache_size=-16000")
            # the SQL functions peewee registers on its own SQLite connections, used by the same SQL
            import peewee
            conn.create_function("date_part", 2, peewee._sqlite_date_part)
            conn.create_function("date_trunc", 2, peewee._sqlite_date_trunc)
        else:
            import psycopg
            conn = psycopg.connect(URL.replace("postgresql+psycopg", "postgresql"), autocommit=True)
        _local.conn = conn
    return conn


def _run(name: str):
    conn = _connection()
    biggest: list = []
    for sql, params in SCENARIOS[name]:
        cursor = conn.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        if len(rows) >= len(biggest):
            biggest = rows
    return TEMPLATE.render(name=name, rows=biggest, count=len(biggest))


async def page(request):
    name = request.query_params.get("n", "")
    if name not in SCENARIOS:
        return HTMLResponse("unknown scenario", status_code=404)
    return HTMLResponse(await run_in_threadpool(_run, name))


app = Starlette(routes=[Route("/s", page)])
