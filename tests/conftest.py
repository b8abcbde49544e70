"""Shared fixtures: a real database (a SQLite file, or PostgreSQL when TEST_DATABASE_URL is
set), the app with every built-in plugin and the demo data, served by a real uvicorn on a
free port, and an HTTP client for it."""
from __future__ import annotations

import os
import socket
import threading
import time

import httpx
import pytest
import uvicorn

from core import db
from core import settings as settings_module
from core.app import create_app

ALL_PLUGINS = ("copenhagen", "roskilde", "slagelse", "hillerod", "federation")


def _reset_postgres(url: str) -> None:
    """Start from an empty schema so every run migrates from scratch."""
    database = db.open_database(url)
    with database.connection_context():
        database.execute_sql("DROP SCHEMA IF EXISTS public CASCADE")
        database.execute_sql("CREATE SCHEMA public")
    database.close_all() if hasattr(database, "close_all") else None


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def settings(database_url, tmp_path_factory):
    return settings_module.load(settings_module.DEFAULT_CONFIG, environ={},
                                database_url=database_url, plugins=ALL_PLUGINS, demo=True,
                                instance_dir=tmp_path_factory.mktemp("instance"), log_level="warning")


@pytest.fixture(scope="session")
def app(settings):
    application = create_app(settings)
    platform = application.state.platform
    with db.connection():
        db.migrate(platform.migration_sources)
    from core import demo
    with db.connection():
        demo.load(platform)
    yield application
    pool = db.database.obj
    if hasattr(pool, "close_all"):  # PostgreSQL: hang up rather than leave it to the garbage collector
        pool.close_all()


@pytest.fixture(scope="session")
def platform(app):
    return app.state.platform


@pytest.fixture
def dbconn(app):
    """A database connection for tests that query or write directly (rules, CLI helpers)."""
    with db.connection():
        yield db.database


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(app):
    """The app served by a real uvicorn on 127.0.0.1, for HTTP and browser tests."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/healthz", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.05)
    yield base
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def http(live_server):
    with httpx.Client(base_url=live_server, timeout=10) as http_client:
        yield http_client
