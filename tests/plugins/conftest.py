"""The app with the plugins the configuration enables, for the contract tests (run for every
enabled plugin) and for a plugin's own tests.

"Enabled" is what an operator means by it: the ``plugins`` list of the configuration file
(``PARTNERSKAB_CONFIG`` or ``config/default.toml``), or ``PARTNERSKAB_PLUGINS`` when set. When
those are the session's plugins, the session's app serves; otherwise (a plugin just made with
``partnerskab new-plugin`` and enabled) an app with the session's plugins plus the enabled
ones is built on the same database, migrated and given its demo data.
"""
from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
import uvicorn

from core import db
from core import settings as settings_module


def configured_plugins() -> tuple[str, ...]:
    """The enabled plugins, read as the platform reads them (without building it)."""
    from_environment = os.environ.get("PARTNERSKAB_PLUGINS", "")
    if from_environment.strip():
        return tuple(part.strip() for part in from_environment.split(",") if part.strip())
    path = Path(os.environ.get("PARTNERSKAB_CONFIG") or settings_module.DEFAULT_CONFIG)
    if not path.is_absolute() and not path.exists():
        path = settings_module.ROOT / path
    try:
        return tuple(settings_module.read_file(path).get("plugins", ()))
    except settings_module.ConfigError:
        return ()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def configured_app(app, settings):
    wanted = tuple(dict.fromkeys([*settings.plugins, *configured_plugins()]))
    if wanted == tuple(settings.plugins):
        yield app
        return
    from core import demo
    from core.app import create_app
    application = create_app(settings.replace(plugins=wanted))
    with db.connection():
        db.migrate(application.state.platform.migration_sources)
        demo.load(application.state.platform)
    yield application


@pytest.fixture(scope="session")
def configured_platform(configured_app):
    return configured_app.state.platform


@pytest.fixture(scope="session")
def configured_server(configured_app, app, live_server):
    """The session's server when it is the same app, else a server of its own."""
    if configured_app is app:
        yield live_server
        return
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(configured_app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.025)
    assert server.started, "the app with the enabled plugins did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def configured_client(configured_server):
    """``configured_client(lang="en")`` -> a client of the app with the enabled plugins, each
    with an address of its own (so one test's logins never throttle another's)."""
    made = []

    def make(lang: str = "en") -> httpx.Client:
        n = uuid.uuid4().int
        client = httpx.Client(base_url=configured_server, timeout=20, follow_redirects=False,
                              cookies={"lang": lang},
                              headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"})
        made.append(client)
        return client
    yield make
    for client in made:
        client.close()


@pytest.fixture
def configured_http(configured_client):
    return configured_client()
