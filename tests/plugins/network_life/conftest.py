"""Helpers for the network-life tests: the demo's people logged in over real HTTP (each client
its own address, so logins never throttle one another), CSRF tokens read from the pages, and
the demo rows the tests act on."""
from __future__ import annotations

import re
import uuid

import httpx
import pytest

from core import db
from core.demo import DEMO_PASSWORD

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
ASSOCIATION = "kbh-b1908@partnerskab.test"      # resource person of B1908 (Copenhagen)
CONSULTANT = "kbh-konsulent@partnerskab.test"    # Jonas Lund: B1908's consultant
OUTSIDER = "slagelse-frivilligcenter@partnerskab.test"  # staff of another municipality's programme
ADMIN = "kbh-admin@partnerskab.test"


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def person(live_server):
    """``person(email, lang="en")`` -> an httpx client logged in as that demo account."""
    made = []

    def make(email: str, lang: str = "en") -> httpx.Client:
        n = uuid.uuid4().int
        client = httpx.Client(base_url=live_server, timeout=20, follow_redirects=False, cookies={"lang": lang},
                              headers={"X-Forwarded-For": f"10.{n % 250 + 1}.{(n >> 8) % 250 + 1}.{(n >> 16) % 250 + 1}"})
        made.append(client)
        page = client.get("/login")
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD,
                                               "csrf_token": csrf_from(page.text)})
        assert response.status_code == 303, response.text
        return client
    yield make
    for client in made:
        client.close()


def post(client: httpx.Client, page: str, action: str, data: dict | None = None, **kwargs) -> httpx.Response:
    """Submit a form of ``page`` to ``action`` with the page's CSRF token."""
    token = csrf_from(client.get(page).text)
    return client.post(action, data={**(data or {}), "csrf_token": token}, **kwargs)


@pytest.fixture
def conn(app):
    with db.connection():
        yield db.database
