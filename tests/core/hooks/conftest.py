"""The app with the fake plugin (which implements every hook), on a database of its own (a
SQLite file, or a schema of its own in the PostgreSQL test database) with the demo data, served
by uvicorn, for the tests of each hook's effect; and helpers to log in and make the rows a test
needs. Its own database, so what these tests write (a programme of the fake type, payments,
records) never shows in the other tests' pages and counts; the session's database is bound
again when the package is done."""
from __future__ import annotations

import datetime
import re
import socket
import threading
import time
import uuid

import httpx
import pytest
import uvicorn

from core import db
from core.app import create_app
from core.auth import accounts
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.rules import money, registry
from tests import fake_plugin, odense_plugin

PASSWORD = "green bicycle behind the barn"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(application, lifespan: str = "off") -> tuple[uvicorn.Server, threading.Thread, str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan=lifespan))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.025)
    assert server.started, "the app did not start"
    return server, thread, f"http://127.0.0.1:{port}"


HOOKS_SCHEMA = "hooks_tests"


def _own_database(database_url: str, folder) -> str:
    """A database for this package: a SQLite file, or a fresh schema on the same PostgreSQL."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{folder / 'hooks.sqlite3'}"
    database = db.open_database(database_url)
    with database.connection_context():
        database.execute_sql(f"DROP SCHEMA IF EXISTS {HOOKS_SCHEMA} CASCADE")
        database.execute_sql(f"CREATE SCHEMA {HOOKS_SCHEMA}")
    database.close_all()
    return f"{database_url}{'&' if '?' in database_url else '?'}options=-c%20search_path%3D{HOOKS_SCHEMA}"


@pytest.fixture(scope="package")
def fake_app(app, settings, tmp_path_factory):
    """The session's settings plus the fake plugin and the Odense test plugin, on this package's
    database, migrated, with the demo data of every plugin (the fake one's too)."""
    from core import demo
    session_platform = app.state.platform
    own = settings.replace(database_url=_own_database(settings.database_url, tmp_path_factory.mktemp("hooks")))
    application = create_app(own, extra_plugins=[("fake", fake_plugin), ("odense", odense_plugin)])
    with db.connection():
        db.migrate(application.state.platform.migration_sources)
        demo.load(application.state.platform)
    yield application
    pool = db.database.obj
    db.bind(settings.database_url)  # the other tests' database again, serving the session's platform
    db.bind_platform(session_platform)
    if hasattr(pool, "close_all"):
        pool.close_all()


@pytest.fixture(scope="package")
def fake_platform(fake_app):
    return fake_app.state.platform


@pytest.fixture(scope="package")
def fake_server(fake_app):
    server, thread, base = serve(fake_app)
    yield base
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture
def client(fake_server):
    """``client()`` -> an httpx client on the fake app, in English; closed after the test."""
    made = []

    def make(lang: str = "en") -> httpx.Client:
        n = uuid.uuid4().int  # each client its own address: one test's failed logins never throttle another
        address = f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"
        http = httpx.Client(base_url=fake_server, timeout=20, follow_redirects=False,
                            headers={"X-Forwarded-For": address}, cookies={"lang": lang})
        made.append(http)
        return http
    yield make
    for http in made:
        http.close()


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def login(http: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Client:
    page = http.get("/login")
    response = http.post("/login", data={"email": email, "password": password, "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303, response.text
    return http


def new_account(role: str, municipality: str | None = None, organisation: str | None = None) -> str:
    email = f"hooks-{uuid.uuid4().hex[:10]}@example.org"
    with db.connection():
        accounts.create_account(email=email, name=f"Hook {role}", password=PASSWORD, role=role,
                                municipality_code=municipality, organisation_ref=organisation, actor="test")
    return email


@pytest.fixture
def logged_in(client):
    """``logged_in(role, municipality=..., organisation=...)`` -> (client, email) of a fresh account."""
    def make(role: str, municipality: str | None = None, organisation: str | None = None):
        email = new_account(role, municipality, organisation)
        return login(client(), email), email
    return make


@pytest.fixture(scope="package")
def fake_programme(fake_platform):
    """A programme of the fake plugin's type in a municipality of its own (code 0999), with a
    budget and a partner, so rules, events and blocks have something of the plugin's to act on."""
    from core.models.programme import Programme
    with db.connection():
        municipality = registry.ensure_municipality("0999", "Prøvekommune", "Region Test")
        programme = Programme.get_or_none(Programme.slug == "fake-programme")
        if programme is None:
            programme = registry.create_programme(fake_platform, {
                "slug": "fake-programme", "name": "Fake programme", "programme_type": fake_plugin.TYPE_KEY,
                "municipality": "0999", "start_date": datetime.date(2020, 1, 1)}, "test")
            for year in range(2020, datetime.date.today().year + 2):
                money.set_budget(programme_id=programme.id, year=year, amount_ore=10_000_000 * 100, actor="test")
            partner = registry.create_organisation(fake_platform, {
                "name": "Prøveforeningen", "kind": "association", "municipality": "0999"}, "test")
            registry.add_membership(programme=programme, organisation=partner, role="partner",
                                    joined_on=datetime.date(2020, 1, 1), actor="test")
        municipality = Municipality.get(Municipality.code == "0999")
        partner = Organisation.get(Organisation.name == "Prøveforeningen")
    return {"programme": programme, "municipality": municipality, "partner": partner}
