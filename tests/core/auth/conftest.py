"""Helpers for the account tests: fresh accounts, a client per fake address, logging in.

Each test gets its own client address (``X-Forwarded-For``, which the test server's uvicorn
trusts from 127.0.0.1) so the per-address login throttle of one test never touches another.
"""
from __future__ import annotations

import re
import uuid

import httpx
import pytest

from core import db
from core.auth import accounts

PASSWORD = "blue kettle under the stairs"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def fresh_address() -> str:
    n = uuid.uuid4().int
    return f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"


@pytest.fixture
def make_account(app):
    """Create an account (unique email) with a role; returns its email."""
    def make(role="consultant", municipality="0101", organisation=None, password=PASSWORD, name="Test Person"):
        email = f"user-{uuid.uuid4().hex[:10]}@example.org"
        with db.connection():
            accounts.create_account(email=email, name=name, password=password, role=role,
                                    municipality_code=municipality, organisation_ref=organisation, actor="test")
        return email
    return make


@pytest.fixture
def client_factory(live_server):
    clients = []

    def make(address: str | None = None, **headers) -> httpx.Client:
        client = httpx.Client(base_url=live_server, timeout=20, follow_redirects=False,
                              headers={"X-Forwarded-For": address or fresh_address(), **headers})
        clients.append(client)
        return client
    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(client_factory):
    return client_factory()


def login(client: httpx.Client, email: str, password: str = PASSWORD, next_path: str | None = None) -> httpx.Response:
    page = client.get("/login")
    assert page.status_code == 200
    data = {"email": email, "password": password, "csrf_token": csrf_from(page.text)}
    if next_path is not None:
        data["next"] = next_path
    return client.post("/login", data=data)
